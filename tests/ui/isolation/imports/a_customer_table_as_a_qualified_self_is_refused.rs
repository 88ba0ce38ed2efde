use pg_sections::section;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn n() -> &'static str {
    <shopping_cart::Table as pg_sections::Table>::NAME
}

fn main() {}
