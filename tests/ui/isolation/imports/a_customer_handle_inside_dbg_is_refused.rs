use pg_sections::{Connection, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub fn carts(conn: &Connection) {
    let db = dbg!(conn.db::<Customer>());
    let _ = db;
}

fn main() {}
