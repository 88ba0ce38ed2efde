#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[cfg(feature = "metrics")]
mod metrics { pub struct Counter; }

#[section("vendor")]
pub struct Stock {
    pub n: u8,
    #[cfg(feature = "metrics")]
    pub counter: metrics::Counter,
}

fn main() {}
