use pg_sections::section;
use tests::bundled::customer::OrderStatus::Paid;

#[section("vendor")]
pub fn describe() -> String {
    let status = Paid;
    format!("{status:?}")
}

fn main() {}
