use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::{Vendor, vendor_inventory};

pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn with_carts(&self) -> pg_sections::Result<usize> {
        let rows = vendor_inventory::Table
            .select()
            .inner_join(shopping_cart::Table)
            .fetch_all(&self.db)?;
        Ok(rows.len())
    }
}

fn main() {}
