use pg_sections::section;
use ui::bundled::customer::OrderStatus;

pub trait Defaults {
    const STATUS: OrderStatus;
}

#[section("vendor")]
pub struct Shipment;

impl Defaults for Shipment {
    const STATUS: OrderStatus = OrderStatus::Paid;
}

#[section("vendor")]
impl Shipment {
    pub fn label(&self) -> String {
        Self::STATUS.to_string()
    }
}

fn main() {}
