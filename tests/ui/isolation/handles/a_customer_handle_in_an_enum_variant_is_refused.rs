use pg_sections::section;
use pg_sections::blocking::Db;
use tests::bundled::customer::Customer;
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub enum Either {
    Mine(Db<Vendor>),
    Theirs(Db<Customer>),
}

fn main() {}
