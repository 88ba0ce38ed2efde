use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn later() -> usize {
    let open = || -> Option<Db<Customer>> { None };
    usize::from(open().is_some())
}

fn main() {}
