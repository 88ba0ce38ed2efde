use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, vendor_inventory};

#[section("vendor")]
mod repo {
    use super::*;
    pub struct Inv { pub db: Db<Vendor> }
    impl Inv {
        pub fn count(&self) -> pg_sections::Result<i64> {
            vendor_inventory::Table.select().count(&self.db)
        }
        pub fn me(self: &Self) -> &Self { self }
    }
    pub enum Kind { A, B(u8) }
    impl Default for Kind { fn default() -> Self { Kind::A } }
    pub fn k() -> Kind { Kind::B(1) }
    pub trait Named { const N: &'static str; fn n(&self) -> &'static str { Self::N } }
    impl Named for Inv { const N: &'static str = "inv"; }
}

fn main() {}
