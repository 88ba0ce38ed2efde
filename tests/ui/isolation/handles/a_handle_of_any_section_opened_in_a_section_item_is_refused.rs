use pg_sections::{InSection, Section, Table, section};
use pg_sections::blocking::{Connection, Db};
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
pub fn count_any<T: InSection<Vendor>>(conn: &Connection, t: T) -> pg_sections::Result<i64> {
    t.select().count(&conn.db::<Vendor>())
}

#[section("vendor")]
pub fn handle<S: Section>(conn: &Connection) -> Db<S> {
    conn.db()
}

#[section("vendor")]
pub fn run(conn: &Connection) -> pg_sections::Result<i64> {
    let db: Db<Vendor> = handle(conn);
    let _ = db;
    count_any(conn, vendor_inventory::Table)
}

#[section("vendor")]
pub fn gen_table<T: Table<Section = Vendor>>(db: &Db<Vendor>, t: T) -> pg_sections::Result<i64>
where T: InSection<Vendor> {
    t.select().count(db)
}

fn main() {}
