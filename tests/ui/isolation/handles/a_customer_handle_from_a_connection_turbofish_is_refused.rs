use pg_sections::{Connection, section};
use tests::bundled::customer::Customer as Buyers;

#[section("vendor")]
pub fn open(conn: &Connection) {
    let _carts = conn.db::<Buyers>();
}

fn main() {}
