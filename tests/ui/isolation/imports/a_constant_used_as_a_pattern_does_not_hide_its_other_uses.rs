use pg_sections::section;
use ui::bundled::customer::Customer;

mod labels {
    pub const PAID: ui::bundled::customer::OrderStatus =
        ui::bundled::customer::OrderStatus::Paid;
}

use labels::PAID;

#[section("vendor")]
pub fn label() -> String {
    if let PAID = PAID {}
    let status = PAID;
    format!("{PAID} {}", status.as_str())
}

#[section("vendor")]
pub fn section() -> String {
    let _unused = |Customer| 0_u8;
    format!("{Customer:?}")
}

fn main() {}
