use pg_sections::{Connection, Runs, Table};
use tests::bundled::customer::shopping_cart;

pub struct Anything;

impl Runs<shopping_cart::Table> for Anything {
    fn connection(&self) -> pg_sections::Result<&Connection> {
        unimplemented!()
    }
}

pub fn sneak() -> pg_sections::Result<i64> {
    shopping_cart::Table.select().count(&Anything)
}

fn main() {}
