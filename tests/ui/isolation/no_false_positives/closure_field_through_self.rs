use pg_sections::section;

#[section("vendor")]
pub struct C<F: Fn() -> u8> { f: F }

#[section("vendor")]
impl<F: Fn() -> u8> C<F> {
    pub fn run(&self) -> u8 { (self.f)() }
}

fn main() {}
