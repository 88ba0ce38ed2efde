use pg_sections::section;
use ui::bundled::customer::*;

#[section("vendor")]
pub fn first_cart(carts: Vec<ShoppingCart>) -> Option<ShoppingCart> {
    carts.into_iter().next()
}

fn main() {}
