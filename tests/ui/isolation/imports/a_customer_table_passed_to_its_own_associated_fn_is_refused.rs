use pg_sections::section;
use pg_sections::blocking::Connection;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn n(conn: &Connection) -> pg_sections::Result<i64> {
    shopping_cart::Table::find(shopping_cart::Table, 1).count(&conn.db())
}

fn main() {}
