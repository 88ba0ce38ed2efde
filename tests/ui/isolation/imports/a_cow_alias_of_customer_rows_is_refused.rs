use std::borrow::Cow;

use pg_sections::section;

type Rows<'a> = Cow<'a, [ui::bundled::customer::ShoppingCart]>;

#[section("vendor")]
pub struct Report<'a> {
    pub rows: Rows<'a>,
}

fn main() {}
