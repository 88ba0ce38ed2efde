//! The `vendor` section, and nothing else: `build.rs` generates only it
//! (`Config::sections(["vendor"])`), so no code here can name a customer
//! table. The crate graph is the boundary: there is no `customer` module to
//! import and no dependency on `customer-db`.

pg_sections::include_sections!();

use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use pg_sections::{Result, Table};
use pg_sections::blocking::Db;

use vendor::{
    NewVendorInventory, NewVendorProfile, Vendor, VendorInventory, VendorProfile, vendor_inventory,
    vendor_profile,
};

/// The `vendor` section's migrations, and only them, embedded by `build.rs`.
pub static MIGRATIONS: pg_sections::migrate::Migrations = pg_sections::include_migrations!();

/// Vendors and the stock they hold.
#[derive(Debug, Clone)]
pub struct Inventory {
    db: Db<Vendor>,
}

impl Inventory {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Vendor>) -> Self {
        Self { db }
    }

    /// Adds a vendor.
    ///
    /// # Errors
    /// The database's error.
    pub fn add_vendor(&self, business_name: &str) -> Result<VendorProfile> {
        vendor_profile::Table
            .insert(NewVendorProfile::new(business_name))
            .returning()
            .fetch_one(&self.db)
    }

    /// Adds `quantity` of a core part to a vendor's stock at `price`.
    ///
    /// # Errors
    /// The database's error.
    pub fn stock(
        &self,
        vendor: &VendorProfile,
        part: Uuid,
        quantity: i32,
        price: Decimal,
    ) -> Result<VendorInventory> {
        vendor_inventory::Table
            .insert(NewVendorInventory {
                quantity: Some(quantity),
                ..NewVendorInventory::new(vendor.id, part, price)
            })
            .returning()
            .fetch_one(&self.db)
    }

    /// Takes `count` out of the stock of the item with public id `item`,
    /// provided it is offered and holds at least `count`: the updated item,
    /// or `None` when it cannot give `count`. The server computes the new
    /// quantity, so two takers never both get the same units.
    ///
    /// # Errors
    /// The database's error.
    pub fn take(&self, item: Uuid, count: i32) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .update()
            .add(vendor_inventory::quantity, -count)
            .filter(vendor_inventory::public_id.eq(item))
            .filter(vendor_inventory::is_available.eq(true))
            .filter(vendor_inventory::quantity.ge(count))
            .returning()
            .fetch_optional(&self.db)
    }
}
