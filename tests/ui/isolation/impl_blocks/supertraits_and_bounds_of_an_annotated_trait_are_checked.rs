use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, ShoppingCart};

    pub trait HasCarts: AsRef<Db<Customer>> {}
    pub trait Takes<T: Into<ShoppingCart>> {}
    pub trait Converts
    where
        Self: Into<ShoppingCart>,
    {
    }
}

fn main() {}
