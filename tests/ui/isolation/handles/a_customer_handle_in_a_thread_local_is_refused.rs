use pg_sections::section;
use pg_sections::blocking::Db;
use std::cell::RefCell;
use ui::bundled::customer::Customer;

pub fn wipe(db: &Db<Customer>) -> usize { let _ = db; 0 }

thread_local! {
    static CARTS: RefCell<Option<Db<Customer>>> = const { RefCell::new(None) };
}

#[section("vendor")]
pub fn reserved() -> usize {
    CARTS.with_borrow(|c| c.as_ref().map_or(0, wipe))
}

fn main() {}
