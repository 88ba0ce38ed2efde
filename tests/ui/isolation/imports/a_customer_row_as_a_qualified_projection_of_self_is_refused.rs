use pg_sections::section;
use ui::bundled::customer::ShoppingCart;

pub trait HasRow {
    type Row;
}

#[section("vendor")]
pub struct Listing;

impl HasRow for Listing {
    type Row = ShoppingCart;
}

#[section("vendor")]
impl Listing {
    pub fn quantity(&self, row: &<Self as HasRow>::Row) -> i32 {
        row.quantity
    }
}

fn main() {}
