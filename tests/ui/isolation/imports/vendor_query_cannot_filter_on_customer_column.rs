use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer;
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn in_big_carts(&self) -> pg_sections::Result<Vec<VendorInventory>> {
        vendor_inventory::Table
            .select()
            .filter(customer::shopping_cart::quantity.gt(10))
            .fetch_all(&self.db)
    }
}

fn main() {}
