use pg_sections::{Db, section};
use tests::bundled::customer::Customer;
use tests::bundled::vendor::Vendor;

#[section("vendor")]
pub fn both(h: (Db<Vendor>, Option<Vec<Db<Customer>>>)) {
    let _ = h;
}

fn main() {}
