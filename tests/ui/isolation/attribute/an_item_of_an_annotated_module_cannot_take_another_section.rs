use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Connection;
    use ui::bundled::customer::shopping_cart;

    #[section("customer")]
    pub fn carts(conn: &Connection) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(&conn.db())
    }
}

fn main() {}
