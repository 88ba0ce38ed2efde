use pg_sections::{Connection, Table, section};
use tests::bundled::customer::shopping_cart;

#[section("vendor")]
pub async fn carts(conn: &Connection) -> pg_sections::Result<i64> {
    async { shopping_cart::Table.select().count(&conn.db()) }.await
}

fn main() {}
