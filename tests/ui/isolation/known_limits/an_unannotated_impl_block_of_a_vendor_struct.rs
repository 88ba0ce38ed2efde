// Known limit: an `impl` block without the attribute is not checked; the
// struct's own fields are (they were declared vendor-only), but what the
// block brings in itself (a customer handle parameter here) is not.
use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub struct StockRepository {
    pub db: Db<Vendor>,
}

impl StockRepository {
    pub fn carts(&self, carts: &Db<Customer>) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(carts)
    }
}

fn main() {}
