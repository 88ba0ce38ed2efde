// A `const` declared outside is probed as a whole, by its type: a field of
// it (`LABELS.paid`), `<M as Trait>::CONST` and `Self::CONST` are not.
use pg_sections::section;
use tests::bundled::customer::OrderStatus;

pub struct Labels {
    pub paid: OrderStatus,
}

pub const LABELS: Labels = Labels {
    paid: OrderStatus::Paid,
};

pub trait Named {
    const STATUS: OrderStatus;
}

pub struct Marker;

impl Named for Marker {
    const STATUS: OrderStatus = OrderStatus::Paid;
}

#[section("vendor")]
pub fn labels() -> (String, String) {
    (LABELS.paid.to_string(), <Marker as Named>::STATUS.to_string())
}

fn main() {}
