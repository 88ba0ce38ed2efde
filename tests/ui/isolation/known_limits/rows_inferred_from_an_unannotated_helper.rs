// Known limit: rows that reach a section item only by type inference from
// an unannotated helper are never named in the item, so nothing probes them.
use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

fn carts(conn: &Connection) -> pg_sections::Result<Vec<ui::bundled::customer::ShoppingCart>> {
    shopping_cart::Table.select().fetch_all(&conn.db())
}

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<usize> {
    let rows = carts(conn)?;
    Ok(rows.len())
}

fn main() {}
