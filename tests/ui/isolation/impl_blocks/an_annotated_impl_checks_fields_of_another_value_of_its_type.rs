use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub struct App { carts: Db<Customer> }
pub fn wipe(db: &Db<Customer>) -> usize { let _ = db; 0 }

#[section("vendor")]
impl App {
    pub fn go(&self, other: &Self) -> usize {
        wipe(&other.carts)
    }
}

fn main() {}
