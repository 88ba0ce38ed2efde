use pg_sections::{Connection, Db, Runs};
use tests::bundled::customer::shopping_cart;
use tests::bundled::vendor::Vendor;

impl Runs<shopping_cart::Table> for Db<Vendor> {
    fn connection(&self) -> pg_sections::Result<&Connection> {
        unimplemented!()
    }
}

fn main() {}
