use pg_sections::{Select, Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::Vendor;

// A helper outside any section: it may build any query.
fn everything<T: Table>(table: T) -> Select<T> {
    table.select()
}

fn carts() -> Select<ui::bundled::customer::shopping_cart::Table> {
    everything(ui::bundled::customer::shopping_cart::Table)
}

pub struct InventoryRepository {
    db: Db<Vendor>,
}

#[section("vendor")]
impl InventoryRepository {
    pub fn carts(&self) -> pg_sections::Result<usize> {
        Ok(carts().fetch_all(&self.db)?.len())
    }
}

fn main() {}
