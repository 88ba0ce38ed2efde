use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub fn call(f: fn(&Db<Customer>) -> i64) -> usize {
    let _ = f;
    0
}

fn main() {}
