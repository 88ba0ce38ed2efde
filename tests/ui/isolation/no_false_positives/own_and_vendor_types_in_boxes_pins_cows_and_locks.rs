use std::borrow::Cow;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Weak;
use std::sync::{Arc, LazyLock, OnceLock};

use pg_sections::blocking::Db;
use pg_sections::{Table, section};
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

/// The user's own type, named like a customer row.
pub struct ShoppingCart {
    pub id: i64,
}

type Boxed = Box<ShoppingCart>;
type Pinned = Pin<Box<VendorInventory>>;
type Rows<'a> = Cow<'a, [VendorInventory]>;
type About = PhantomData<vendor_inventory::Table>;
type Back = Weak<ShoppingCart>;
type Shared = Arc<tokio::sync::Mutex<Db<Vendor>>>;
/// A tuple, a map's key and an error: the other sections' items are not
/// looked for there (a known limit), and the own section's are fine.
type Pair = (VendorInventory, ShoppingCart);

static STOCK: OnceLock<Db<Vendor>> = OnceLock::new();
static NAMES: LazyLock<Vec<String>> = LazyLock::new(Vec::new);

#[section("vendor")]
pub struct Inventory<'a> {
    boxed: Boxed,
    pinned: Pinned,
    rows: Rows<'a>,
    about: About,
    back: Back,
    shared: Shared,
    pair: Pair,
}

#[section("vendor")]
pub fn stock() -> pg_sections::Result<i64> {
    let db = STOCK.get().expect("set at start-up");
    let _ = NAMES.len();
    vendor_inventory::Table.select().count(db)
}

#[section("vendor")]
pub fn first(rows: &mut Vec<&mut Boxed>) -> Option<i64> {
    rows.first().map(|cart| cart.id)
}

fn main() {}
