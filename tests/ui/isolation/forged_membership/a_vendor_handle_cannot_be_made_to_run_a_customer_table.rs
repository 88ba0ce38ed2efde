use pg_sections::Runs;
use pg_sections::blocking::{Blocking, Connection, Db};
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

impl Runs<shopping_cart::Table> for Db<Vendor> {
    type Mode = Blocking;

    fn executor(&self) -> &Connection {
        unimplemented!()
    }
}

fn main() {}
