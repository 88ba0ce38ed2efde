use pg_sections::{Db, section};
use tests::bundled::customer::Customer;
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
    customers: Db<Customer>,
}

fn main() {}
