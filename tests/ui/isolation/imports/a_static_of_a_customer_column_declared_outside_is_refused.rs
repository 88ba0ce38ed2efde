use pg_sections::{Column, Expr, section};
use ui::bundled::customer::shopping_cart;

static QUANTITY: Column<shopping_cart::Table, i32> = shopping_cart::quantity;

#[section("vendor")]
pub fn large_orders() -> Expr<shopping_cart::Table> {
    QUANTITY.gt(10)
}

fn main() {}
