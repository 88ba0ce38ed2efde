use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub enum Either {
    Mine(Db<Vendor>),
    Theirs(Db<Customer>),
}

fn main() {}
