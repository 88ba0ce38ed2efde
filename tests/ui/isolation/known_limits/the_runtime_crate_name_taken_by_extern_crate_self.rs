//! A known limit (the README's list), built as an example of its own.
#![allow(
    missing_docs,
    clippy::must_use_candidate,
    reason = "a case, not an API"
)]
// The attribute reaches the runtime as `::pg_sections`. A crate that takes
// that name for itself (`extern crate self as pg_sections`) and re-exports
// the runtime's private items with its own admission rule forges
// membership: deliberate code, eight lines of it.
extern crate pg_sections as real;
extern crate self as pg_sections;

pub use real::Char;

pub mod __private {
    pub use real::__private::*;
    pub trait AdmittedIn<N> {}
    impl<N, S> AdmittedIn<N> for S {}
}

use real::Table;
use real::blocking::Db;
use ui::bundled::customer::{Customer, shopping_cart};

#[real::section("vendor")]
pub fn carts(db: &Db<Customer>) -> i64 {
    shopping_cart::Table.select().count(db).unwrap_or(0)
}

fn main() {}
