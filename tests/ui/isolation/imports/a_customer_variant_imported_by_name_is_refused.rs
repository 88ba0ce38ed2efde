use pg_sections::section;
use ui::bundled::customer::OrderStatus::Paid;

#[section("vendor")]
pub fn describe() -> String {
    let status = Paid;
    format!("{status:?}")
}

fn main() {}
