// A vendor struct may hold an unannotated type (a service's dependency),
// and that type may hold a customer handle: its fields are its own.
use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};
use ui::bundled::vendor::Vendor;

pub struct Deps {
    carts: Db<Customer>,
}

impl Deps {
    pub fn cart_count(&self) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(&self.carts)
    }
}

#[section("vendor")]
pub struct InventoryRepository {
    pub db: Db<Vendor>,
    pub deps: Deps,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn carts(&self) -> pg_sections::Result<i64> {
        self.deps.cart_count()
    }
}

fn main() {}
