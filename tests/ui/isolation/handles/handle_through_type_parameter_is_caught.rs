use pg_sections::{Db, Runs, Table, section};
use tests::bundled::customer::Customer;
use tests::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
pub struct InventoryRepository<D: Runs<vendor_inventory::Table>> {
    db: D,
}

#[section("vendor")]
impl<D: Runs<vendor_inventory::Table>> InventoryRepository<D> {
    pub fn count(&self) -> pg_sections::Result<i64> {
        vendor_inventory::Table.select().count(&self.db)
    }
}

fn sneaky(db: Db<Customer>, vendor: Db<Vendor>) {
    // A vendor repository over a customer handle.
    let _ = InventoryRepository { db };
    let _ = InventoryRepository { db: vendor }.count();
}

fn main() {
    let _ = sneaky;
}
