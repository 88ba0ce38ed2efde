use pg_sections::section;

#[cfg(feature = "metrics")]
mod metrics { pub struct Counter; }

#[section("vendor")]
pub fn f() -> u8 {
    #[cfg(feature = "metrics")]
    let _c: metrics::Counter = metrics::Counter;
    1
}

fn main() {}
