use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
#[section("customer")]
pub struct Both { pub v: Db<Vendor>, pub c: Db<Customer> }

fn main() {}
