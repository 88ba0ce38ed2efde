// The crate that generates the sections is named, as a crate using them always does.
#[allow(unused_imports)]
use ui::bundled as _;
use pg_sections::section;

#[section("vendor")]
pub struct S;

#[section("vendor")]
impl S {
    pub fn it(&self) -> Result<impl Iterator<Item = u8>, String> { Ok(0..3) }
}

fn main() {}
