mod carts {
    use pg_sections::{Table, section};
    use pg_sections::blocking::Db;
    use ui::bundled::customer::{Customer, shopping_cart};

    #[section("customer")]
    pub struct CartRepository {
        pub db: Db<Customer>,
    }

    #[section("customer")]
    impl CartRepository {
        pub fn new(db: Db<Customer>) -> Self {
            Self { db }
        }

        pub fn count(&self) -> pg_sections::Result<i64> {
            shopping_cart::Table.select().count(&self.db)
        }
    }

    #[section("customer")]
    pub enum CartEvent {
        Added,
        Removed,
    }

    #[section("customer")]
    pub struct Page<T> {
        pub items: Vec<T>,
    }
}

use pg_sections::section;

pub struct Inner {
    carts: carts::CartRepository,
}

pub struct App {
    inner: Inner,
}

#[section("vendor")]
impl App {
    pub fn abandoned(&self) -> pg_sections::Result<i64> {
        self.inner.carts.count()
    }
}

fn main() {}
