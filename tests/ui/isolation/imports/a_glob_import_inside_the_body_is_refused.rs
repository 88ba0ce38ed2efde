use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub fn carts(db: &Db<Vendor>) -> pg_sections::Result<i64> {
    use tests::bundled::customer::*;
    shopping_cart::Table.select().count(db)
}

fn main() {}
