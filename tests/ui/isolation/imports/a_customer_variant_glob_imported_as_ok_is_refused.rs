use pg_sections::section;

mod statuses {
    pub use ui::bundled::customer::OrderStatus::Paid as Ok;
}

#[section("vendor")]
pub fn paid() -> bool {
    use statuses::*;
    matches!(Ok.as_str(), "paid")
}

fn main() {}
