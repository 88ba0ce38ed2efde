use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub struct Holder<H = Db<Customer>> {
    h: Option<H>,
}

fn main() {}
