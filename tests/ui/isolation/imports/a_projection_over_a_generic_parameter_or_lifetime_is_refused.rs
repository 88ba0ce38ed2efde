use pg_sections::section;
use ui::bundled::customer::ShoppingCart;

pub trait Lend<'a> {
    type Item;
}

pub struct Source;

impl<'a> Lend<'a> for Source {
    type Item = &'a ShoppingCart;
}

#[section("vendor")]
pub fn quantity<'a>(row: <Source as Lend<'a>>::Item) -> i32 {
    row.quantity
}

pub trait Conv<T> {
    type Out: Default;
}

impl<T> Conv<T> for Source {
    type Out = Vec<ShoppingCart>;
}

#[section("vendor")]
pub fn rows<T>() -> usize {
    let rows: <Source as Conv<T>>::Out = Default::default();
    rows.len()
}

fn main() {}
