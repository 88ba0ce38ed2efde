use pg_sections::section;

#[section("vendor")]
pub fn adder(n: u8) -> Option<impl Fn(u8) -> u8> {
    Some(move |x| x + n)
}

fn main() {}
