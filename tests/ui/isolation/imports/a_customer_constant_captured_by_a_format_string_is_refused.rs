use pg_sections::section;

mod labels {
    pub const PAID: ui::bundled::customer::OrderStatus =
        ui::bundled::customer::OrderStatus::Paid;
}

use labels::PAID;

#[section("vendor")]
pub fn label() -> String {
    format!("status: {PAID}")
}

#[section("vendor")]
pub fn debug() {
    println!("{PAID:?} and {:>width$}", 1, width = 3);
}

fn main() {}
