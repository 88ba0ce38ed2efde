use pg_sections::section;

#[section("vendor")]
pub fn empty() -> usize {
    type Line = ui::bundled::customer::ShoppingCart;
    let lines: Vec<Line> = Vec::new();
    lines.len()
}

fn main() {}
