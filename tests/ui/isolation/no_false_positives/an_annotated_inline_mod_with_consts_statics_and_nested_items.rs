use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{ItemCondition, Vendor, vendor_inventory};

#[section("vendor")]
pub mod stock {
    use super::*;

    pub const LOW: i32 = 3;
    pub static SHELF: &str = "A";

    pub struct Repository {
        pub db: Db<Vendor>,
    }

    #[derive(Debug)]
    pub enum Level {
        Low,
        Fine,
    }

    impl Repository {
        pub fn level(&self) -> pg_sections::Result<Level> {
            let low = vendor_inventory::Table
                .select()
                .filter(vendor_inventory::quantity.lt(LOW))
                .count(&self.db)?;
            let _ = (SHELF, ItemCondition::New);
            Ok(if low > 0 { Level::Low } else { Level::Fine })
        }
    }

    pub fn helper<T: Clone>(value: &T) -> T {
        struct Local<U>(U);
        let local = Local(value.clone());
        local.0
    }
}

fn main() {}
