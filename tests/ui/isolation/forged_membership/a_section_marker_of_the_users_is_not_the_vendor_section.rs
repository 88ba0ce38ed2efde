// A user type poses as a section whose schema is customer.
use pg_sections::{Section, section};
use pg_sections::blocking::{Connection, Db};

pub struct Sneaky;
impl Section for Sneaky {
    const NAME: &'static str = "vendor";
    const SCHEMA: &'static str = "customer";
}

#[section("vendor")]
pub fn carts(conn: &Connection) -> Db<Sneaky> {
    conn.pin_search_path(true).expect("not inside with_client");
    conn.db::<Sneaky>()
}

fn main() {}
