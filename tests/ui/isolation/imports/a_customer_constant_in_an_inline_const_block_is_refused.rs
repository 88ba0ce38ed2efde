use pg_sections::section;

#[section("vendor")]
pub fn n() -> usize {
    const { ui::bundled::customer::OrderStatus::ALL.len() }
}

fn main() {}
