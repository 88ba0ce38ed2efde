use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;
use ui::bundled::vendor::Vendor;

#[section("vendor")]
pub fn both(h: (Db<Vendor>, Option<Vec<Db<Customer>>>)) {
    let _ = h;
}

fn main() {}
