use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};

pub struct Wrapper {
    pub db: Db<Customer>,
}

#[section("vendor")]
pub fn carts(w: &Wrapper) -> pg_sections::Result<i64> {
    let db = &w.db;
    let _ = db;
    Ok(0)
}

fn main() {}
