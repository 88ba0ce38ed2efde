mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository { pub db: Db<Customer> }

    #[section("customer")]
    impl CartRepository {
        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }
}
use pg_sections::section;

#[section("vendor")]
pub struct Holder<R> { pub r: R }

type Stock = Holder<carts::CartRepository>;

#[section("vendor")]
pub fn reserved(s: &Stock) -> pg_sections::Result<i64> {
    s.r.count()
}

fn main() {}
