use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub struct Holder {
    f: Box<dyn Fn(&Db<Customer>) -> i64>,
}

fn main() {}
