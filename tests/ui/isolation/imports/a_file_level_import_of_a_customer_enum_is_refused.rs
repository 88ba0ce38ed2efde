// The enum is imported at the top of the file, outside the item: only the
// compiler knows what `OrderStatus` is where the item uses it.
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub fn is_paid(status: OrderStatus) -> bool {
    status == OrderStatus::Paid
}

fn main() {}
