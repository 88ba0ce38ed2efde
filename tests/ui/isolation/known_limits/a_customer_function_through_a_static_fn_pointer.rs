// Known limit: the same function through a `static` function pointer.
mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Connection;
    use ui::bundled::customer::shopping_cart;

    #[section("customer")]
    pub fn count(conn: &Connection) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(&conn.db())
    }
}
use pg_sections::section;
use pg_sections::blocking::Connection;

static COUNT: fn(&Connection) -> pg_sections::Result<i64> = carts::count;

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    COUNT(conn)
}

fn main() {}
