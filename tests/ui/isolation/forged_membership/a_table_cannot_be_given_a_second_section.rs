use pg_sections::SectionItem;
use ui::bundled::customer::ShoppingCart;
use ui::bundled::vendor::Vendor;

impl SectionItem for ShoppingCart {
    type Section = Vendor;
}

fn main() {}
