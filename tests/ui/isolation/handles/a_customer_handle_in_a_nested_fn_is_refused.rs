use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};

#[section("vendor")]
pub fn outer() {
    fn inner(db: &Db<Customer>) -> pg_sections::Result<i64> {
        shopping_cart::Table.select().count(db)
    }
    let _ = inner;
}

fn main() {}
