// Known limit: a repository of another section behind a trait object of an unannotated trait.
mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository { pub db: Db<Customer> }

    pub trait Count { fn count(&self) -> pg_sections::Result<i64>; }

    #[section("customer")]
    impl Count for CartRepository {
        fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }
}
use pg_sections::section;

#[section("vendor")]
pub fn reserved(c: &dyn carts::Count) -> pg_sections::Result<i64> {
    c.count()
}

fn main() {}
