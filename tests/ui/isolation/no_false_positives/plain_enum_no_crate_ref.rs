// The crate that generates the sections is named, as a crate using them always does.
#[allow(unused_imports)]
use ui::bundled as _;
use pg_sections::section;

#[section("vendor")]
pub enum Kind { A, B }

fn main() {}
