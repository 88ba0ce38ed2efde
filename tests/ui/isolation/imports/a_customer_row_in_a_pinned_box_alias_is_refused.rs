use std::pin::Pin;

use pg_sections::section;
use ui::bundled::customer::ShoppingCart;

/// Pinned, boxed: still a customer row.
type Pinned = Pin<Box<ShoppingCart>>;

#[section("vendor")]
pub fn keep(cart: Pinned) -> usize {
    std::mem::size_of_val(&*cart)
}

fn main() {}
