use pg_sections::{InSection, Table, section};
use pg_sections::blocking::{Connection, Db};
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
pub struct Repo { conn: Connection }

#[section("vendor")]
impl Repo {
    pub fn count<T: Table<Section = Vendor>>(&self, t: T) -> pg_sections::Result<i64>
    where T: InSection<Vendor> {
        let db: Db<Vendor> = self.conn.db();
        t.select().count(&db)
    }
    pub fn go(&self) -> pg_sections::Result<i64> {
        let n = self.count(vendor_inventory::Table)?;
        let db = self.conn.db::<Vendor>();
        Ok(n + vendor_inventory::Table.select().filter(vendor_inventory::id.eq(1)).count(&db)?)
    }
}

fn main() {}
