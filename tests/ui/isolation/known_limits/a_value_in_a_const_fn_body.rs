// A `const fn`'s body cannot call the checks: its signature and the types
// and constants it names are probed, a value such as a variant is not.
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub const fn settled_label() -> &'static str {
    OrderStatus::Paid.as_str()
}

fn main() {}
