//! The example's error: the database's, or a rule of the marketplace.

use std::fmt;

use pg_sections::uuid::Uuid;

/// A `Result` with the example's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a service of the marketplace can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The database refused a statement, or a row did not decode.
    Database(pg_sections::Error),
    /// No row of `what` has the public id `id`.
    NotFound {
        /// What was looked up (`"customer"`, `"inventory item"`).
        what: &'static str,
        /// The public id asked for.
        id: Uuid,
    },
    /// A quantity to buy must be at least 1.
    InvalidQuantity(i32),
    /// The vendor no longer offers the item.
    Unavailable {
        /// The item's public id.
        item: Uuid,
    },
    /// The vendor holds fewer than the customer asks for.
    OutOfStock {
        /// The item's public id.
        item: Uuid,
        /// The vendor's SKU, for messages.
        sku: Option<String>,
        /// How many the customer asked for in all.
        requested: i32,
        /// How many the vendor holds.
        available: i32,
    },
    /// Checkout with an empty cart.
    EmptyCart,
}

impl From<pg_sections::Error> for Error {
    fn from(error: pg_sections::Error) -> Self {
        Self::Database(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Database(error) => error.fmt(f),
            Self::NotFound { what, id } => write!(f, "no {what} has the public id {id}"),
            Self::InvalidQuantity(quantity) => {
                write!(f, "cannot buy {quantity} of an item; buy at least 1")
            }
            Self::Unavailable { item } => write!(f, "item {item} is no longer offered"),
            Self::OutOfStock {
                item,
                sku,
                requested,
                available,
            } => write!(
                f,
                "not enough stock of {}: {requested} requested, {available} available",
                sku.as_deref()
                    .map_or_else(|| item.to_string(), |sku| format!("`{sku}`")),
            ),
            Self::EmptyCart => f.write_str("the cart is empty"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Database(source) => Some(source),
            _ => None,
        }
    }
}
