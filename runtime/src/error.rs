//! The runtime's one error type: what failed, on which table, with which SQL.

use std::fmt;
use std::time::Duration;

use postgres_types::FromSql;

/// A `Result` with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a query can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The database refused the statement, or the connection failed.
    Database {
        /// `schema.table` the statement is about (empty for raw SQL).
        table: &'static str,
        /// The statement as sent.
        sql: String,
        /// The driver's error, with the server's message and SQLSTATE.
        source: postgres::Error,
    },
    /// `fetch_one` found no row.
    NotFound {
        /// `schema.table` queried.
        table: &'static str,
        /// The statement as sent.
        sql: String,
    },
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
    /// The connection is busy with a streamed result that is still open.
    Busy,
    /// Could not connect.
    Connect {
        /// The URL, password masked.
        url: String,
        /// The driver's error.
        source: postgres::Error,
    },
    /// The server did not complete the connection (TCP connect, startup
    /// and authentication) within the connect timeout.
    ConnectTimeout {
        /// The URL, password masked.
        url: String,
        /// The timeout: the URL's `connect_timeout`, or
        /// [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT).
        timeout: Duration,
    },
    /// The transaction was rolled back, not committed: a statement in it
    /// failed, which aborts the whole transaction on the server, and the
    /// work went on as if it had not (its error was ignored).
    TransactionAborted {
        /// The statement that failed first, as the server reported it, or
        /// why the runtime could not see it (raw access through
        /// [`Connection::with_client`](crate::Connection::with_client)).
        cause: String,
    },
    /// A statement would bind more parameters than PostgreSQL accepts in
    /// one statement ([`MAX_PARAMETERS`](crate::MAX_PARAMETERS)); it was
    /// not sent.
    TooManyParameters {
        /// `schema.table` the statement is about.
        table: &'static str,
        /// How many parameters it would bind.
        count: usize,
    },
    /// `paginate` was asked for a page that starts past the largest row
    /// offset PostgreSQL accepts (`i64::MAX`).
    PageOutOfRange {
        /// The page asked for (from 1).
        page: u32,
        /// Rows per page.
        per_page: u32,
    },
}

impl Error {
    /// The server's SQLSTATE code, when the database refused the statement.
    #[must_use]
    pub fn code(&self) -> Option<&postgres::error::SqlState> {
        match self {
            Self::Database { source, .. } => source.code(),
            _ => None,
        }
    }

    pub(crate) fn database(table: &'static str, sql: &str, source: postgres::Error) -> Self {
        Self::Database {
            table,
            sql: sql.to_owned(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Database { table, sql, source } => {
                let message = source
                    .as_db_error()
                    .map_or_else(|| source.to_string(), ToString::to_string);
                if table.is_empty() {
                    write!(f, "{message}\n  in: {sql}")
                } else {
                    write!(f, "query on `{table}` failed: {message}\n  in: {sql}")
                }
            }
            Self::NotFound { table, sql } => {
                write!(f, "no row of `{table}` matched\n  in: {sql}")
            }
            Self::Decode {
                relation,
                column,
                source,
            } => write!(f, "cannot decode column `{relation}.{column}`: {source}"),
            Self::UnexpectedNull { relation, column } => write!(
                f,
                "column `{relation}.{column}` is NULL, but the generated code expects NOT NULL; regenerate the code from the current schema"
            ),
            Self::Busy => f.write_str(
                "the connection is busy: a streamed result is still open; finish or drop it first",
            ),
            Self::Connect { url, source } => write!(
                f,
                "cannot connect to {url}: {source}; check that the server runs and the URL is right"
            ),
            Self::ConnectTimeout { url, timeout } => write!(
                f,
                "cannot connect to {url}: no answer within {} s (TCP connect, startup and authentication); check that PostgreSQL listens at that host and port, or raise `connect_timeout` in the URL (seconds) for a slow server",
                timeout.as_secs_f64()
            ),
            Self::TransactionAborted { cause } => write!(
                f,
                "the transaction was rolled back, not committed, because an earlier statement in it failed: {cause}\n  a failed statement aborts the whole transaction; return its error (`?`) instead of ignoring it, or run it in a nested `transaction` to keep the rest of the work"
            ),
            Self::TooManyParameters { table, count } => write!(
                f,
                "a statement on `{table}` would bind {count} parameters, more than the {} PostgreSQL accepts; it was not sent. Split the work into smaller statements (`insert_many` does so itself), or compare with a list through `is_in`, which binds one array",
                crate::MAX_PARAMETERS
            ),
            Self::PageOutOfRange { page, per_page } => write!(
                f,
                "page {page} of {per_page} rows starts past the largest row offset PostgreSQL accepts; ask for a smaller page"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Database { source, .. }
            | Self::Decode { source, .. }
            | Self::Connect { source, .. } => Some(source),
            Self::NotFound { .. }
            | Self::UnexpectedNull { .. }
            | Self::Busy
            | Self::ConnectTimeout { .. }
            | Self::TransactionAborted { .. }
            | Self::TooManyParameters { .. }
            | Self::PageOutOfRange { .. } => None,
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
#[inline]
pub fn decode<'r, T: FromSql<'r>>(
    row: &'r postgres::Row,
    index: usize,
    relation: &'static str,
    column: &'static str,
) -> Result<T> {
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

/// Reads the columns of one relation from a row, from an offset: what
/// generated [`FromRow`](crate::FromRow) implementations use.
#[derive(Clone, Copy)]
pub struct RowReader<'r> {
    row: &'r postgres::Row,
    start: usize,
    relation: &'static str,
}

impl<'r> RowReader<'r> {
    /// Reads `relation`'s columns from `row`, the first at `start`.
    #[must_use]
    pub fn new(row: &'r postgres::Row, start: usize, relation: &'static str) -> Self {
        Self {
            row,
            start,
            relation,
        }
    }

    /// The relation's column `index` (named `column`, for errors).
    ///
    /// # Errors
    /// As [`decode`].
    #[inline]
    pub fn get<T: FromSql<'r>>(&self, index: usize, column: &'static str) -> Result<T> {
        decode(self.row, self.start + index, self.relation, column)
    }
}

/// A URL with its password replaced by `***`, for messages: the one in
/// `user:password@`, a `password=` query parameter, or a `password=` pair
/// of the `key=value` form.
#[must_use]
pub fn mask_password(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (userinfo, host) = match rest.rsplit_once('@') {
            Some((userinfo, host)) => (Some(userinfo), host),
            None => (None, rest),
        };
        let mut masked = format!("{scheme}://");
        if let Some(userinfo) = userinfo {
            match userinfo.split_once(':') {
                Some((user, _)) => masked.push_str(&format!("{user}:***@")),
                None => masked.push_str(&format!("{userinfo}@")),
            }
        }
        match host.split_once('?') {
            Some((host, query)) => {
                masked.push_str(host);
                masked.push('?');
                let pairs: Vec<&str> = query
                    .split('&')
                    .map(|pair| {
                        if pair.starts_with("password=") {
                            "password=***"
                        } else {
                            pair
                        }
                    })
                    .collect();
                masked.push_str(&pairs.join("&"));
            }
            None => masked.push_str(host),
        }
        return masked;
    }
    // key=value form
    url.split_whitespace()
        .map(|part| {
            if part.starts_with("password=") {
                "password=***"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
