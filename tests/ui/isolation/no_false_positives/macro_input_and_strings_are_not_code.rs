use pg_sections::section;

macro_rules! describe {
    ($($t:tt)*) => {
        stringify!($($t)*)
    };
}

#[section("vendor")]
pub fn docs() -> String {
    let a = stringify!(tests::bundled::customer::shopping_cart::Table);
    let b = describe!(tests::bundled::customer::ShoppingCart { id: 1 });
    let c = concat!("customer", "::", "shopping_cart");
    format!("{a} {b} {c} {}", "tests::bundled::customer::OrderStatus::Paid")
}

fn main() {}
