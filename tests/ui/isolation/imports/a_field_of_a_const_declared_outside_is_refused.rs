// A `const` or `static` declared outside holds another section's value in
// a field: the field is probed where it is read.
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

pub struct Labels {
    pub paid: OrderStatus,
}

pub const LABELS: Labels = Labels {
    paid: OrderStatus::Paid,
};

pub static PAID: (OrderStatus, u8) = (OrderStatus::Paid, 1);

#[section("vendor")]
pub fn labels() -> (String, String) {
    (LABELS.paid.to_string(), PAID.0.to_string())
}

fn main() {}
