#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
pub struct T(u8, (u16, String), [u32; 2]);

#[section("vendor")]
impl T {
    pub fn s(&mut self) -> usize {
        self.0 += 1;
        (self.1).0 as usize + self.1.1.len() + self.2[0] as usize
    }
}

fn main() {}
