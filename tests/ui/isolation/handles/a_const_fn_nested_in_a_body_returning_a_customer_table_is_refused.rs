use pg_sections::{Table, section};
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn cart_sql() -> String {
    const fn carts() -> shopping_cart::Table {
        shopping_cart::Table
    }
    carts().select().to_sql().to_string()
}

fn main() {}
