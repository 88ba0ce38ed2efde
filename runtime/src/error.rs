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
    /// The connection is in use by the call this one was made from: a
    /// query, handle or connection method called inside
    /// [`Connection::with_client`](crate::blocking::Connection::with_client) on the
    /// same connection. Use the client `with_client` gives instead, or
    /// make the call after it returns.
    Busy,
    /// An async handle was used after the [`Transaction`](crate::Transaction)
    /// it belongs to ended (it was kept past `Pool::transaction`'s closure).
    TransactionClosed,
    /// A handle of a section whose tables are in another database than the
    /// pool's or transaction's it came from (`database_url_env` per section
    /// in `sections.toml`): PostgreSQL keeps a transaction, and a
    /// connection, within one database, and pg-sections runs no two-phase
    /// commit.
    OtherDatabase {
        /// The section of the handle.
        section: &'static str,
        /// The variable of the section's database.
        section_database: &'static str,
        /// The variable of the database the handle came from.
        database: String,
        /// "transaction" or "pool".
        of: &'static str,
    },
    /// [`Databases`](crate::Databases) has no pool for the database of a
    /// section.
    NoDatabase {
        /// The section.
        section: &'static str,
        /// The variable of its database.
        database: &'static str,
    },
    /// A tenant's handle that cannot be: the section is no template, or the
    /// tenant's name cannot make a schema name.
    Tenant {
        /// The section.
        section: &'static str,
        /// The tenant's name, as given.
        name: String,
        /// Why.
        reason: String,
    },
    /// A handle of a tenant template's own schema, which never exists:
    /// each tenant has its own ([`Pool::tenant`](crate::Pool::tenant)).
    TenantTemplate {
        /// The section.
        section: &'static str,
    },
    /// No connection of the pool came free within its wait timeout: every
    /// connection is busy (raise `max_size`, or look for queries that hold
    /// connections long).
    PoolTimeout {
        /// The pool's URL, password masked.
        url: String,
        /// How long the query waited.
        timeout: Duration,
    },
    /// The pool could not be built or is closed.
    Pool {
        /// What went wrong.
        message: String,
    },
    /// Could not connect.
    Connect {
        /// The URL, password masked.
        url: String,
        /// The driver's error.
        source: postgres::Error,
    },
    /// A statement of an async handle ran longer than the handle's
    /// [`statement_timeout`](crate::Db::statement_timeout): the server was
    /// sent a cancel request for it.
    StatementTimeout {
        /// The statement's table or view.
        table: &'static str,
        /// The statement.
        sql: String,
        /// The limit it ran past.
        timeout: Duration,
    },
    /// The connection string's TLS options cannot be followed: an unknown
    /// `sslmode`, a certificate file that cannot be read, `verify-full`
    /// without root certificates (see [`tls`](crate::tls)).
    Tls {
        /// The URL, password masked.
        url: String,
        /// What is wrong, and what to do.
        message: String,
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
        /// [`Connection::with_client`](crate::blocking::Connection::with_client)).
        cause: String,
    },
    /// Raw SQL (through [`Connection::batch_execute`](crate::blocking::Connection::batch_execute)
    /// or [`Connection::with_client`](crate::blocking::Connection::with_client)) ended
    /// the transaction `transaction` opened, with a `COMMIT`, `ROLLBACK` or
    /// `BEGIN` of its own: what ran before it was committed or rolled back
    /// by that statement, what ran after it ran outside this transaction.
    TransactionEnded,
    /// Raw SQL through [`Pool::with_client`](crate::Pool::with_client)
    /// began a transaction and did not end it; it was rolled back before
    /// the connection went back to the pool.
    TransactionLeftOpen,
    /// A stream of the transaction is open, and this call needs the
    /// transaction's connection to itself (a nested transaction,
    /// [`Transaction::with_client`](crate::Transaction::with_client), a
    /// write split into several statements).
    StreamOpen,
    /// A transaction nested in this one is still open: savepoints nest,
    /// they cannot run side by side (two nested transactions of one
    /// transaction awaited together).
    NestedTransactionOpen,
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
    /// A migration failed; the ones before it stay applied.
    Migration {
        /// The section.
        section: String,
        /// The migration's file, as the build named it.
        file: String,
        /// What the server said, with the file's line and column.
        message: String,
        /// Whether everything it did was rolled back: all but a file that
        /// runs without a transaction, whose statements before the failing
        /// one stay applied.
        rolled_back: bool,
    },
    /// The database records applied migrations that are not among those
    /// given; nothing was applied.
    MigrationsMissing {
        /// `(section, migration name)` of each.
        missing: Vec<(String, String)>,
    },
    /// A pending migration is older than an applied one; nothing was
    /// applied.
    MigrationOutOfOrder(Box<crate::migrate::OutOfOrder>),
    /// Another migration run held the lock for longer than the run would
    /// wait; nothing was applied.
    MigrationLocked {
        /// Who holds it, as far as this session may see.
        holder: Option<Box<crate::migrate::LockHolder>>,
        /// How long the run waited.
        waited: std::time::Duration,
    },
    /// An applied migration's file changed since; nothing was applied.
    MigrationChanged {
        /// The section.
        section: String,
        /// The migration's name.
        name: String,
    },
    /// The migration history could not be read or written, or the
    /// migration lock could not be taken.
    MigrationHistory {
        /// What failed, and the server's message.
        message: String,
    },
    /// A seed failed; the ones before it stay applied.
    Seed {
        /// The section.
        section: String,
        /// The seed's file, as the build named it.
        file: String,
        /// What the server said, with the file's line and column.
        message: String,
        /// Whether everything it did was rolled back (all but a file that
        /// runs without a transaction).
        rolled_back: bool,
    },
    /// Seeds were asked for while migrations of their sections are
    /// pending; nothing was seeded.
    SeedsBeforeMigrations {
        /// The pending migrations, as `section name`.
        pending: Vec<String>,
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

/// The SQL of a statement in a message: the start of a long one (a
/// 60 000-row insert is megabytes), and how much is left out. The error's
/// field keeps all of it.
struct Shown<'a>(&'a str);

