// What the checks of initializers, `const fn`s, trait bounds, array lengths
// and items nested in bodies let through: the section's own code and
// neutral code.
use pg_sections::{Table, section};
use pg_sections::blocking::{Connection, Db};
use std::marker::PhantomData;
use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

pub struct Limits {
    pub low: i32,
}

impl Limits {
    pub const fn new(low: i32) -> Self {
        Self { low }
    }
}

#[section("vendor")]
pub mod stock {
    use super::*;

    pub static COUNT: fn(&Connection) -> pg_sections::Result<i64> =
        |conn| vendor_inventory::Table.select().count(&conn.db::<Vendor>());
    pub const LIMITS: &'static Limits = &Limits::new(3);
    pub const NAMES: &[&str] = &["a", "b"];

    pub const fn same(db: &Db<Vendor>) -> &Db<Vendor> {
        db
    }

    pub trait HasInventory: AsRef<Db<Vendor>> {
        const LOW: i32 = 3;
        const FACTOR: i32 = Self::LOW * 2;
    }

    pub trait Takes<T: Into<VendorInventory>> {}

    pub struct Repo<Vendor, Table> {
        pub db: Db<super::Vendor>,
        pub buffer: [u8; size_of::<VendorInventory>()],
        own: PhantomData<(Vendor, Table)>,
    }
}

pub struct Stock;

#[section("vendor")]
impl Stock {
    pub const COUNT: fn(&Connection) -> pg_sections::Result<i64> =
        |conn| vendor_inventory::Table.select().count(&conn.db::<Vendor>());
    pub const LOW: i32 = Self::BASE + 1;
    const BASE: i32 = 2;
}

#[section("vendor")]
pub fn nested(conn: &Connection) -> pg_sections::Result<i64> {
    mod inner {
        use pg_sections::Table;
        use pg_sections::blocking::Connection;
        use ui::bundled::vendor::{Vendor, vendor_inventory};
        pub fn count(conn: &Connection) -> pg_sections::Result<i64> {
            vendor_inventory::Table.select().count(&conn.db::<Vendor>())
        }
    }
    struct Local;
    impl Local {
        fn low() -> i32 {
            1
        }
    }
    static HITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    const DOUBLE: fn(i32) -> i32 = |x| x * 2;
    HITS.fetch_add(usize::try_from(DOUBLE(Local::low())).unwrap_or(0), std::sync::atomic::Ordering::Relaxed);
    inner::count(conn)
}

fn main() {
    let _ = stock::NAMES;
    let _ = Stock::LOW;
}
