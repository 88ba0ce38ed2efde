use pg_sections::section;
use pg_sections::blocking::Connection;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn carts(conn: &Connection) {
    let db = dbg!(conn.db::<Customer>());
    let _ = db;
}

fn main() {}
