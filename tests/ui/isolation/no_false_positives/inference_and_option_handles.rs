use pg_sections::{Table, section};
use pg_sections::blocking::{Connection, Db};
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

#[section("vendor")]
pub struct Repo<'a> { conn: &'a Connection, db: Option<Db<Vendor>> }

#[section("vendor")]
impl<'a> Repo<'a> {
    pub fn open(&self) -> Db<Vendor> { self.conn.db() }
    pub fn rows(&self) -> pg_sections::Result<Vec<VendorInventory>> {
        let db = self.db.as_ref().map(Clone::clone).unwrap_or_else(|| self.conn.db());
        let mut v = Vec::new();
        for r in vendor_inventory::Table.select().fetch_all(&db)? { v.push(r); }
        let ids: Vec<_> = v.iter().map(|r| r.id).collect();
        let total: i64 = ids.iter().map(|&i| i64::from(i)).sum();
        let _ = total;
        Ok(v)
    }
}

fn main() {}
