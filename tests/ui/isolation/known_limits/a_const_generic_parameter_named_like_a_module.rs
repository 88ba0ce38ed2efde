// Checks that name one of the item's generic parameters cannot stand
// beside the item, and are left out by the path's first segment: a const
// generic parameter named like a module hides every path through it.
#![allow(non_upper_case_globals)]
use pg_sections::section;
use tests::bundled::customer;

pub trait Holds {
    type Row;
}

pub struct Stock<const N: usize>;

#[section("vendor")]
impl<const customer: usize> Holds for Stock<{ customer }> {
    type Row = customer::ShoppingCart;
}

fn main() {}
