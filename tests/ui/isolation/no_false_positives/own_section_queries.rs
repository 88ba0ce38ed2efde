use pg_sections::Table;
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory, vendor_profile};

fn for_vendor(db: &Db<Vendor>, id: i32) -> pg_sections::Result<Vec<(VendorInventory, vendor_profile::Table)>> {
    let rows = vendor_inventory::Table
        .select()
        .inner_join(vendor_profile::Table)
        .filter(vendor_inventory::vendor_id.eq(id))
        .filter(vendor_profile::business_name.ne("closed"))
        .order_by(vendor_inventory::id.asc())
        .fetch_all(db)?;
    Ok(rows.into_iter().map(|(item, _)| (item, vendor_profile::Table)).collect())
}

fn main() {
    let _ = for_vendor;
}
