// Known limit: `Type::function()` is not probed (its qualifier may be a trait).
use pg_sections::section;
use ui::bundled::customer::NewShoppingCart;

#[section("vendor")]
pub fn n() {
    let _ = NewShoppingCart::new(1, pg_sections::uuid::Uuid::nil(), pg_sections::rust_decimal::Decimal::ZERO);
}

fn main() {}
