use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::vendor::Vendor;

pub trait Named { fn name(&self) -> String; }

#[section("vendor")]
impl Named for u8 { fn name(&self) -> String { self.to_string() } }

#[section("vendor")]
impl Named for Db<Vendor> { fn name(&self) -> String { "vendor".into() } }

#[section("vendor")]
impl<T: Named> Named for Vec<T> { fn name(&self) -> String { self.iter().map(Named::name).collect() } }

fn main() {}
