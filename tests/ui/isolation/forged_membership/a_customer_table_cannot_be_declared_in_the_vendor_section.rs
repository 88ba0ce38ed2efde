use pg_sections::InSection;
use tests::bundled::customer::shopping_cart;
use tests::bundled::vendor::Vendor;

impl InSection<Vendor> for shopping_cart::Table {}

fn main() {}
