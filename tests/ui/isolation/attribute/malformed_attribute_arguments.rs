use pg_sections::section;

#[section]
pub struct NoName;

#[section(vendor)]
pub struct NotAString;

#[section("vendor", "customer")]
pub struct TwoNames;

#[section("vendor")]
pub trait NotAnItemItAppliesTo {}

fn main() {}
