//! A parts marketplace on pg-sections: the Rust side of a database split
//! into four sections of one PostgreSQL database.
//!
//! - `core`: the shared catalogue (manufacturers, models, parts);
//! - `vendor`: vendors and the stock they hold of core parts;
//! - `customer`: customers, their carts and orders;
//! - `auth`: login accounts and sessions.
//!
//! Each section has its repositories, marked `#[pg_sections::section("…")]`, so
//! the compiler rejects a repository that touches another section's tables.
//! Work that spans sections lives in [`services`], which hold handles of
//! several sections and pass public ids between them, never joins:
//!
//! - [`services::InventoryService`] enriches vendor stock with core part
//!   details, one batched lookup per section;
//! - [`services::CartService`] adds to a cart after checking vendor stock;
//! - [`services::CheckoutService`] places an order in one transaction that
//!   takes the stock, writes the order and empties the cart.
//!
//! [`server`] serves them as JSON endpoints (axum) on the async pool.
//!
//! ```no_run
//! use examples::services::{CartService, CheckoutService};
//!
//! # async fn run() -> examples::Result<()> {
//! let pool = pg_sections::Pool::connect("postgres://app@localhost/marketplace").await?;
//! pool.migrate(&examples::MIGRATIONS).await?;
//! let demo = examples::demo::seed(&pool).await?;
//! CartService::new(&pool).add(demo.customer, demo.brake_pads_at_acme, 2).await?;
//! let placed = CheckoutService::new(&pool).place_order(demo.customer).await?;
//! println!("order {} for {}", placed.order.public_id, placed.order.total);
//! # Ok(())
//! # }
//! ```

#![warn(clippy::pedantic)]

pub mod auth;
pub mod catalog;
pub mod customer;
pub mod demo;
mod error;
pub mod server;
pub mod services;
pub mod vendor;

pub use error::{Error, Result};

/// The generated section modules: `db::core`, `db::vendor`, `db::customer`
/// and `db::auth`, written by `build.rs` from the migrations in the
/// repository's `sections/` folder.
pub mod db {
    pg_sections::include_sections!();
}

/// The migrations of every section, embedded by `build.rs`: applied at
/// start-up with `Pool::migrate`, in one timeline across sections.
pub static MIGRATIONS: pg_sections::migrate::Migrations = pg_sections::include_migrations!();

/// An `ILIKE` pattern matching any text that contains `text` literally:
/// [`pg_sections::like_escape`] makes `%`, `_` and `\` in it match themselves.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", pg_sections::like_escape(text))
}
