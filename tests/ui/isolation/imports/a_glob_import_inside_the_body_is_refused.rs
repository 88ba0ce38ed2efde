use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub fn carts(db: &Db<Vendor>) -> pg_sections::Result<i64> {
    use ui::bundled::customer::*;
    shopping_cart::Table.select().count(db)
}

fn main() {}
