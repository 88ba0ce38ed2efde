#![allow(non_upper_case_globals, confusable_idents, uncommon_codepoints)]
use pg_sections::section;

mod labels {
    pub const _PAID: ui::bundled::customer::OrderStatus =
        ui::bundled::customer::OrderStatus::Paid;
    pub const ÉTAT: ui::bundled::customer::OrderStatus =
        ui::bundled::customer::OrderStatus::Shipped;
}

use labels::{_PAID, ÉTAT};

#[section("vendor")]
pub fn label() -> String {
    format!("{_PAID} {ÉTAT:?}")
}

fn main() {}
