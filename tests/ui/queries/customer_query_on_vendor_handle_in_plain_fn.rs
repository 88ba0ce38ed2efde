// No attribute: the runtime's types alone refuse a customer query on a
// vendor handle.
use pg_sections::Table;
use pg_sections::blocking::Db;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

pub fn count_carts(db: &Db<Vendor>) -> pg_sections::Result<i64> {
    shopping_cart::Table.select().count(db)
}

fn main() {}
