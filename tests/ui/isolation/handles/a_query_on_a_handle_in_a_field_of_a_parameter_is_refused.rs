// A customer handle reached as a field of a parameter whose type is unannotated.
use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub struct Services { pub carts: Db<Customer> }
pub fn wipe(db: &Db<Customer>) -> usize { let _ = db; 0 }

#[section("vendor")]
pub fn reserved(s: &Services) -> usize {
    wipe(&s.carts)
}

fn main() {}
