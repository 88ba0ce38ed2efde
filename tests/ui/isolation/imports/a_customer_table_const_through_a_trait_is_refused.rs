use pg_sections::section;
use ui::bundled::customer::shopping_cart;

pub trait Source {
    const TABLE: shopping_cart::Table;
}

pub struct Carts;

impl Source for Carts {
    const TABLE: shopping_cart::Table = shopping_cart::Table;
}

#[section("vendor")]
pub fn carts() -> impl std::fmt::Debug {
    <Carts as Source>::TABLE
}

fn main() {}
