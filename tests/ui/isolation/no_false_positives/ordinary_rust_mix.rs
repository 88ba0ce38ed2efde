use pg_sections::{Table, section};
use pg_sections::blocking::{Connection, Db};
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};
use std::convert::identity;

#[section("vendor")]
pub fn many(conn: &Connection, xs: &[i32]) -> pg_sections::Result<Vec<VendorInventory>> {
    let db: Db<Vendor> = conn.db();
    let mut out = Vec::new();
    let v: Vec<i32> = Vec::new();
    let _ = v;
    let d: String = Default::default();
    let _ = d;
    let none: Option<i32> = None;
    let _ = none;
    xs.iter().copied().map(identity).for_each(drop);
    'outer: for x in xs {
        for y in xs {
            if x == y { continue 'outer; }
            if *y > 10 { break 'outer; }
        }
    }
    let rows = vendor_inventory::Table.select().fetch_all(&db)?;
    for r in rows {
        if r.id < 0 { return Ok(out); }
        out.push(r);
    }
    let x = 1; let x = x + 1; let _ = x;
    const LIMIT: usize = 3;
    static NAME: &str = "v";
    let _ = (LIMIT, NAME);
    let MAX_ROWS = 10usize; let _ = MAX_ROWS;
    Ok(out)
}

fn main() {}
