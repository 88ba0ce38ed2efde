#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
pub struct Node { val: u32, next: Option<Box<Node>>, name: Box<str>, data: Box<[u8]> }

#[section("vendor")]
impl Node {
    pub fn sum(&self) -> u32 {
        self.val + self.next.as_ref().map_or(0, |n| n.sum()) + self.name.len() as u32 + self.data.len() as u32
    }
}

fn main() {}
