extern crate tests as t;
use pg_sections::{Db, section};

#[section("vendor")]
pub fn f(h: &Db<t::bundled::customer::Customer>) {
    let _ = h;
}

fn main() {}
