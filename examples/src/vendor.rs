//! Section `vendor`: the repositories of vendors and the stock they hold.
//!
//! A stock item names its core part by `core_part_public_id`; the part
//! itself is in another section, read by a service
//! ([`InventoryService`](crate::services::InventoryService)).

use pg_sections::Db;
use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use pg_sections::{Page, Result, Table, section};

use crate::contains_pattern;
use crate::db::vendor::{
    ItemCondition, NewVendorInventory, NewVendorProfile, Vendor, VendorInventory, VendorProfile,
    vendor_inventory, vendor_profile,
};

/// Vendors: the businesses that sell parts.
#[section("vendor")]
#[derive(Debug, Clone)]
pub struct VendorRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl VendorRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Vendor>) -> Self {
        Self { db }
    }

    /// The vendor with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<VendorProfile>> {
        vendor_profile::Table
            .select()
            .filter(vendor_profile::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// A page of vendors by business name, optionally only those whose name
    /// contains `name` (case-insensitive).
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        name: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<VendorProfile>> {
        let mut query = vendor_profile::Table.select();
        if let Some(name) = name {
            query = query.filter(vendor_profile::business_name.ilike(contains_pattern(name)));
        }
        query
            .order_by(vendor_profile::business_name.asc())
            .order_by(vendor_profile::id.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds a vendor.
    ///
    /// # Errors
    /// The database's error.
    pub async fn create(&self, new: NewVendorProfile) -> Result<VendorProfile> {
        vendor_profile::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Deletes the vendor with this public id, and its stock; whether there
    /// was one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = vendor_profile::Table
            .delete()
            .filter(vendor_profile::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}

/// Which stock items [`InventoryRepository::list`] returns.
#[derive(Debug, Clone, Default)]
pub struct InventoryFilter {
    /// Only items of this vendor (its `id`).
    pub vendor_id: Option<i32>,
    /// Only items of this core part.
    pub part: Option<Uuid>,
    /// Only items in this condition.
    pub condition: Option<ItemCondition>,
    /// Only items at most this price.
    pub max_price: Option<Decimal>,
    /// Only items offered and in stock.
    pub in_stock: bool,
}

/// Stock: what each vendor holds of which core part, at which price.
#[section("vendor")]
#[derive(Debug, Clone)]
pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Vendor>) -> Self {
        Self { db }
    }

    /// The stock item with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// The stock items with these public ids, in one query. Ids that match
    /// nothing are left out.
    ///
    /// # Errors
    /// The database's error.
    pub async fn by_public_ids(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<Vec<VendorInventory>> {
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::public_id.is_in(ids))
            .order_by(vendor_inventory::id.asc())
            .fetch_all(&self.db)
            .await
    }

    /// The stock items with these public ids, with their vendors (a join
    /// inside the section), in one query. Ids that match nothing are left
    /// out.
    ///
    /// # Errors
    /// The database's error.
    pub async fn with_vendors(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<Vec<(VendorInventory, VendorProfile)>> {
        vendor_inventory::Table
            .select()
            .inner_join(vendor_profile::Table)
            .filter(vendor_inventory::public_id.is_in(ids))
            .order_by(vendor_inventory::id.asc())
            .fetch_all(&self.db)
            .await
    }

    /// A page of stock items with their vendors, cheapest first.
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        filter: &InventoryFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<(VendorInventory, VendorProfile)>> {
        let mut query = vendor_inventory::Table
            .select()
            .inner_join(vendor_profile::Table);
        if let Some(id) = filter.vendor_id {
            query = query.filter(vendor_inventory::vendor_id.eq(id));
        }
        if let Some(part) = filter.part {
            query = query.filter(vendor_inventory::core_part_public_id.eq(part));
        }
        if let Some(condition) = filter.condition {
            query = query.filter(vendor_inventory::condition.eq(condition));
        }
        if let Some(price) = filter.max_price {
            query = query.filter(vendor_inventory::price.le(price));
        }
        if filter.in_stock {
            query = query
                .filter(vendor_inventory::is_available.eq(true))
                .filter(vendor_inventory::quantity.gt(0));
        }
        query
            .order_by(vendor_inventory::price.asc())
            .order_by(vendor_inventory::id.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds a stock item.
    ///
    /// # Errors
    /// The database's error (a SKU the vendor already uses is a unique
    /// violation).
    pub async fn create(&self, new: NewVendorInventory) -> Result<VendorInventory> {
        vendor_inventory::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Sets the stock of an item (a delivery, a count); the updated item, if
    /// there is one with this public id.
    ///
    /// # Errors
    /// The database's error (a negative quantity violates a check).
    pub async fn set_stock(&self, id: Uuid, quantity: i32) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .update()
            .set(vendor_inventory::quantity, quantity)
            .set(
                vendor_inventory::updated_at,
                pg_sections::chrono::Utc::now(),
            )
            .filter(vendor_inventory::public_id.eq(id))
            .returning()
            .fetch_optional(&self.db)
            .await
    }

    /// Takes `count` out of the stock of the item with this `id`, provided
    /// it is offered and holds at least `count`; the updated item, or `None`
    /// when there is no such item or it cannot give `count`.
    ///
    /// The server computes the new stock (`quantity = quantity + $1` with
    /// `-count`) and re-checks `quantity >= count` after waiting for a
    /// concurrent writer, so two orders cannot both take the same units, and
    /// neither fails while there is enough for both.
    ///
    /// # Errors
    /// The database's error.
    pub async fn take_stock(&self, id: i32, count: i32) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .update()
            .add(vendor_inventory::quantity, -count)
            .set(
                vendor_inventory::updated_at,
                pg_sections::chrono::Utc::now(),
            )
            .filter(vendor_inventory::id.eq(id))
            .filter(vendor_inventory::is_available.eq(true))
            .filter(vendor_inventory::quantity.ge(count))
            .returning()
            .fetch_optional(&self.db)
            .await
    }

    /// Stops offering an item, keeping its history; the updated item, if
    /// there is one with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn withdraw(&self, id: Uuid) -> Result<Option<VendorInventory>> {
        vendor_inventory::Table
            .update()
            .set(vendor_inventory::is_available, false)
            .set(
                vendor_inventory::updated_at,
                pg_sections::chrono::Utc::now(),
            )
            .filter(vendor_inventory::public_id.eq(id))
            .returning()
            .fetch_optional(&self.db)
            .await
    }

    /// Deletes the stock item with this public id; whether there was one.
    ///
    /// Carts that hold it keep its public id: no foreign key crosses
    /// sections, and checkout reports it as not found.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = vendor_inventory::Table
            .delete()
            .filter(vendor_inventory::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}
