use std::sync::OnceLock;

use pg_sections::blocking::Db;
use pg_sections::{Table, section};
use ui::bundled::customer::{Customer, shopping_cart};

/// A global handle, set once at start-up.
static CARTS: OnceLock<Db<Customer>> = OnceLock::new();

#[section("vendor")]
pub fn carts() -> pg_sections::Result<i64> {
    let db = CARTS.get().expect("set at start-up");
    shopping_cart::Table.select().count(db)
}

fn main() {}
