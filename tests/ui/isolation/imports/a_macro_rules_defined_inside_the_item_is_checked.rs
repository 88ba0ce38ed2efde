use pg_sections::{Table, section};
use pg_sections::blocking::Connection;

#[section("vendor")]
pub fn carts(conn: &Connection) -> pg_sections::Result<i64> {
    macro_rules! t { () => { ui::bundled::customer::shopping_cart::Table } }
    t!().select().count(&conn.db())
}

fn main() {}
