use runtime::section;

#[section("vendor")]
mod inventory {
    use runtime::{Db, Table};
    use tests::bundled::customer::shopping_cart;
    use tests::bundled::vendor::{Vendor, vendor_inventory};

    pub struct Repository {
        pub db: Db<Vendor>,
    }

    impl Repository {
        pub fn items(&self) -> runtime::Result<usize> {
            Ok(vendor_inventory::Table.select().fetch_all(&self.db)?.len())
        }

        pub fn carts(&self) -> runtime::Result<usize> {
            Ok(shopping_cart::Table.select().fetch_all(&self.db)?.len())
        }
    }
}

fn main() {}
