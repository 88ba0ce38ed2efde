use pg_sections::section;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub const CARTS: shopping_cart::Table = shopping_cart::Table;

fn main() {}
