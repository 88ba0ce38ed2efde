// Known limit: the raw client `Connection::with_client` lends to a closure.
use pg_sections::section;
use pg_sections::blocking::Connection;

#[section("vendor")]
pub fn f(conn: &Connection) -> pg_sections::Result<u64> {
    conn.with_client(|c| c.execute("DELETE FROM customer.shopping_cart", &[]).unwrap_or(0))
}

fn main() {}
