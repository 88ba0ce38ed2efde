// A customer constant named through a qualified path.
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

pub trait Named {
    const STATUS: OrderStatus;
}

pub struct Marker;

impl Named for Marker {
    const STATUS: OrderStatus = OrderStatus::Paid;
}

#[section("vendor")]
pub fn label() -> String {
    <Marker as Named>::STATUS.to_string()
}

fn main() {}
