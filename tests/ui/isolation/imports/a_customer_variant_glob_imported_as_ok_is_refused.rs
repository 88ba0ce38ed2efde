use pg_sections::section;

mod statuses {
    pub use tests::bundled::customer::OrderStatus::Paid as Ok;
}

#[section("vendor")]
pub fn paid() -> bool {
    use statuses::*;
    matches!(Ok.as_str(), "paid")
}

fn main() {}
