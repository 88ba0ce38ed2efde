#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
pub struct Wrap { d: Box<dyn std::fmt::Debug + Send> }

#[section("vendor")]
impl Wrap {
    pub fn go(&self) -> String { format!("{:?}", self.d) }
    pub fn r(&self) -> &dyn std::fmt::Debug { &self.d }
}

fn main() {}
