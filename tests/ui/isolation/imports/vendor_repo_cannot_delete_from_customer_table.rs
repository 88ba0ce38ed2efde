use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn drop_carts(&self) -> pg_sections::Result<u64> {
        shopping_cart::Table.delete().execute(&self.db)
    }
}

fn main() {}
