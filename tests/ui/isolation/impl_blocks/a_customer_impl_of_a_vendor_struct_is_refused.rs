use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub struct StockRepository { pub db: Db<Vendor> }

#[section("customer")]
impl StockRepository {
    pub fn carts(&self, carts: &Db<Customer>) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(carts)
    }
}

fn main() {}
