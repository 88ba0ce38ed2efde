mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository { pub db: Db<Customer> }

    #[section("customer")]
    impl CartRepository {
        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }
}
use pg_sections::section;

pub struct Services { pub carts: carts::CartRepository }

#[section("vendor")]
pub fn reserved(s: &Services) -> pg_sections::Result<i64> {
    s.carts.count()
}

fn main() {}
