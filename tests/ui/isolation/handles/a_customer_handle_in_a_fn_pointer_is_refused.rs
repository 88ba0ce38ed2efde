use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn call(f: fn(&Db<Customer>) -> i64) -> usize {
    let _ = f;
    0
}

fn main() {}
