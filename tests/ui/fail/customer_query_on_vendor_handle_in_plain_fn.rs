// No attribute: the runtime's types alone refuse a customer query on a
// vendor handle.
use runtime::{Db, Table};
use tests::bundled::customer::shopping_cart;
use tests::bundled::vendor::Vendor;

pub fn count_carts(db: &Db<Vendor>) -> runtime::Result<i64> {
    shopping_cart::Table.select().count(db)
}

fn main() {}
