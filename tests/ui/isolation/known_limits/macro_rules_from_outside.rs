// Known limit: a `macro_rules!` defined outside the item expands after the
// attribute ran; its input is not code the attribute can probe.
use pg_sections::{Table, section};
use pg_sections::blocking::Connection;

macro_rules! count_carts {
    ($conn:expr) => {
        ui::bundled::customer::shopping_cart::Table
            .select()
            .count(&$conn.db())
    };
}

#[section("vendor")]
pub fn reserved(conn: &Connection) -> pg_sections::Result<i64> {
    count_carts!(conn)
}

fn main() {}
