// A tuple struct's constructor called by its upper camel case name is
// checked; passed as a function value (`map(carts::Carts)`), or called
// under a lower-case or all-capital name, its result is not.
#![allow(non_camel_case_types)]
use pg_sections::blocking::Connection;
use pg_sections::{Table, section};
use ui::bundled::customer::{Customer, shopping_cart};

#[section("customer")]
pub mod carts {
    use super::{Connection, Customer, Table, shopping_cart};

    pub struct Carts<'c>(pub &'c Connection);
    pub struct CARTS<'c>(pub &'c Connection);

    impl Carts<'_> {
        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.0.db::<Customer>())
        }
    }

    impl CARTS<'_> {
        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.0.db::<Customer>())
        }
    }
}

use carts::Carts as carts_of;

#[section("vendor")]
pub fn mapped(conn: &Connection) -> Option<pg_sections::Result<i64>> {
    Some(conn).map(carts::Carts).map(|carts| carts.count())
}

#[section("vendor")]
pub fn lower_case(conn: &Connection) -> pg_sections::Result<i64> {
    carts_of(conn).count()
}

#[section("vendor")]
pub fn capitals(conn: &Connection) -> pg_sections::Result<i64> {
    carts::CARTS(conn).count()
}

fn main() {}
