mod carts {
    use pg_sections::section;
    use pg_sections::blocking::Db;
    use ui::bundled::customer::Customer;

    #[section("customer")]
    pub struct CartRepository {
        pub db: Db<Customer>,
    }
}

use pg_sections::section;

type MaybeCarts = Option<carts::CartRepository>;

#[section("vendor")]
pub struct Stock {
    carts: MaybeCarts,
}

fn main() {}
