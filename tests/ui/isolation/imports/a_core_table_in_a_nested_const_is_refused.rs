use pg_sections::section;

#[section("vendor")]
pub fn part_table() -> &'static str {
    const PARTS: ui::bundled::core::part::Table = ui::bundled::core::part::Table;
    let _ = PARTS;
    "part"
}

fn main() {}
