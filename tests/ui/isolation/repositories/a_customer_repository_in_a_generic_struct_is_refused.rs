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

#[section("vendor")]
pub struct Stock {
    carts: std::sync::Arc<std::sync::Mutex<Vec<carts::CartRepository>>>,
}

fn main() {}
