use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn f<T>(t: T) -> usize
where
    T: Into<Db<Customer>>,
{
    let _ = t.into();
    0
}

fn main() {}
