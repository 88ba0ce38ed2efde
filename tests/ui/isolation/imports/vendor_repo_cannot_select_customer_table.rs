use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn carts(&self) -> pg_sections::Result<usize> {
        Ok(shopping_cart::Table.select().fetch_all(&self.db)?.len())
    }
}

fn main() {}
