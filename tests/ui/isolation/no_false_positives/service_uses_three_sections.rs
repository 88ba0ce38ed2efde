// Services (no attribute) may hold handles of several sections and join by
// public ids.
use pg_sections::Table;
use pg_sections::blocking::{Connection, Db};
use ui::bundled::core::{Core, part};
use ui::bundled::customer::{Customer, shopping_cart};
use ui::bundled::vendor::{Vendor, vendor_inventory};

pub struct CheckoutService {
    core: Db<Core>,
    vendor: Db<Vendor>,
    customer: Db<Customer>,
}

impl CheckoutService {
    pub fn new(conn: &Connection) -> Self {
        Self {
            core: conn.db::<Core>(),
            vendor: conn.db::<Vendor>(),
            customer: conn.db::<Customer>(),
        }
    }

    pub fn cart_lines(&self, customer_id: i32) -> pg_sections::Result<usize> {
        let lines = shopping_cart::Table
            .select()
            .filter(shopping_cart::customer_id.eq(customer_id))
            .fetch_all(&self.customer)?;
        let stock_ids: Vec<_> = lines.iter().map(|l| l.vendor_inventory_public_id).collect();
        let stock = vendor_inventory::Table
            .select()
            .filter(vendor_inventory::public_id.is_in(stock_ids))
            .fetch_all(&self.vendor)?;
        let parts: Vec<_> = stock.iter().map(|s| s.core_part_public_id).collect();
        let known = part::Table
            .select()
            .filter(part::public_id.is_in(parts))
            .count(&self.core)?;
        Ok(usize::try_from(known).unwrap_or(0))
    }
}

fn main() {}
