// A const generic parameter named like a module does not hide the paths
// through that module: a const parameter has no items.
#![allow(non_upper_case_globals)]
use pg_sections::section;
use ui::bundled::customer;

pub trait Holds {
    type Row;
}

pub struct Stock<const N: usize>;

#[section("vendor")]
impl<const customer: usize> Holds for Stock<{ customer }> {
    type Row = customer::ShoppingCart;
}

fn main() {}
