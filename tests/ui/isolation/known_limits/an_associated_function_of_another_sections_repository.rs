// Known limit: a call `Type::function()` is not probed (its qualifier may
// be a trait), so a repository of another section that opens its own
// handle and is used only within one expression is not seen.
mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository {
        db: Db<Customer>,
    }

    #[section("customer")]
    impl CartRepository {
        pub fn open(url: &str) -> pg_sections::Result<Self> {
            Ok(Self { db: Db::connect(url)? })
        }

        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }
}

use pg_sections::section;

#[section("vendor")]
pub fn reserved(url: &str) -> pg_sections::Result<i64> {
    carts::CartRepository::open(url)?.count()
}

fn main() {}
