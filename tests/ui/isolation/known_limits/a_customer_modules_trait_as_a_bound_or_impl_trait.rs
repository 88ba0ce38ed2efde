// The objects of a customer module's trait (`dyn carts::CartOps`) have its
// section; the trait as a bound (`T: carts::CartOps`) or `impl
// carts::CartOps` is not probed: a trait is no type.
use pg_sections::section;

#[section("customer")]
pub mod carts {
    pub trait CartOps {
        fn count(&self) -> i64;
    }
}

#[section("vendor")]
pub fn bound<T: carts::CartOps>(carts: &T) -> i64 {
    carts.count()
}

#[section("vendor")]
pub fn argument(carts: impl carts::CartOps) -> i64 {
    carts.count()
}

/// A service names the customer section.
pub fn section() -> ui::bundled::customer::Customer {
    ui::bundled::customer::Customer
}

fn main() {}
