//! PostgreSQL enums as Rust enums: the trait generated enums implement and
//! the wire encoding their `ToSql`/`FromSql` implementations delegate to.

use std::error::Error as StdError;
use std::fmt;

use bytes::BytesMut;
use postgres_types::{IsNull, Kind, Type};

/// A generated Rust enum for a PostgreSQL `CREATE TYPE … AS ENUM`.
pub trait PgEnum: Copy + Sized + 'static {
    /// The schema of the enum type.
    const SCHEMA: &'static str;
    /// The enum type's name.
    const NAME: &'static str;
    /// An enum of a tenant template: its type is in each tenant's schema
    /// (`<SCHEMA>_<tenant>`), which is whose values it takes.
    const TENANT: bool = false;
    /// The label of this value, as PostgreSQL spells it.
    fn label(self) -> &'static str;
    /// The value for `label`, if it is one of the enum's labels.
    fn from_label(label: &str) -> Option<Self>;
}

/// A label that is not one of an enum's labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLabel {
    enum_name: String,
    label: String,
}

impl UnknownLabel {
    /// `label` is not a label of `E`.
    #[must_use]
    pub fn new<E: PgEnum>(label: &str) -> Self {
        Self {
            enum_name: format!("{}.{}", E::SCHEMA, E::NAME),
            label: label.to_owned(),
        }
    }
}

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a label of enum `{}`; if it was added to the database, regenerate the code",
            self.label, self.enum_name
        )
    }
}

impl StdError for UnknownLabel {}

/// Whether `ty` is the PostgreSQL enum `E` maps to.
#[must_use]
pub fn enum_accepts<E: PgEnum>(ty: &Type) -> bool {
    matches!(ty.kind(), Kind::Enum(_))
        && ty.name() == E::NAME
        && (ty.schema() == E::SCHEMA
            || E::TENANT
                && ty
                    .schema()
                    .strip_prefix(E::SCHEMA)
                    .is_some_and(|tenant| tenant.starts_with('_')))
}

/// Writes `value` as its label.
///
/// # Errors
/// Never; the signature is `ToSql::to_sql`'s.
pub fn enum_to_sql<E: PgEnum>(
    value: E,
    _ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
    out.extend_from_slice(value.label().as_bytes());
    Ok(IsNull::No)
}

/// Reads a label into `E`.
///
/// # Errors
/// The bytes are not UTF-8, or not one of `E`'s labels.
pub fn enum_from_sql<E: PgEnum>(
    _ty: &Type,
    raw: &[u8],
) -> Result<E, Box<dyn StdError + Sync + Send>> {
    let label = std::str::from_utf8(raw)?;
    E::from_label(label).ok_or_else(|| UnknownLabel::new::<E>(label).into())
}
