// The crate that generates the sections is named, as a crate using them always does.
#[allow(unused_imports)]
use ui::bundled as _;
use pg_sections::section;
use std::fmt::Debug;
use std::rc::Rc;

pub trait Greeter { fn hi(&self) -> String; }

#[section("vendor")]
pub struct Wrap { g: Rc<dyn Greeter>, d: Box<dyn Debug + Send> }

#[section("vendor")]
impl Wrap {
    pub fn go(&self) -> String { format!("{} {:?}", self.g.hi(), self.d) }
    pub fn items(&self) -> impl Iterator<Item = u8> { 0..3 }
}

#[section("vendor")]
pub fn each(xs: Vec<Box<dyn Fn(u8) -> u8>>) -> Vec<u8> {
    xs.iter().map(|f| f(1)).collect()
}

fn main() {}
