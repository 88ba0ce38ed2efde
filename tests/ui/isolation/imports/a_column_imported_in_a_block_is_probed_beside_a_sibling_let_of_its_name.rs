use pg_sections::section;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub fn counts(db: &pg_sections::blocking::Db<Vendor>) -> usize {
    let first = {
        let quantity = 3_usize;
        quantity + 1
    };
    let second = {
        use shopping_cart::quantity;
        let _ = quantity.gt(1);
        2
    };
    let _ = db;
    first + second
}

fn main() {}
