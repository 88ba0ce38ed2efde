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
    pub fn open(db: Db<Customer>) -> CartRepository { CartRepository { db } }
}
use pg_sections::section;
use pg_sections::blocking::Connection;

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    carts::open(conn.db()).count()
}

fn main() {}
