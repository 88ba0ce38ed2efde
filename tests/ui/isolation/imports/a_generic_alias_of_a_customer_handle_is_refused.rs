use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

type H<S> = Db<S>;

#[section("vendor")]
pub fn f(h: &H<Customer>) {
    let _ = h;
}

fn main() {}
