use pg_sections::section;

#[section("customer")]
pub mod carts {
    pub trait CartOps {
        fn count(&self) -> i64;
    }
}

#[section("vendor")]
pub fn count(carts: &dyn carts::CartOps) -> i64 {
    carts.count()
}

#[section("vendor")]
pub struct Holder {
    pub carts: Box<dyn carts::CartOps + Send + Sync>,
}

/// A service: the customer section, by name.
pub fn section() -> ui::bundled::customer::Customer {
    ui::bundled::customer::Customer
}

fn main() {}
