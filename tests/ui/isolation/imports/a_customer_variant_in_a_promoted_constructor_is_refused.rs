// A constructor's argument of another section, inside a promoted constant,
// is checked beside the constant.
use pg_sections::section;
use ui::bundled::customer::OrderStatus;

#[section("vendor")]
pub fn count() -> usize {
    let statuses: &'static [Option<_>] = &[Some(OrderStatus::Paid), None];
    statuses.len()
}

fn main() {}
