//! Work that spans sections. This crate depends on `vendor-db` and
//! `customer-db`, so it holds handles of both and carries public ids from
//! one to the other; the section crates cannot reach each other.

use std::fmt;

use customer_db::Carts;
use customer_db::customer::{CustomerProfile, ShoppingCart};
use pg_sections::blocking::Connection;
use pg_sections::uuid::Uuid;
use vendor_db::Inventory;

/// Why an item did not go into a cart.
#[derive(Debug)]
pub enum Error {
    /// The vendor cannot give that many (or does not offer the item).
    OutOfStock {
        /// The vendor item's public id.
        item: Uuid,
        /// How many were asked for.
        requested: i32,
    },
    /// The database's error.
    Database(pg_sections::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfStock { item, requested } => {
                write!(f, "the vendor cannot give {requested} of item {item}")
            }
            Self::Database(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<pg_sections::Error> for Error {
    fn from(e: pg_sections::Error) -> Self {
        Self::Database(e)
    }
}

/// Adding vendors' items to customers' carts.
pub struct Shop<'c> {
    conn: &'c Connection,
    inventory: Inventory,
    carts: Carts,
}

impl<'c> Shop<'c> {
    /// A service on the `vendor` and `customer` sections of `conn`.
    #[must_use]
    pub fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            inventory: Inventory::new(conn.db()),
            carts: Carts::new(conn.db()),
        }
    }

    /// Takes `quantity` of the vendor item `item` from the vendor's stock and
    /// puts it in the customer's cart at the vendor's price, in one
    /// transaction across both sections: both happen, or neither.
    ///
    /// # Errors
    /// [`Error::OutOfStock`] when the vendor cannot give `quantity` (nothing
    /// changes), or the database's error.
    pub fn add_to_cart(
        &self,
        customer: &CustomerProfile,
        item: Uuid,
        quantity: i32,
    ) -> Result<ShoppingCart, Error> {
        self.conn.transaction(|| {
            let taken = self
                .inventory
                .take(item, quantity)?
                .ok_or(Error::OutOfStock {
                    item,
                    requested: quantity,
                })?;
            Ok(self
                .carts
                .put(customer, taken.public_id, quantity, taken.price)?)
        })
    }
}
