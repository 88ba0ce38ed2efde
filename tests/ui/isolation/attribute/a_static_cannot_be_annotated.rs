use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub static PAID: OrderStatus = OrderStatus::Paid;

fn main() {}
