use pg_sections::blocking::Blocking;
use pg_sections::{Runs, Table};
use ui::bundled::customer::shopping_cart;

pub struct Anything;

impl Runs<shopping_cart::Table> for Anything {
    type Mode = Blocking;

    fn executor(&self) -> pg_sections::blocking::Connection {
        unimplemented!()
    }
}

pub fn sneak() -> pg_sections::Result<i64> {
    shopping_cart::Table.select().count(&Anything)
}

fn main() {}
