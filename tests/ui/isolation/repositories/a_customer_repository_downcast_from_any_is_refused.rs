mod carts {
    use pg_sections::section;
    use pg_sections::blocking::Db;
    use ui::bundled::customer::Customer;

    #[section("customer")]
    pub struct CartRepository {
        pub db: Db<Customer>,
    }
}

use pg_sections::section;

#[section("vendor")]
pub fn f(x: &dyn std::any::Any) -> bool {
    x.downcast_ref::<carts::CartRepository>().is_some()
}

fn main() {}
