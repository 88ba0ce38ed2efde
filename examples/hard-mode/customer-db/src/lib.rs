//! The `customer` section, and nothing else: `build.rs` generates only it
//! (`Config::sections(["customer"])`), so no code here can name a vendor
//! table.

pg_sections::include_sections!();

use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use pg_sections::{Result, Table};
use pg_sections::blocking::Db;

use customer::{
    Customer, CustomerProfile, NewCustomerProfile, NewShoppingCart, ShoppingCart, customer_profile,
    shopping_cart,
};

/// The `customer` section's migrations, and only them, embedded by `build.rs`.
pub static MIGRATIONS: pg_sections::migrate::Migrations = pg_sections::include_migrations!();

/// Customers and their carts.
#[derive(Debug, Clone)]
pub struct Carts {
    db: Db<Customer>,
}

impl Carts {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Customer>) -> Self {
        Self { db }
    }

    /// Adds a customer.
    ///
    /// # Errors
    /// The database's error (an email already taken breaks a unique key).
    pub fn add_customer(&self, email: &str) -> Result<CustomerProfile> {
        customer_profile::Table
            .insert(NewCustomerProfile::new(email))
            .returning()
            .fetch_one(&self.db)
    }

    /// Puts `quantity` of the vendor item with public id `item` in the
    /// customer's cart at `price`. The item is a value from another section,
    /// never a foreign key.
    ///
    /// # Errors
    /// The database's error.
    pub fn put(
        &self,
        customer: &CustomerProfile,
        item: Uuid,
        quantity: i32,
        price: Decimal,
    ) -> Result<ShoppingCart> {
        shopping_cart::Table
            .insert(NewShoppingCart {
                quantity: Some(quantity),
                ..NewShoppingCart::new(customer.id, item, price)
            })
            .returning()
            .fetch_one(&self.db)
    }

    /// The lines of the customer's cart, oldest first.
    ///
    /// # Errors
    /// The database's error.
    pub fn lines(&self, customer: &CustomerProfile) -> Result<Vec<ShoppingCart>> {
        shopping_cart::Table
            .select()
            .filter(shopping_cart::customer_id.eq(customer.id))
            .order_by(shopping_cart::id.asc())
            .fetch_all(&self.db)
    }
}
