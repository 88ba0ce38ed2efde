#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
pub struct S { n: u8 }

#[section("vendor")]
impl S { pub fn n(&self) -> u8 { self.n } }

fn main() {}
