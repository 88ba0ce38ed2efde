// The objects of a trait of an annotated module have its section when the
// attribute can write them itself (no generics, associated types or
// constants); `dyn carts::Source<u32>` gets through.
use pg_sections::section;

#[section("customer")]
pub mod carts {
    pub trait Source<T> {
        fn get(&self) -> T;
    }
}

#[section("vendor")]
pub fn read(source: &dyn carts::Source<u32>) -> u32 {
    source.get()
}

/// A service names the customer section.
pub fn section() -> ui::bundled::customer::Customer {
    ui::bundled::customer::Customer
}

fn main() {}
