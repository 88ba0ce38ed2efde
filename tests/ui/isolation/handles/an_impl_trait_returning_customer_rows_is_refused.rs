use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::customer::{ShoppingCart, shopping_cart};

#[section("vendor")]
pub fn f(conn: &Connection) -> pg_sections::Result<impl Iterator<Item = ShoppingCart>> {
    let _ = shopping_cart::Table;
    Ok(Vec::new().into_iter())
}

fn main() {}
