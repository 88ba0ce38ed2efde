use pg_sections::{Db, Runs};
use tests::bundled::vendor::{Vendor, vendor_inventory};

pub fn escape(db: &Db<Vendor>) {
    let _conn = <Db<Vendor> as Runs<vendor_inventory::Table>>::connection(db);
}

fn main() {}
