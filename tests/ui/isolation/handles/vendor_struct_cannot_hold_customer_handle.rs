use pg_sections::section;
use pg_sections::blocking::Db;
use tests::bundled::customer::Customer;
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
    customers: Db<Customer>,
}

fn main() {}
