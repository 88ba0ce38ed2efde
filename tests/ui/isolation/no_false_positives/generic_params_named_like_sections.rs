use pg_sections::section;

#[section("vendor")]
pub fn f<Customer: Clone, Session>(c: Customer, _s: Option<Session>) -> Customer {
    struct ShoppingCart;
    let shopping_cart = ShoppingCart;
    let _ = shopping_cart;
    c.clone()
}

fn main() {}
