use pg_sections::section;

#[section("vendor")]
mod inventory {
    use pg_sections::Table;
    use pg_sections::blocking::Db;
    use ui::bundled::customer::shopping_cart;
    use ui::bundled::vendor::{Vendor, vendor_inventory};

    pub struct Repository {
        pub db: Db<Vendor>,
    }

    impl Repository {
        pub fn items(&self) -> pg_sections::Result<usize> {
            Ok(vendor_inventory::Table.select().fetch_all(&self.db)?.len())
        }

        pub fn carts(&self) -> pg_sections::Result<usize> {
            Ok(shopping_cart::Table.select().fetch_all(&self.db)?.len())
        }
    }
}

fn main() {}
