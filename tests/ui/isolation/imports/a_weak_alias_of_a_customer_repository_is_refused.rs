mod carts {
    use pg_sections::blocking::Db;
    use pg_sections::section;
    use ui::bundled::customer::Customer;

    #[section("customer")]
    pub struct CartRepository {
        pub db: Db<Customer>,
    }
}

use pg_sections::section;

type Back = std::sync::Weak<std::sync::RwLock<carts::CartRepository>>;

#[section("vendor")]
pub struct Supplier {
    back: Back,
}

fn main() {}
