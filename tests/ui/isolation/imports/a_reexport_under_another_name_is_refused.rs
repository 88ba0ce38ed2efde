use pg_sections::section;

mod mine {
    // A module of the user's that renames another section's row.
    pub use ui::bundled::customer::ShoppingCart as Basket;
}

#[section("vendor")]
pub struct Report {
    pub basket: Option<mine::Basket>,
}

fn main() {}
