use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

const CARTS: Option<shopping_cart::Table> = Some(shopping_cart::Table);

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    CARTS.unwrap().select().count(&conn.db())
}

fn main() {}
