use pg_sections::section;

#[section("vendor")]
pub fn f(x: Option<u8>) -> u8 {
    let Some(y) = x else { return 0 };
    let z = 'b: {
        if y > 3 { break 'b 1; }
        2
    };
    let g = |a: u8| -> Option<u8> { Some(a.checked_add(1)?) };
    g(z).unwrap_or_default()
}

fn main() {}
