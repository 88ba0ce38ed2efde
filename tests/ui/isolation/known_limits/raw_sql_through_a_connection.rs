// Known limit: raw SQL through a `Connection` (`batch_execute`,
// `with_client`) names no section item.
use pg_sections::section;
use pg_sections::blocking::Connection;

#[section("vendor")]
pub fn wipe(conn: &Connection) -> pg_sections::Result<()> {
    conn.batch_execute("DELETE FROM customer.shopping_cart")
}

fn main() {}
