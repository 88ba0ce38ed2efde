mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository {
        pub db: Db<Customer>,
    }

    #[section("customer")]
    impl CartRepository {
        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }
}

use pg_sections::section;

#[section("vendor")]
pub fn reserved(f: impl Fn() -> carts::CartRepository) -> pg_sections::Result<i64> {
    f().count()
}

fn main() {}
