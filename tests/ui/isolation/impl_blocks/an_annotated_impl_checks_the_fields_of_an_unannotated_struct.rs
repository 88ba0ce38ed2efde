use pg_sections::{Db, Table, section};
use tests::bundled::customer::{Customer, shopping_cart};

pub struct App {
    carts: Db<Customer>,
}

#[section("vendor")]
impl App {
    pub fn abandoned(&self) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(&self.carts)
    }
}

fn main() {}
