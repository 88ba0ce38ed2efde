// A field of a parameter is probed when it is reached as `param.field`;
// reached through a loop variable, an index, a pattern or a dereference,
// it is not.
use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub struct App {
    pub carts: Db<Customer>,
}

pub fn wipe(db: &Db<Customer>) -> usize {
    let _ = db;
    0
}

#[section("vendor")]
pub fn wipe_all(apps: &[App]) -> usize {
    let mut n = 0;
    for app in apps {
        n += wipe(&app.carts);
    }
    n + wipe(&apps[0].carts)
}

fn main() {}
