use pg_sections::section;
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub union U {
    t: std::mem::ManuallyDrop<shopping_cart::Table>,
}

fn main() {}
