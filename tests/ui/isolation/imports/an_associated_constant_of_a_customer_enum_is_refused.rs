use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub fn n() -> usize {
    OrderStatus::ALL.len()
}

fn main() {}
