#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind { A = 1, B = 2 }

#[section("vendor")]
impl Kind {
    pub const DEFAULT: Self = Self::A;
    pub fn n(self) -> i32 { self as i32 + Self::B as i32 }
    pub fn all() -> [Self; 2] { [Self::A, Self::B] }
}

#[section("vendor")]
pub struct P { x: i32 }

#[section("vendor")]
impl P {
    const ZERO: i32 = 0;
    pub fn new() -> Self { Self { x: Self::ZERO } }
    pub fn twice(&self) -> Self { Self { x: self.x * 2, ..*self } }
}
#[section("vendor")]
impl Clone for P { fn clone(&self) -> Self { Self::new() } }
#[section("vendor")]
impl Copy for P {}

fn main() {}
