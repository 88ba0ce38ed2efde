use std::marker::PhantomData;

use pg_sections::section;
use ui::bundled::customer::shopping_cart::Table as Carts;

/// A marker that says "this repository is about carts".
type About = PhantomData<Carts>;

#[section("vendor")]
pub struct Repository {
    about: About,
}

fn main() {}
