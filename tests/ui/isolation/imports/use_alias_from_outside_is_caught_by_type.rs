// The aliases are declared outside the item, where the attribute cannot see
// them: the type layer catches what they hide.
use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer as Buyer;
use ui::bundled::customer::shopping_cart as baskets;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
    buyers: Db<Buyer>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn baskets(&self) -> pg_sections::Result<usize> {
        Ok(baskets::Table.select().fetch_all(&self.db)?.len())
    }
}

fn main() {}
