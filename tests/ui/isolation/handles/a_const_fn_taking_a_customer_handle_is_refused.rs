use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub const fn pass(db: &Db<Customer>) -> &Db<Customer> {
    db
}

fn main() {}
