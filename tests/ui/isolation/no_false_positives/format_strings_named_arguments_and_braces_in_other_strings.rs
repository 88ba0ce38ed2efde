//! Named arguments in capitals, braces in strings that are not the format
//! string (a value, an assertion's operand, a `vec!` element), positions,
//! escapes and widths: nothing there names a constant.
use pg_sections::section;
use ui::bundled::vendor::ItemCondition;

#[section("vendor")]
pub fn label(x: u32, greeting: &str) -> String {
    assert_eq!(greeting, "Dear {Name},", "greeting {Title}", Title = "t");
    let templates = vec!["{Customer}", "{Order}"];
    println!("{}", "{Id}");
    let _ = dbg!("{Total}");
    let condition = ItemCondition::New;
    format!(
        "{N}:{x:>W$} {0} {{Escaped}} {condition} {}",
        templates.len(),
        N = x + 1,
        W = 4
    )
}

fn main() {}
