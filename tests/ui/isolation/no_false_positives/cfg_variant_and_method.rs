#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[cfg(feature = "metrics")]
mod metrics { pub struct Counter; }

#[section("vendor")]
pub enum E {
    A,
    #[cfg(feature = "metrics")]
    B(metrics::Counter),
}

pub struct App { n: u8 }

#[section("vendor")]
impl App {
    #[cfg(feature = "metrics")]
    pub fn counter(&self) -> metrics::Counter { metrics::Counter }
    pub fn n(&self) -> u8 { self.n }
}

fn main() {}
