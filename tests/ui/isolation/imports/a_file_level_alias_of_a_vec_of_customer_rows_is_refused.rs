use pg_sections::section;

/// The user's alias hides the row inside a container.
type Baskets = Vec<ui::bundled::customer::ShoppingCart>;

#[section("vendor")]
pub struct Report {
    pub baskets: Baskets,
}

fn main() {}
