//! An axum service whose state holds `Db<Vendor>` and a vendor repository
//! over the async pool: axum accepts the handlers only if the state is
//! `Clone + Send + Sync + 'static` and each handler's future is `Send`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use pg_sections::{Db, Pool, Table, section};
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

#[section("vendor")]
#[derive(Clone)]
pub struct Inventory {
    db: Db<Vendor>,
}

#[section("vendor")]
impl Inventory {
    pub async fn item(&self, id: i32) -> pg_sections::Result<Option<VendorInventory>> {
        vendor_inventory::Table.find(id).fetch_optional(&self.db).await
    }
}

#[derive(Clone)]
struct AppState {
    db: Db<Vendor>,
    inventory: Inventory,
}

async fn in_stock(State(app): State<AppState>) -> Result<Json<i64>, StatusCode> {
    vendor_inventory::Table
        .select()
        .filter(vendor_inventory::quantity.gt(0))
        .count(&app.db)
        .await
        .map(Json)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

async fn quantity(
    State(app): State<AppState>,
    Path(id): Path<i32>,
) -> Result<Json<i32>, StatusCode> {
    match app.inventory.item(id).await {
        Ok(Some(item)) => Ok(Json(item.quantity)),
        Ok(None) => Err(StatusCode::NOT_FOUND),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

pub fn router(pool: &Pool) -> Router {
    let db: Db<Vendor> = pool.db();
    Router::new()
        .route("/stock", get(in_stock))
        .route("/items/{id}", get(quantity))
        .with_state(AppState {
            inventory: Inventory { db: db.clone() },
            db,
        })
}

fn main() {}
