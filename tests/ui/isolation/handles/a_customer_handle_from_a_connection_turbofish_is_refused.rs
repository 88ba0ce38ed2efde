use pg_sections::section;
use pg_sections::blocking::Connection;
use ui::bundled::customer::Customer as Buyers;

#[section("vendor")]
pub fn open(conn: &Connection) {
    let _carts = conn.db::<Buyers>();
}

fn main() {}
