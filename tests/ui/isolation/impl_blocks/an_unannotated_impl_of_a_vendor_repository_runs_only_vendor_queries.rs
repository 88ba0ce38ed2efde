use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub struct StockRepository {
    db: Db<Vendor>,
}

// No attribute here: the struct's handle still runs vendor queries only.
impl StockRepository {
    pub fn carts(&self) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(&self.db)
    }
}

fn main() {}
