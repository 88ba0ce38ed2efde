use pg_sections::section;
use tests::bundled::customer::Customer;

#[section("vendor")]
pub struct S {
    m: std::marker::PhantomData<Customer>,
}

fn main() {}
