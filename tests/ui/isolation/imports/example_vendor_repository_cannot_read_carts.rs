// The marketplace example's vendor repository (examples/src/vendor.rs), with
// one method added that reads customers' carts: the boundary holds in the
// real code, not only in toy cases. `ui::bundled` is the example's `db`
// module: generated from the same sections with the same settings.
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};
use pg_sections::uuid::Uuid;
use pg_sections::{Result, Table, section};
use pg_sections::blocking::Db;

#[section("vendor")]
#[derive(Debug, Clone)]
pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn new(db: Db<Vendor>) -> Self {
        Self { db }
    }

    pub fn find_by_public_id(&self, id: Uuid) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::public_id.eq(id))
            .fetch_optional(&self.db)
    }

    pub fn take_stock(&self, item: &VendorInventory, count: i32) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .update()
            .set(vendor_inventory::quantity, item.quantity - count)
            .set(vendor_inventory::updated_at, pg_sections::chrono::Utc::now())
            .filter(vendor_inventory::id.eq(item.id))
            .filter(vendor_inventory::quantity.eq(item.quantity))
            .returning()
            .fetch_optional(&self.db)
    }

    /// How many carts hold this item: customer data, not the vendor's.
    pub fn carts_holding(&self, item: Uuid) -> Result<i64> {
        shopping_cart::Table
            .select()
            .filter(shopping_cart::vendor_inventory_public_id.eq(item))
            .count(&self.db)
    }
}

fn main() {}
