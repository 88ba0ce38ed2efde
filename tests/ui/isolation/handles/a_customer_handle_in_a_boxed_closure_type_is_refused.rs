use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub struct Holder {
    f: Box<dyn Fn(&Db<Customer>) -> i64>,
}

fn main() {}
