use pg_sections::section;
use ui::bundled::customer::ShoppingCart;

#[section("vendor")]
pub fn offset() -> usize {
    std::mem::offset_of!(ShoppingCart, quantity)
}

fn main() {}
