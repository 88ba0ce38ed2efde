// A column constant of another section, imported under its lower-case name
// and used as a plain value (not as a method's receiver, which is probed):
// a one-segment lower-case path may as well be a generic function, whose
// type only its call settles, so it is not probed. A column names a column
// and runs nothing: a query on it needs a handle of its section.
use pg_sections::section;
use ui::bundled::customer::shopping_cart::price_at_add;

#[section("vendor")]
pub fn column_name() -> &'static str {
    let column = price_at_add;
    column.name()
}

fn main() {}
