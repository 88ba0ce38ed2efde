use pg_sections::blocking::Db;
use pg_sections::{Table, section};
use ui::bundled::customer::{Customer, shopping_cart};

pub trait Parts {
    type Handle;
    type Carts: Table + Default;
}

pub struct Repo;

impl Parts for Repo {
    type Handle = Db<Customer>;
    type Carts = shopping_cart::Table;
}

pub trait Count: Parts {
    fn count(handle: &Self::Handle) -> i64;
}

#[section("vendor")]
impl Count for Repo {
    fn count(handle: &Self::Handle) -> i64 {
        Self::Carts::default().select().count(handle).unwrap_or(0)
    }
}

fn main() {}
