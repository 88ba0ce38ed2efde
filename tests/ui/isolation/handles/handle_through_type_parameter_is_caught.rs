use pg_sections::{Runs, Table, section};
use pg_sections::blocking::{Blocking, Db};
use ui::bundled::customer::Customer;
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
pub struct InventoryRepository<D: Runs<vendor_inventory::Table, Mode = Blocking>> {
    db: D,
}

#[section("vendor")]
impl<D: Runs<vendor_inventory::Table, Mode = Blocking>> InventoryRepository<D> {
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
