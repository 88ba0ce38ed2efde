use pg_sections::section;

#[section("vendor")]
pub fn part_table() -> &'static str {
    const PARTS: tests::bundled::core::part::Table = tests::bundled::core::part::Table;
    let _ = PARTS;
    "part"
}

fn main() {}
