//! Which Rust types a column can hold, and what a query compares them with.

use postgres_types::{FromSql, ToSql};

/// A Rust type that a generated column can have.
///
/// `Operand` is what filters compare the column with: the type itself for a
/// `NOT NULL` column, the inner type for an `Option` (test for NULL with
/// [`Column::is_null`](crate::Column::is_null)).
///
/// Implemented for every type of the default mapping, for generated enums
/// and arrays of them. A type given in `sections.toml` needs an
/// implementation of its own (`impl pg_sections::ColumnType for Cents { type
/// Operand = Self; }`) before filters can compare it.
pub trait ColumnType: for<'a> FromSql<'a> + Send + Sync + 'static {
    /// What filters compare the column with.
    type Operand: ToSql + Sync + Send + 'static;
}

impl<T: ColumnType> ColumnType for Option<T> {
    type Operand = T::Operand;
}

macro_rules! plain {
    ($($ty:ty),* $(,)?) => {
        $(impl ColumnType for $ty {
            type Operand = Self;
        })*
    };
}

plain!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u32,
    f32,
    f64,
    String,
    Vec<u8>,
    std::net::IpAddr,
    crate::Interval,
    crate::Money,
    crate::MacAddr,
    crate::MacAddr8,
    crate::Point,
    crate::Bits,
    crate::Xml,
    postgres_types::PgLsn,
    // `hstore`, the extension's key-value type.
    std::collections::HashMap<String, Option<String>>,
);

/// Arrays of generated enums compare with whole arrays.
impl<E: crate::PgEnum + ColumnType + ToSql + Sync + Send> ColumnType for Vec<E> {
    type Operand = Self;
}

/// One-dimensional arrays compare with whole arrays.
macro_rules! arrays {
    ($($ty:ty),* $(,)?) => {
        $(impl ColumnType for Vec<$ty> {
            type Operand = Self;
        })*
    };
}

arrays!(
    bool,
    i16,
    i32,
    i64,
    f32,
    f64,
    String,
    Vec<u8>,
    std::net::IpAddr,
    crate::Interval,
    crate::Money,
    crate::MacAddr,
    crate::MacAddr8,
    crate::Point,
    crate::Bits,
    crate::Xml,
    postgres_types::PgLsn
);

#[cfg(feature = "uuid")]
plain!(uuid::Uuid);
#[cfg(feature = "uuid")]
arrays!(uuid::Uuid);
#[cfg(feature = "decimal")]
plain!(rust_decimal::Decimal);
#[cfg(feature = "decimal")]
arrays!(rust_decimal::Decimal);
#[cfg(feature = "json")]
plain!(serde_json::Value);
#[cfg(feature = "chrono")]
plain!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
);
#[cfg(feature = "chrono")]
arrays!(
    chrono::NaiveDate,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>
);
#[cfg(feature = "time")]
plain!(
    time::Date,
    time::Time,
    time::PrimitiveDateTime,
    time::OffsetDateTime,
);
