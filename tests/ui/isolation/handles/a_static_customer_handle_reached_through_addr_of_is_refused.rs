use std::sync::LazyLock;

use pg_sections::blocking::Db;
use pg_sections::section;
use ui::bundled::customer::Customer;

static SHOP: LazyLock<Db<Customer>> =
    LazyLock::new(|| Db::connect("postgres://localhost/shop").expect("connects"));

fn keep(_: &Db<Customer>) {}

#[section("vendor")]
pub fn sneaky() {
    // SAFETY: a static is valid for the whole program.
    let handle = unsafe { &**std::ptr::addr_of!(SHOP) };
    keep(handle);
}

fn main() {}
