use pg_sections::InSection;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

impl InSection<Vendor> for shopping_cart::Table {}

fn main() {}
