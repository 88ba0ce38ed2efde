use pg_sections::section;
use ui::bundled::customer as shop;

#[section("vendor")]
pub struct Buffer {
    pub bytes: [u8; size_of::<shop::ShoppingCart>()],
}

fn main() {}
