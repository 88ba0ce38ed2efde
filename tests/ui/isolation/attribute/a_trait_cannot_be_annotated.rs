use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub trait Repo {
    fn carts(&self, db: &Db<Customer>) -> usize;
}

fn main() {}
