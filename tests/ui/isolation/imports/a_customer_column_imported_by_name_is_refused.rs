use pg_sections::section;
use ui::bundled::customer::shopping_cart::quantity;

#[section("vendor")]
pub fn column_name() -> &'static str {
    quantity.name()
}

fn main() {}
