use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn pinned(conn: &Connection) -> usize {
    let fut = std::pin::pin!(async { shopping_cart::Table.select().count(&conn.db()) });
    let _ = fut;
    0
}

fn main() {}
