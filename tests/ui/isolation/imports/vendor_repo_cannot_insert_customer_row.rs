use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{NewShoppingCart, shopping_cart};
use ui::bundled::vendor::Vendor;

pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn reserve(&self, cart: NewShoppingCart) -> pg_sections::Result<u64> {
        shopping_cart::Table.insert(cart).execute(&self.db)
    }
}

fn main() {}
