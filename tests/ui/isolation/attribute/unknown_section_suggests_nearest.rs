use pg_sections::section;

#[section("vendr")]
pub struct InventoryRepository;

fn main() {}
