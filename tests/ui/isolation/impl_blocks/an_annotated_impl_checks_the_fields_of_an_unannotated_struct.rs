use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};

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
