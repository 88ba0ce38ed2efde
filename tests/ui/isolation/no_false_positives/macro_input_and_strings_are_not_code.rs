use pg_sections::section;

macro_rules! describe {
    ($($t:tt)*) => {
        stringify!($($t)*)
    };
}

#[section("vendor")]
pub fn docs() -> String {
    let a = stringify!(ui::bundled::customer::shopping_cart::Table);
    let b = describe!(ui::bundled::customer::ShoppingCart { id: 1 });
    let c = concat!("customer", "::", "shopping_cart");
    format!("{a} {b} {c} {}", "ui::bundled::customer::OrderStatus::Paid")
}

fn main() {}
