// p16 plus one reference to the crate that generates the sections.
use pg_sections::section;
use std::rc::Rc;
#[allow(unused_imports)]
use ui::bundled::vendor::Vendor as _;

pub trait Greeter { fn hi(&self) -> String; }

#[section("vendor")]
pub struct Wrap { g: Rc<dyn Greeter> }

#[section("vendor")]
impl Wrap {
    pub fn go(&self) -> String { self.g.hi() }
}

fn main() {}
