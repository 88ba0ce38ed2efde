use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub trait H { type D; }
impl H for () { type D = Db<Customer>; }

#[section("vendor")]
pub fn f(d: <() as H>::D) {
    let _ = d;
}

fn main() {}
