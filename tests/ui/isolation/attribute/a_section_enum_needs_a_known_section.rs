use pg_sections::section;

#[section("vendors")]
pub enum Event {
    Restocked,
}

fn main() {}
