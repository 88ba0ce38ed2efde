// An annotated module's unions, thread-locals, extern blocks and
// associated types are checked: of its own section's types and neutral
// ones, they compile.
use pg_sections::section;

#[section("vendor")]
pub mod stock {
    use pg_sections::blocking::Db;
    use std::cell::RefCell;
    use std::mem::ManuallyDrop;
    use ui::bundled::vendor::{Vendor, VendorInventory, vendor_inventory};

    pub union Slot {
        pub id: u32,
        pub table: ManuallyDrop<vendor_inventory::Table>,
    }

    thread_local! {
        pub static DB: RefCell<Option<Db<Vendor>>> = const { RefCell::new(None) };
        static HITS: RefCell<u64> = RefCell::new(0);
    }

    unsafe extern "C" {
        pub safe fn abs(x: i32) -> i32;
        pub fn inventory_at(index: usize) -> *const VendorInventory;
    }

    pub trait Inventory {
        type Handle: pg_sections::Runs<vendor_inventory::Table>;
        type Rows<'a>: Iterator<Item = &'a VendorInventory>
        where
            Self: 'a;
        fn rows(&self) -> Self::Rows<'_>;
    }

    pub fn hits() -> u64 {
        HITS.with_borrow(|h| *h + u64::from(abs(-1).unsigned_abs()))
    }
}

fn main() {
    let _ = stock::hits();
    let _ = stock::Slot { id: 1 };
    stock::DB.with_borrow(|db| assert!(db.is_none()));
}
