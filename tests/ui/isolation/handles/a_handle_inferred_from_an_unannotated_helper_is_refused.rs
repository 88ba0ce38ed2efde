use pg_sections::section;
use pg_sections::blocking::{Connection, Db};
use ui::bundled::customer::Customer;

fn count_carts(db: &Db<Customer>) -> usize {
    let _ = db;
    0
}

#[section("vendor")]
pub fn carts(conn: &Connection) -> usize {
    // The handle's section is known only from the helper's signature.
    count_carts(&conn.db())
}

fn main() {}
