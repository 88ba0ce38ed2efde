use pg_sections::section;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub struct S {
    m: std::marker::PhantomData<Customer>,
}

fn main() {}
