// The vendor section's own queries inside `tokio::try_join!`.
use pg_sections::{Db, Table, section};
use ui::bundled::vendor::{Vendor, vendor_inventory, vendor_profile};

#[section("vendor")]
pub async fn counts(db: &Db<Vendor>) -> pg_sections::Result<(i64, i64)> {
    let profiles = vendor_profile::Table.select();
    let items = vendor_inventory::Table.select();
    tokio::try_join!(profiles.count(db), items.count(db))
}

fn main() {}
