use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, vendor_inventory};

mod customer {
    // An unrelated module of the user's that happens to share the name.
    pub fn greeting() -> &'static str {
        "hello"
    }
}

#[section("vendor")]
pub struct InventoryRepository {
    db: Db<Vendor>,
    /// The customer this repository serves, as plain data (a public id);
    /// customer::shopping_cart is mentioned only in this comment.
    customer: pg_sections::uuid::Uuid,
}

#[section("vendor")]
impl InventoryRepository {
    /// ```
    /// // customer::shopping_cart::Table in a doc test is just text here.
    /// ```
    pub fn stock_for(&self, customer: pg_sections::uuid::Uuid) -> pg_sections::Result<i64> {
        let shopping_cart = "customer::shopping_cart::Table";
        let _ = (shopping_cart, customer, self.customer, customer::greeting());
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::core_part_public_id.eq(customer))
            .count(&self.db)
    }
}

fn main() {}
