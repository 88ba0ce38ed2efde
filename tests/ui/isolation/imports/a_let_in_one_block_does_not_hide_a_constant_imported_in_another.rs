// A `let PAID` in one block does not make another block's imported
// constant `PAID` a variable.
#![allow(non_snake_case)]
use pg_sections::section;

pub mod labels {
    pub const PAID: ui::bundled::customer::OrderStatus =
        ui::bundled::customer::OrderStatus::Paid;
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
