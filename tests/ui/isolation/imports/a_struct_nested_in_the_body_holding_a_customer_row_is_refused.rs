use pg_sections::{Db, section};
use tests::bundled::customer::Customer;

#[section("vendor")]
pub fn f() {
    struct Local(Option<Db<Customer>>);
    let _ = Local(None);
}

fn main() {}
