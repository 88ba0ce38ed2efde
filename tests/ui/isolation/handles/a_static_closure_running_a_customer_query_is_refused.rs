use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::Table;
    use pg_sections::blocking::Connection;
    use ui::bundled::customer::{Customer, shopping_cart};

    pub static CARTS: fn(&Connection) -> pg_sections::Result<i64> =
        |conn| shopping_cart::Table.select().count(&conn.db::<Customer>());

    pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
        CARTS(conn)
    }
}

fn main() {}
