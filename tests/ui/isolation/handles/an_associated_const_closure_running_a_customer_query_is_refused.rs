use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::{Customer, shopping_cart};

pub struct Stock;

#[section("vendor")]
impl Stock {
    pub const CARTS: fn(&Connection) -> pg_sections::Result<i64> =
        |conn| shopping_cart::Table.select().count(&conn.db::<Customer>());
}

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    const COUNT: fn(&Connection) -> usize = |conn| {
        let _ = conn.db::<Customer>();
        0
    };
    Ok(i64::try_from(COUNT(conn)).unwrap_or(0))
}

fn main() {}
