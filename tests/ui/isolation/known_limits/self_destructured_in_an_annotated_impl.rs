// Known limit: fields reached by destructuring `self` (a pattern).
use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub struct App { carts: Db<Customer> }
pub fn wipe(db: &Db<Customer>) -> usize { let _ = db; 0 }

#[section("vendor")]
impl App {
    pub fn go(&self) -> usize {
        let Self { carts } = self;
        wipe(carts)
    }
}

fn main() {}
