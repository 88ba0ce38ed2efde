// Known limit: paths in patterns are not probed (`matches!(…, Ok(OrderStatus::Paid))`).
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub fn paid(s: &str) -> bool {
    matches!(s.parse(), Ok(OrderStatus::Paid))
}

fn main() {}
