use pg_sections::{Db, section};
use tests::bundled::customer::Customer;
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub enum Either {
    Mine(Db<Vendor>),
    Theirs(Db<Customer>),
}

fn main() {}
