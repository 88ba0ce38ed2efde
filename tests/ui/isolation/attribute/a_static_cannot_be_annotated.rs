use pg_sections::section;
use tests::bundled::customer::OrderStatus;

#[section("vendor")]
pub static PAID: OrderStatus = OrderStatus::Paid;

fn main() {}
