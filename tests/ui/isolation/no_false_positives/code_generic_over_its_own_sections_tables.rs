use pg_sections::{Section, section};
use pg_sections::blocking::{Connection, Db};
use ui::bundled::vendor::{Vendor, vendor_inventory, vendor_profile};

#[section("vendor")]
pub struct Counter {
    conn: Connection,
}

#[section("vendor")]
impl Counter {
    pub fn count<T>(&self, table: T) -> pg_sections::Result<i64>
    where
        T: pg_sections::InSection<Vendor>,
    {
        let db = self.conn.db::<T::Section>();
        table.select().count(&db)
    }

    pub fn both(&self) -> pg_sections::Result<i64> {
        Ok(self.count(vendor_inventory::Table)? + self.count(vendor_profile::Table)?)
    }
}

#[section("vendor")]
pub fn name_of<S: Section>(_: &Db<S>) -> &'static str {
    S::NAME
}

fn main() {}
