// An annotated `impl` of an unannotated struct checks the fields it reaches
// as `self.field`; through a dereference (`(*self).db`) or a method's
// result (`self.clone().db`) they are not probed.
use pg_sections::blocking::Db;
use pg_sections::{Table, section};
use ui::bundled::customer::{Customer, shopping_cart};

#[derive(Clone)]
pub struct Service {
    pub db: Db<Customer>,
}

#[section("vendor")]
impl Service {
    pub fn through_a_dereference(&self) -> pg_sections::Result<i64> {
        shopping_cart_count(&(*self).db)
    }

    pub fn through_a_clone(&self) -> usize {
        let db = self.clone().db;
        drop(db);
        0
    }
}

fn shopping_cart_count(db: &Db<Customer>) -> pg_sections::Result<i64> {
    shopping_cart::Table.select().count(db)
}

fn main() {}
