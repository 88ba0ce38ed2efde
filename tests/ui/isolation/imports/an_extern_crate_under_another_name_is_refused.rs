extern crate tests as t;
use pg_sections::section;
use pg_sections::blocking::Db;

#[section("vendor")]
pub fn f(h: &Db<t::bundled::customer::Customer>) {
    let _ = h;
}

fn main() {}
