use pg_sections::section;

#[section("vendor")]
pub fn n() -> usize {
    const { tests::bundled::customer::OrderStatus::ALL.len() }
}

fn main() {}
