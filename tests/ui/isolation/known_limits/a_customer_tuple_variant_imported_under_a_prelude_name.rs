// A prelude name (`None`, `Some`, `Ok`, `Err`) is probed as a value: the
// prelude's, a unit variant imported under it (of any section: refused when
// another section's), or a function. A tuple variant of another section's
// `#[section]` enum imported as `Ok` is a constructor function, whose type
// says nothing of a section, so its call gets through.
mod events {
    use pg_sections::section;

    #[section("customer")]
    #[derive(Debug)]
    pub enum Event {
        Ok(u32),
    }
}

use events::Event::Ok;
use pg_sections::section;

#[section("vendor")]
pub fn event() -> String {
    format!("{:?}", Ok(1))
}

fn main() {}
