//! A struct literal or a constructor a `let` binds keeps the temporaries
//! its fields borrow for as long as the variable lives.
use pg_sections::section;
use ui::bundled::vendor::NewVendorProfile;

pub struct View<'a> {
    pub name: &'a String,
}

pub struct Pair<'a>(pub &'a String, pub u8);

pub enum Shape<'a> {
    Named(&'a str),
}

#[section("vendor")]
pub fn lengths() -> usize {
    let view = View {
        name: &String::from("x"),
    };
    let pair = Pair(&String::from("yy"), 1);
    let typed: Shape<'_> = Shape::Named(&String::from("zzz"));
    let Shape::Named(shape) = typed;
    view.name.len() + pair.0.len() + shape.len()
}

pub struct Extra {
    pub n: u8,
}

/// A `let` under `#[cfg]`: its check is too.
#[section("vendor")]
pub fn configured() -> u8 {
    #[cfg(not(debug_assertions))]
    let extra = Extra { n: 1 };
    #[cfg(debug_assertions)]
    let extra = Extra { n: 2 };
    extra.n
}

#[section("vendor")]
pub fn profile(name: &str) -> NewVendorProfile {
    let profile = NewVendorProfile::new(name.to_owned());
    profile
}

fn main() {}
