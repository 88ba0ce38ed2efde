use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::section;

    #[section("vendor")]
    pub fn n() -> u8 { 1 }

    #[section("vendor")]
    pub struct Item { pub n: u8 }
}

fn main() {}
