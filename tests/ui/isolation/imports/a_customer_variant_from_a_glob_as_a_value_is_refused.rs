use pg_sections::section;

#[section("vendor")]
pub fn s() -> String {
    use ui::bundled::customer::OrderStatus::*;
    Paid.to_string()
}

fn main() {}
