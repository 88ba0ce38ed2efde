use pg_sections::section;
use tests::bundled::customer::OrderStatus;

#[section("vendor")]
pub fn n() -> usize {
    OrderStatus::ALL.len()
}

fn main() {}
