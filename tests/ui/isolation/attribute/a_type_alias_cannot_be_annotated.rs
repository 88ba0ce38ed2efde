use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub type Handle = Db<Customer>;

fn main() {}
