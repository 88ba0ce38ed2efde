// A reference to a constant built with constructor calls is promoted to a
// `'static` constant: the checks leave it as written.
use pg_sections::section;

#[derive(Debug)]
pub enum Step {
    Go(u8),
    Stop,
}

#[derive(Debug)]
pub struct Rgb(pub u8, pub u8, pub u8);

#[section("vendor")]
pub fn plan() -> &'static [Step] {
    &[Step::Go(1), Step::Stop]
}

#[section("vendor")]
pub fn colours() -> (&'static [Option<Rgb>], &'static Rgb) {
    (&[Some(Rgb(1, 2, 3)), None], &Rgb(4, 5, 6))
}

fn main() {}
