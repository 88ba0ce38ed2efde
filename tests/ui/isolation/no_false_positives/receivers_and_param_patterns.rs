#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;
use std::rc::Rc;

#[section("vendor")]
pub struct S { n: u8, pair: (u8, u8) }
pub struct Wrapper(pub u8);

#[section("vendor")]
impl S {
    pub fn a(self: Box<Self>) -> u8 { self.n }
    pub fn b(self: Rc<Self>) -> u8 { self.n + self.pair.0 }
    pub fn c(mut self) -> u8 { self.n += 1; self.n }
    pub fn d(&mut self, (x, y): (u8, u8), Wrapper(z): Wrapper) -> u8 { self.n = x + y + z; self.n }
}

fn main() {}
