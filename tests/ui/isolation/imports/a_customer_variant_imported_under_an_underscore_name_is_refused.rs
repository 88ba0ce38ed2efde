#![allow(non_camel_case_types)]
use pg_sections::section;
use ui::bundled::customer::OrderStatus::Paid as _Paid;

#[section("vendor")]
pub fn label() -> &'static str {
    let status = _Paid;
    status.as_str()
}

fn main() {}
