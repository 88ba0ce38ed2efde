use pg_sections::SectionItem;
use tests::bundled::customer::ShoppingCart;
use tests::bundled::vendor::Vendor;

impl SectionItem for ShoppingCart {
    type Section = Vendor;
}

fn main() {}
