//! What an axum or actix service holds: a vendor repository over the async
//! pool in a state that is `Clone + Send + Sync + 'static`, whose queries
//! (and a service's transaction across sections) are futures that can be
//! spawned.

use pg_sections::{Async, Db, Error, Pool, Runs, Table, section};
use ui::bundled::customer::{Customer, shopping_cart};
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
#[derive(Clone)]
pub struct Inventory {
    db: Db<Vendor>,
}

#[section("vendor")]
impl Inventory {
    pub async fn in_stock(&self) -> pg_sections::Result<i64> {
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::quantity.gt(0))
            .count(&self.db)
            .await
    }
}

/// Generic over async handles that may read the inventory.
#[section("vendor")]
pub async fn stock_on<H: Runs<vendor_inventory::Table, Mode = Async>>(
    db: &H,
) -> pg_sections::Result<i64> {
    vendor_inventory::Table.select().count(db).await
}

#[derive(Clone)]
pub struct AppState {
    inventory: Inventory,
    pool: Pool,
}

fn state<S: Clone + Send + Sync + 'static>(_: &S) {}

fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}

/// A service: one transaction over both sections.
pub async fn checkout(pool: Pool) -> Result<(i64, i64), Error> {
    pool.transaction(async |tx| {
        let stock = vendor_inventory::Table
            .select()
            .count(&tx.db::<Vendor>())
            .await?;
        let carts = shopping_cart::Table
            .select()
            .count(&tx.db::<Customer>())
            .await?;
        Ok((stock, carts))
    })
    .await
}

pub fn serve(pool: Pool) {
    let app = AppState {
        inventory: Inventory { db: pool.db() },
        pool,
    };
    state(&app);
    let handler_state = app.clone();
    spawnable(async move { handler_state.inventory.in_stock().await });
    let pooled = app.inventory.db.clone();
    spawnable(async move { stock_on(&pooled).await });
    spawnable(checkout(app.pool));
}

fn main() {}
