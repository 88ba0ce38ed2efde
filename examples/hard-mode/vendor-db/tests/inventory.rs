//! The crate's own embedded migrations (the `vendor` section's alone) on a
//! fresh database.

use pg_sections::blocking::Db;
use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use vendor_db::Inventory;
use vendor_db::vendor::Vendor;

#[pg_sections::test]
fn stock_is_taken_while_it_lasts(db: Db<Vendor>) -> pg_sections::Result<()> {
    let inventory = Inventory::new(db);
    let acme = inventory.add_vendor("Acme Parts")?;
    let item = inventory.stock(&acme, Uuid::nil(), 3, Decimal::new(850, 2))?;
    assert_eq!(
        inventory.take(item.public_id, 2)?.map(|i| i.quantity),
        Some(1)
    );
    assert_eq!(inventory.take(item.public_id, 2)?, None);
    Ok(())
}
