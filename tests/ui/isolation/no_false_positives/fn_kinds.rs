use pg_sections::section;

#[section("vendor")]
pub const fn c(x: u8) -> u8 { x + 1 }

#[section("vendor")]
pub unsafe fn u(p: *const u8) -> u8 { unsafe { *p } }

#[section("vendor")]
pub extern "C" fn e(x: u8) -> u8 { x }

#[section("vendor")]
#[inline]
#[must_use]
/// doc
pub fn d() -> u8 { 0 }

fn main() {}
