// The vendor section's own queries inside `tokio::select!`: a bias, a
// guard, patterns, handlers that are blocks or expressions, and `else`.
use std::time::Duration;

use pg_sections::{Db, Table, section};
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
pub async fn stock_or_timeout(db: &Db<Vendor>, wait: bool) -> Option<i64> {
    let query = vendor_inventory::Table.select();
    let limit = Duration::from_millis(50);
    tokio::select! {
        biased;
        Ok(n) = query.count(db), if wait => Some(n),
        () = tokio::time::sleep(limit) => {
            let fallback = None;
            fallback
        }
        else => None,
    }
}

/// A `select!` of one's own, not tokio's, is left alone: its input is
/// not code until it expands.
macro_rules! select {
    ($($t:tt)*) => {
        stringify!($($t)*)
    };
}

#[section("vendor")]
pub fn text() -> &'static str {
    select!(customer::shopping_cart::Table = anything => here)
}

fn main() {}
