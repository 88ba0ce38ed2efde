use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

type H<S> = Db<S>;

#[section("vendor")]
pub fn f(h: &H<Customer>) {
    let _ = h;
}

fn main() {}
