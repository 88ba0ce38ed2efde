// Known limit: the same function through a `static` function pointer.
mod carts {
    use pg_sections::{Connection, Table, section};
    use tests::bundled::customer::shopping_cart;

    #[section("customer")]
    pub fn count(conn: &Connection) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(&conn.db())
    }
}
use pg_sections::{Connection, section};

static COUNT: fn(&Connection) -> pg_sections::Result<i64> = carts::count;

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    COUNT(conn)
}

fn main() {}
