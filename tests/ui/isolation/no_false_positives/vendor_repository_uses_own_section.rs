use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{self, Vendor, VendorInventory, vendor_inventory, vendor_profile};

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn for_vendor(&self, id: i32) -> pg_sections::Result<Vec<VendorInventory>> {
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::vendor_id.eq(id))
            .order_by(vendor_inventory::id.asc())
            .fetch_all(&self.db)
    }

    pub fn with_owner(&self) -> pg_sections::Result<Vec<(VendorInventory, vendor::VendorProfile)>> {
        vendor_inventory::Table
            .select()
            .inner_join(vendor_profile::Table)
            .fetch_all(&self.db)
    }

    pub fn restock(&self, id: i32, quantity: i32) -> pg_sections::Result<u64> {
        vendor::vendor_inventory::Table
            .update_by_key(id)
            .set(vendor_inventory::quantity, quantity)
            .execute(&self.db)
    }
}

#[section("vendor")]
pub fn condition_label(condition: vendor::ItemCondition) -> &'static str {
    condition.as_str()
}

#[section("vendor")]
pub mod reports {
    use pg_sections::Table;
    use pg_sections::blocking::Db;
    use ui::bundled::vendor::{Vendor, vendor_inventory};

    pub fn stock(db: &Db<Vendor>) -> pg_sections::Result<i64> {
        vendor_inventory::Table.select().count(db)
    }
}

fn main() {
    let _ = InventoryRepository::for_vendor;
}
