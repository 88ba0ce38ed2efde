#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

pub trait Lend { type Item<'a> where Self: 'a; fn lend(&self) -> Self::Item<'_>; }

#[section("vendor")]
pub struct Buf { v: Vec<u8> }

#[section("vendor")]
impl Lend for Buf {
    type Item<'a> = &'a [u8] where Self: 'a;
    fn lend(&self) -> Self::Item<'_> { &self.v }
}

#[section("vendor")]
impl Drop for Buf { fn drop(&mut self) { self.v.clear(); } }

#[section("vendor")]
impl<'a> IntoIterator for &'a Buf {
    type Item = &'a u8;
    type IntoIter = std::slice::Iter<'a, u8>;
    fn into_iter(self) -> Self::IntoIter { self.v.iter() }
}

fn main() {}
