// Known limit: an annotated `impl` of an unannotated struct checks the fields it uses, not the others.
// Category 4: an annotated impl of an unannotated struct checks that struct's fields.
use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

pub struct App { pub carts: Db<Customer> }

#[section("vendor")]
impl App {
    pub fn name(&self) -> &'static str { "app" }
}

fn main() {}
