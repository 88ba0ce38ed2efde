use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn f() {
    struct Local(Option<Db<Customer>>);
    let _ = Local(None);
}

fn main() {}
