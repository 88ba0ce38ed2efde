use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub async fn carts(conn: &Connection) -> pg_sections::Result<i64> {
    async { shopping_cart::Table.select().count(&conn.db()) }.await
}

fn main() {}
