use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub struct Holder<H = Db<Customer>> {
    h: Option<H>,
}

fn main() {}
