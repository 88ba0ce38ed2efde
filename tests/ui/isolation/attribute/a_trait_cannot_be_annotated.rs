use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub trait Repo {
    fn carts(&self, db: &Db<Customer>) -> usize;
}

fn main() {}
