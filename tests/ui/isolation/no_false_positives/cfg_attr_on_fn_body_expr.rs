use pg_sections::section;

#[section("vendor")]
pub fn f() -> u8 {
    let mut n = 1;
    #[cfg(feature = "metrics")]
    {
        n += metrics::bump();
    }
    if cfg!(feature = "metrics") { n += 1; }
    n
}

fn main() {}
