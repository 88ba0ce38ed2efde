use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub const fn pass(db: &Db<Customer>) -> &Db<Customer> {
    db
}

fn main() {}
