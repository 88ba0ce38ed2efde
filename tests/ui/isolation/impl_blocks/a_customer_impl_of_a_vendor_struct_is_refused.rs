use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use tests::bundled::customer::{Customer, shopping_cart};
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub struct StockRepository { pub db: Db<Vendor> }

#[section("customer")]
impl StockRepository {
    pub fn carts(&self, carts: &Db<Customer>) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(carts)
    }
}

fn main() {}
