use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

pub trait H { type D; }
impl H for () { type D = Db<Customer>; }

#[section("vendor")]
pub fn f(d: <() as H>::D) {
    let _ = d;
}

fn main() {}
