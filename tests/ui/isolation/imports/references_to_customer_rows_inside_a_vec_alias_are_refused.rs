use pg_sections::section;
use ui::bundled::customer::ShoppingCart as Basket;

type Borrowed<'a> = Vec<&'a mut Basket>;

#[section("vendor")]
pub fn count(baskets: Borrowed<'_>) -> usize {
    baskets.len()
}

fn main() {}
