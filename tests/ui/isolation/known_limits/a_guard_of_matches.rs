// `matches!`'s value is probed, its pattern and guard are not.
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub fn is_paid(s: &str) -> bool {
    matches!(s.parse::<u8>(), Ok(_) if s == OrderStatus::Paid.as_str())
}

fn main() {}
