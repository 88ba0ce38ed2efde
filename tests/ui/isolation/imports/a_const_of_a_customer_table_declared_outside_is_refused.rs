use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

const CARTS: shopping_cart::Table = shopping_cart::Table;

#[section("vendor")]
pub fn carts(db: &Db<Vendor>) -> pg_sections::Result<i64> {
    CARTS.select().count(db)
}

fn main() {}
