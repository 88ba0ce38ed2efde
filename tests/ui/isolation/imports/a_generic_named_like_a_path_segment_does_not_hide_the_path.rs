use pg_sections::section;
use std::marker::PhantomData;

#[section("vendor")]
pub struct Repo<Customer, Table> {
    pub handle: pg_sections::blocking::Db<ui::bundled::customer::Customer>,
    pub carts: Vec<ui::bundled::customer::shopping_cart::Table>,
    own: PhantomData<(Customer, Table)>,
}

fn main() {}
