use pg_sections::{Table, section};
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn cart_sql() -> String {
    #[cfg(any())]
    eprintln!("debug: {}", shopping_cart::Table.select().to_sql());
    shopping_cart::Table.select().to_sql().to_string()
}

fn main() {}
