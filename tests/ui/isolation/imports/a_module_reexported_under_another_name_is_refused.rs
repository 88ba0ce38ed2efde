use pg_sections::section;

mod shop {
    // The user's module hands the customer section on as `baskets`.
    pub use ui::bundled::customer as baskets;
}

#[section("vendor")]
pub struct Report {
    pub lines: Vec<shop::baskets::ShoppingCart>,
}

fn main() {}
