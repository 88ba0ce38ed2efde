// Known limit: a `use` (re-export) in an annotated module names a module, which no probe can ask about.
use pg_sections::section;

#[section("vendor")]
pub mod stock {
    pub use ui::bundled::customer::shopping_cart as inventory;
}

fn main() {}
