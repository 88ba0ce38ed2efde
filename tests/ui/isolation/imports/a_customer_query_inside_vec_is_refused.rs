use pg_sections::{Connection, Table, section};
use tests::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn carts(conn: &Connection) -> pg_sections::Result<Vec<i64>> {
    Ok(vec![shopping_cart::Table.select().count(&conn.db())?])
}

fn main() {}
