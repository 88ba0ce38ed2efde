use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn carts(conn: &Connection) -> pg_sections::Result<i64> {
    let handle = conn.db();
    shopping_cart::Table.select().count(&handle)
}

fn main() {}
