use std::fmt::Write as _;

use pg_sections::section;
use ui::bundled::customer::OrderStatus::Shipped;

#[section("vendor")]
pub fn label(out: &mut String) -> std::fmt::Result {
    write!(out, "{Shipped}")
}

fn main() {}
