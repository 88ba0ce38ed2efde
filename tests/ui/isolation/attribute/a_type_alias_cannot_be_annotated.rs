use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub type Handle = Db<Customer>;

fn main() {}
