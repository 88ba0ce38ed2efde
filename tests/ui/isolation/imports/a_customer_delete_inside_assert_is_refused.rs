use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn wipe(conn: &Connection) {
    assert!(shopping_cart::Table.delete().execute(&conn.db()).is_ok());
}

fn main() {}
