use pg_sections::section;
use pg_sections::blocking::{Connection, Db};
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    mod inner {
        use pg_sections::Table;
        use pg_sections::blocking::Connection;
        use ui::bundled::customer::{Customer, shopping_cart};
        pub fn count(conn: &Connection) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&conn.db::<Customer>())
        }
    }
    inner::count(conn)
}

#[section("vendor")]
pub fn sizes() -> usize {
    union Raw {
        handle: std::mem::ManuallyDrop<Option<Db<Customer>>>,
    }
    unsafe extern "C" {
        fn carts(db: *const Db<Customer>) -> usize;
    }
    std::mem::size_of::<Raw>()
}

fn main() {}
