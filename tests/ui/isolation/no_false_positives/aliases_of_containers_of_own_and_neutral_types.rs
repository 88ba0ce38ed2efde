use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::ShoppingCart;
use ui::bundled::vendor::{Vendor, VendorInventory};

type Stock = HashMap<String, Vec<VendorInventory>>;
type Shared = Arc<Mutex<Db<Vendor>>>;
/// A map keyed by another section's row holds no row as a value.
type Keyed = HashMap<u32, String>;
type Counts = Result<Vec<i64>, pg_sections::Error>;

#[section("vendor")]
pub struct Cache {
    stock: Stock,
    db: Shared,
    names: Keyed,
    counts: Counts,
}

// A service may alias anything.
pub type Lines = Vec<ShoppingCart>;

fn main() {}
