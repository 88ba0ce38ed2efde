use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer;
use ui::bundled::vendor::Vendor;

pub struct InventoryRepository {
    pub db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn newest_cart(&self) -> Option<customer::ShoppingCart> {
        None
    }
}

fn main() {}
