use runtime::section;

#[section("vendr")]
pub struct InventoryRepository;

fn main() {}
