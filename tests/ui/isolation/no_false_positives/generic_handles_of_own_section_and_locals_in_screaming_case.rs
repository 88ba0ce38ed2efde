use pg_sections::{Runs, Table, section};
use pg_sections::blocking::{Blocking, Db};
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
pub struct Repository<H: Runs<vendor_inventory::Table, Mode = Blocking>> {
    db: H,
}

#[section("vendor")]
impl<H: Runs<vendor_inventory::Table, Mode = Blocking>> Repository<H> {
    pub fn count(&self) -> pg_sections::Result<i64> {
        #[allow(non_snake_case)]
        let LIMIT = 10;
        let total = vendor_inventory::Table.select().count(&self.db)?;
        Ok(total.min(LIMIT))
    }
}

pub fn build(db: Db<Vendor>) -> Repository<Db<Vendor>> {
    Repository { db }
}

fn main() {}
