use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::Vendor;

type Carts = ui::bundled::customer::shopping_cart::Table;
type BuyerDb = Db<ui::bundled::customer::Customer>;

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn carts(&self) -> pg_sections::Result<usize> {
        Ok(Carts::default().select().fetch_all(&self.db)?.len())
    }
}

#[section("vendor")]
pub fn open(buyers: &BuyerDb) -> usize {
    let _ = buyers;
    0
}

fn main() {}
