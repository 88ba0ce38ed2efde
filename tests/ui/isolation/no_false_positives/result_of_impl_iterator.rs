use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

#[section("vendor")]
pub fn items(db: &Db<Vendor>) -> pg_sections::Result<impl Iterator<Item = VendorInventory>> {
    Ok(vendor_inventory::Table.select().fetch_all(db)?.into_iter())
}

fn main() {}
