use pg_sections::section;
use ui::bundled::customer::ShoppingCart;

#[section("vendor")]
pub fn f() -> usize {
    Vec::<ShoppingCart>::new().len()
}

fn main() {}
