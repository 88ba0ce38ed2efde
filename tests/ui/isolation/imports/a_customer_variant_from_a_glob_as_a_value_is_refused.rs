use pg_sections::section;

#[section("vendor")]
pub fn s() -> String {
    use tests::bundled::customer::OrderStatus::*;
    Paid.to_string()
}

fn main() {}
