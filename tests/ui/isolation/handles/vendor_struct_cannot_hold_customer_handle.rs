use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
    customers: Db<Customer>,
}

fn main() {}
