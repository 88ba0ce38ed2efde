use pg_sections::section;
use tests::bundled::customer::ShoppingCart;

#[section("vendor")]
pub fn offset() -> usize {
    std::mem::offset_of!(ShoppingCart, quantity)
}

fn main() {}
