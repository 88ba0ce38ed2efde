use pg_sections::section;
use ui::bundled::customer::NewShoppingCart as Line;

#[section("vendor")]
pub fn line(template: Line) -> usize {
    let line = Line {
        customer_id: 1,
        ..template
    };
    std::mem::size_of_val(&line)
}

fn main() {}