impl Shown<'_> {
    /// Characters of the statement a message shows.
    const LIMIT: usize = 500;
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(Self::LIMIT) {
            None => f.write_str(self.0),
            Some((end, _)) => write!(
                f,
                "{}… ({} more characters)",
                &self.0[..end],
                self.0[end..].chars().count()
            ),
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
                let sql = Shown(sql);
                if table.is_empty() {
                    write!(f, "{message}\n  in: {sql}")
                } else {
                    write!(f, "query on `{table}` failed: {message}\n  in: {sql}")
                }
            }
            Self::NotFound { table, sql } => {
                write!(f, "no row of `{table}` matched\n  in: {}", Shown(sql))
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
                "the connection is busy: this call runs inside another call on the same connection (inside `with_client`, use the client it gives you)",
            ),
            Self::TransactionClosed => f.write_str(
                "this handle belongs to a transaction that has ended: handles of a `Transaction` run only inside the closure given to `Pool::transaction`; outside it, use handles of the pool",
            ),
            Self::OtherDatabase { .. }
            | Self::NoDatabase { .. }
            | Self::Tenant { .. }
            | Self::TenantTemplate { .. } => self.fmt_databases(f),
            Self::PoolTimeout { url, timeout } => write!(
                f,
                "no connection of the pool to {url} came free within {} s: every connection is busy; raise the pool's `max_size` or `wait_timeout`, or look for work that holds connections long (a transaction waiting on something else)",
                timeout.as_secs_f64()
            ),
            Self::Pool { message } => write!(f, "connection pool: {message}"),
            Self::Connect { url, source } => {
                let causes = with_causes(source);
                write!(f, "cannot connect to {url}: {causes}")?;
                let tls = std::error::Error::source(source)
                    .is_some_and(<dyn std::error::Error>::is::<crate::tls::TlsError>);
                if causes.contains("server does not support TLS") {
                    f.write_str("; the server does not offer TLS: turn `ssl` on in its configuration, or connect with `sslmode=prefer` (or `disable`)")
                } else if tls || source.as_db_error().is_some() {
                    // The certificate's refusal, or the server's answer,
                    // says what is wrong.
                    Ok(())
                } else {
                    f.write_str("; check that the server runs and the URL is right")
                }
            }
            Self::Tls { url, message } => write!(f, "cannot connect to {url}: {message}"),
            Self::StatementTimeout {
                table,
                sql,
                timeout,
            } => write!(
                f,
                "a statement on `{table}` did not finish within {} s and the server was asked to cancel it: {}\n  = help: raise the handle's limit (`Db::statement_timeout`, `PoolOptions::statement_timeout`), or find what holds the statement back (a lock another session holds, a missing index)",
                timeout.as_secs_f64(),
                Shown(sql)
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
            Self::TransactionEnded => f.write_str(
                "raw SQL ended the transaction that `transaction` opened (a COMMIT, ROLLBACK or BEGIN run through `batch_execute` or `with_client`): the work before it was committed or rolled back by that statement and the work after it ran outside the transaction\n  end transactions by returning from `transaction` only; for partial undo use a nested `transaction` (a savepoint)"
            ),
            Self::TransactionLeftOpen => f.write_str(
                "raw SQL run through `Pool::with_client` began a transaction and did not end it: it was rolled back, and the connection went back to the pool outside any transaction\n  run transactions with `Pool::transaction` (and raw SQL inside one with `Transaction::with_client`)"
            ),
            Self::StreamOpen => f.write_str(
                "a stream of this transaction is open, and this call needs the transaction's connection to itself (a nested `transaction`, `with_client`, an `insert_many` split into several statements)\n  read the stream to its end or drop it first"
            ),
            Self::NestedTransactionOpen => f.write_str(
                "a transaction nested in this one is still open: nested transactions are savepoints, which nest but cannot run side by side\n  await one nested `transaction` before starting the next, or start the second inside the first"
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
            Self::Migration {
                section,
                file,
                message,
                rolled_back,
            } => write!(
                f,
                "migration {file} of section `{section}` failed{}: {message}",
                if *rolled_back {
                    " and was rolled back"
                } else {
                    ""
                }
            ),
            Self::MigrationsMissing { missing } => {
                let (count, them, were) = if missing.len() == 1 {
                    ("1 applied migration", "it", "it was")
                } else {
                    ("applied migrations", "them", "they were")
                };
                write!(
                    f,
                    "the database records {}{count} that this build does not have: {}; nothing was applied\n  = help: run a build that has {them}, or migrate with `Options::new().ignore_missing(true)` (`Connection::migrate_with`) if {were} deleted on purpose",
                    if missing.len() == 1 {
                        String::new()
                    } else {
                        format!("{} ", missing.len())
                    },
                    missing
                        .iter()
                        .map(|(section, name)| format!("`{name}` of section `{section}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            }
            Self::MigrationChanged { section, name } => write!(
                f,
                "migration `{name}` of section `{section}` was changed after it was applied; restore the file as it was and put the change in a new migration"
            ),
            Self::MigrationOutOfOrder(what) => write!(
                f,
                "{what}; nothing was applied\n  = help: if it can run after the other, give it a newer timestamp (a new file name), or apply it as it is with `Options::allow_out_of_order`"
            ),
            Self::MigrationLocked { holder, waited } => write!(
                f,
                "{}; nothing was applied\n  = help: run again once it is done, or wait longer with `Options::lock_wait`",
                crate::migrate::still_locked(holder.as_deref(), *waited)
            ),
            Self::MigrationHistory { message } => f.write_str(message),
            Self::Seed { .. } | Self::SeedsBeforeMigrations { .. } => self.fmt_seed(f),
        }
    }
}

impl Error {
    /// The words of the seed errors.
    fn fmt_seed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Seed {
                section,
                file,
                message,
                rolled_back,
            } => write!(
                f,
                "seed {file} of section `{section}` failed{}: {message}",
                if *rolled_back {
                    " and was rolled back"
                } else {
                    ""
                }
            ),
            Self::SeedsBeforeMigrations { pending } => write!(
                f,
                "seeds run after migrations, and {} pending: {}; nothing was seeded\n  = help: apply the migrations first (`Migrations::run`, or `cargo sections migrate`)",
                if pending.len() == 1 {
                    "this one is"
                } else {
                    "these are"
                },
                pending.join(", ")
            ),
            _ => Ok(()),
        }
    }
}

impl Error {
    /// The messages of the errors of where sections live: several
    /// databases, tenant schemas.
    fn fmt_databases(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tenant {
                section,
                name,
                reason,
            } => write!(f, "no tenant {name:?} of section `{section}`: {reason}"),
            Self::TenantTemplate { section } => write!(
                f,
                "section `{section}` is a tenant template: its own schema is never created, each tenant has one; take a tenant's handle of the async pool (`pool.tenant::<…>(\"acme\")`; a blocking connection has none)"
            ),
            Self::OtherDatabase {
                section,
                section_database,
                database,
                of,
            } => write!(
                f,
                "section `{section}` is in the database of {section_database}, and this {of} is of the database of {database}: PostgreSQL keeps a {of} within one database (pg-sections runs no two-phase commit); take the handle from a {of} of {section_database}'s database (`Databases::pool::<…>()`), and make work that spans both databases idempotent"
            ),
            Self::NoDatabase { section, database } => write!(
                f,
                "section `{section}` is in the database of {database}, which these `Databases` have no pool for; name {database} to `Databases::connect_from_env`"
            ),
            _ => Ok(()),
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
            | Self::TransactionClosed
            | Self::OtherDatabase { .. }
            | Self::NoDatabase { .. }
            | Self::Tenant { .. }
            | Self::TenantTemplate { .. }
            | Self::PoolTimeout { .. }
            | Self::Pool { .. }
            | Self::Tls { .. }
            | Self::StatementTimeout { .. }
            | Self::ConnectTimeout { .. }
            | Self::TransactionAborted { .. }
            | Self::TransactionEnded
            | Self::TransactionLeftOpen
            | Self::StreamOpen
            | Self::NestedTransactionOpen
            | Self::TooManyParameters { .. }
            | Self::PageOutOfRange { .. }
            | Self::Migration { .. }
            | Self::MigrationsMissing { .. }
            | Self::MigrationChanged { .. }
            | Self::MigrationOutOfOrder(_)
            | Self::MigrationLocked { .. }
            | Self::MigrationHistory { .. }
            | Self::Seed { .. }
            | Self::SeedsBeforeMigrations { .. } => None,
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

/// `error` and its causes, `: `-separated, each said once: the driver's
/// errors say "db error" and keep the server's message in their cause.
#[must_use]
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// A connection string as messages show it: rebuilt from what the driver
/// read (user, hosts, ports, database), with `***` for a password and no
/// other option, so no spelling of a password (`user:pw@`, `?password=`,
/// `password = 'a b'`, percent-encoded keys) reaches a log.
#[must_use]
pub fn mask_password(url: &str) -> String {
    let Ok(config) = crate::tls::without_tls_options(url).parse::<postgres::Config>() else {
        // Whatever it holds, a string the driver cannot read is not shown.
        return "(a connection string that does not parse)".to_owned();
    };
    let mut shown = String::from("postgres://");
    if let Some(user) = config.get_user() {
        shown.push_str(user);
        if config.get_password().is_some() {
            shown.push_str(":***");
        }
        shown.push('@');
    } else if config.get_password().is_some() {
        shown.push_str(":***@");
    }
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            match ports.get(i).or_else(|| ports.first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    shown.push_str(&hosts.join(","));
    shown.push('/');
    shown.push_str(config.get_dbname().unwrap_or_default());
    shown
}
