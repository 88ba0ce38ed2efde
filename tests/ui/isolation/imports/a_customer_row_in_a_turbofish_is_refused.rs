use pg_sections::section;
use tests::bundled::customer::ShoppingCart;

#[section("vendor")]
pub fn f() -> usize {
    Vec::<ShoppingCart>::new().len()
}

fn main() {}
