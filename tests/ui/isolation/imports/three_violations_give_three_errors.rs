use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::customer;
use ui::bundled::vendor::Vendor;

pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn everything(&self) -> pg_sections::Result<()> {
        customer::shopping_cart::Table.select().fetch_all(&self.db)?;
        customer::customer_order::Table.delete().execute(&self.db)?;
        let _paid = customer::OrderStatus::Paid;
        Ok(())
    }
}

fn main() {}
