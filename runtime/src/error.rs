//! The runtime's error type.

use std::fmt;

use postgres_types::FromSql;

/// What can go wrong when reading rows.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A column value could not be decoded into its field's type.
    Decode {
        /// `schema.table` the column belongs to.
        relation: &'static str,
        /// The column's SQL name.
        column: &'static str,
        /// The decoding error.
        source: postgres::Error,
    },
    /// A column the schema calls NOT NULL held NULL: the database and the
    /// generated code disagree (regenerate, or check the migration).
    UnexpectedNull {
        /// `schema.table` the column belongs to.
        relation: &'static str,
        /// The column's SQL name.
        column: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode {
                relation,
                column,
                source,
            } => write!(f, "cannot decode column `{relation}.{column}`: {source}"),
            Self::UnexpectedNull { relation, column } => write!(
                f,
                "column `{relation}.{column}` is NULL, but the generated code expects NOT NULL; regenerate the code from the current schema"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode { source, .. } => Some(source),
            Self::UnexpectedNull { .. } => None,
        }
    }
}

/// Reads column `index` of `row` as `T`, naming `relation.column` on failure.
///
/// Used by generated [`FromRow`](crate::FromRow) implementations.
///
/// # Errors
/// [`Error::UnexpectedNull`] for a NULL read into a non-`Option` type,
/// [`Error::Decode`] for any other decoding failure.
pub fn decode<'r, T: FromSql<'r>>(
    row: &'r postgres::Row,
    index: usize,
    relation: &'static str,
    column: &'static str,
) -> Result<T, Error> {
    row.try_get(index).map_err(|source| {
        let was_null = std::error::Error::source(&source)
            .is_some_and(|e| e.downcast_ref::<postgres_types::WasNull>().is_some());
        if was_null {
            Error::UnexpectedNull { relation, column }
        } else {
            Error::Decode {
                relation,
                column,
                source,
            }
        }
    })
}
