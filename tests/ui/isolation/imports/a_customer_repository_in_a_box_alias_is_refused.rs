// A customer repository behind a `Box` alias declared outside the item.
mod carts {
    use pg_sections::blocking::Db;
    use pg_sections::{Table, section};
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository {
        pub db: Db<Customer>,
    }

    #[section("customer")]
    impl CartRepository {
        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }
}

use pg_sections::section;

type Carts = Box<carts::CartRepository>;

#[section("vendor")]
pub fn reserved(carts: &Carts) -> pg_sections::Result<i64> {
    carts.count()
}

fn main() {}
