use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub trait Repository {
    type Handle;
}

pub struct Stock;

#[section("vendor")]
impl Repository for Stock {
    type Handle = Db<Customer>;
}

fn main() {}
