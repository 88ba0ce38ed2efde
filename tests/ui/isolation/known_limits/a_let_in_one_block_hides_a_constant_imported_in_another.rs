// The names a function binds are collected for the whole function, not per
// block: a `let PAID` in one block leaves another block's imported constant
// `PAID` unprobed, as if it were the variable.
#![allow(non_snake_case)]
use pg_sections::section;

pub mod labels {
    pub const PAID: tests::bundled::customer::OrderStatus =
        tests::bundled::customer::OrderStatus::Paid;
}

#[section("vendor")]
pub fn label() -> String {
    let PAID = 0u8;
    let _ = PAID;
    {
        use crate::labels::PAID;
        PAID.to_string()
    }
}

fn main() {}
