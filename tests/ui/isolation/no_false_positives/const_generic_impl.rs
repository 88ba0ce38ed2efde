#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
pub struct Ring<const N: usize> { buf: [u8; N], at: usize }

#[section("vendor")]
impl<const N: usize> Ring<N> {
    pub const CAP: usize = N;
    pub fn push(&mut self, b: u8) { self.buf[self.at % N] = b; self.at += 1; }
    pub fn new() -> Self { Self { buf: [0; N], at: 0 } }
}

fn main() {}
