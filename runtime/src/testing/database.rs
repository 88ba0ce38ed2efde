//! [`TestDatabase`]: a fresh database that lives as long as one test, and
//! the functions that create one.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use postgres::Client;

use super::server::{self, Server, process_tag, quote_ident, with_sources};
use crate::mask_password;
use crate::migrate::{Applied, Migrations};

/// Numbers the databases created by this process.
static NEXT_DATABASE: AtomicU64 = AtomicU64::new(1);

/// A fresh database that exists for one test.
///
/// Create one with [`database`] (or let `#[pg_sections::test]` do it).
/// It starts empty, created from `template0`; [`migrate`](Self::migrate)
/// and [`seed`](Self::seed) fill it. Clones share the one database, which
/// is dropped when the last of them is (`DROP DATABASE … WITH (FORCE)`,
/// which also ends the connections still open to it; errors while dropping
/// are ignored).
///
/// ```
/// let db = pg_sections::testing::database();
/// let mut client = db.connect();
/// client.batch_execute("CREATE TABLE note (body text)")?;
/// client.execute("INSERT INTO note VALUES ($1)", &[&"hello"])?;
/// let count: i64 = client.query_one("SELECT count(*) FROM note", &[])?.get(0);
/// assert_eq!(count, 1);
/// # Ok::<(), postgres::Error>(())
/// ```
#[derive(Clone)]
pub struct TestDatabase {
    inner: Arc<Inner>,
}

/// What the clones of a [`TestDatabase`] share; dropping it drops the
/// database.
struct Inner {
    name: String,
    url: String,
    server: &'static Server,
}

impl TestDatabase {
    /// The name of the database, unique on the server (`test_<pid>_…`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// A connection string for the database, accepted by
    /// [`Connection::connect`](crate::blocking::Connection::connect),
    /// `postgres::Config::from_str` and libpq. It holds the password of
    /// `DATABASE_URL`, if that has one: show it with
    /// [`mask_password`](crate::mask_password).
    #[must_use]
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// A new connection to the database.
    ///
    /// A blocking client: in an `async fn` test, connect an async driver to
    /// [`url`](Self::url) instead (the blocking client panics inside a tokio
    /// runtime).
    ///
    /// # Panics
    /// If the connection cannot be made; the message names the database
    /// and the server's answer.
    #[must_use]
    pub fn connect(&self) -> Client {
        server::connect(self.url()).unwrap_or_else(|error| {
            panic!(
                "cannot connect to the test database `{}` at {}: {}",
                self.name(),
                mask_password(self.url()),
                with_sources(&*error)
            )
        })
    }

    /// Applies `migrations` and returns what was applied: usually
    /// `pg_sections::include_migrations!()`, the sections that the crate's
    /// `build.rs` generated code from (what `#[pg_sections::test]` applies).
    ///
    /// ```
    /// use pg_sections::migrate::{Migration, Migrations};
    ///
    /// // One section of one file, as `include_migrations!()` embeds them.
    /// static LIST: [Migration; 1] = [Migration::embedded(
    ///     "shop",
    ///     "shop",
    ///     "20250101_000000_create_shop",
    ///     "sections/shop/migrations/20250101_000000_create_shop.up.sql",
    ///     "5d3c5a0f2b8e4c11",
    ///     "CREATE SCHEMA shop; CREATE TABLE shop.item (id int);",
    ///     &[0..19, 20..52],
    /// )];
    /// const MIGRATIONS: Migrations = Migrations::embedded(&LIST);
    ///
    /// let db = pg_sections::testing::database();
    /// let applied = db.migrate(&MIGRATIONS);
    /// assert_eq!(applied[0].name, "20250101_000000_create_shop");
    /// ```
    ///
    /// # Panics
    /// If a migration fails, with the migration error's message: the file,
    /// the line and column, and the server's error.
    #[allow(
        clippy::must_use_candidate,
        reason = "most callers only need the migrations run; a failure panics"
    )]
    pub fn migrate(&self, migrations: &Migrations) -> Vec<Applied> {
        migrations.run(&mut self.connect()).unwrap_or_else(|error| {
            panic!(
                "cannot migrate the test database `{}`: {error}",
                self.name()
            )
        })
    }

    /// Applies the sections' seeds that `migrations` embeds (their
    /// `seeds/*.sql`, see [`crate::seed`]), after its migrations: what
    /// `#[pg_sections::test(seeds = true)]` calls.
    ///
    /// # Panics
    /// If a migration is pending or a seed fails, with the error's message.
    #[allow(
        clippy::must_use_candidate,
        reason = "most callers only need the seeds run; a failure panics"
    )]
    pub fn seed_sections(&self, migrations: &Migrations) -> Vec<crate::seed::Seeded> {
        migrations
            .seed(&mut self.connect())
            .unwrap_or_else(|error| {
                panic!("cannot seed the test database `{}`: {error}", self.name())
            })
    }

    /// Runs the SQL script `sql`, read from the file `file` (named in the
    /// message when it fails), as one batch: a seed of test data, run after
    /// the migrations.
    ///
    /// ```
    /// let db = pg_sections::testing::database();
    /// db.seed("tests/notes.sql", "CREATE TABLE note (body text); INSERT INTO note VALUES ('hi');");
    /// let count: i64 = db.connect().query_one("SELECT count(*) FROM note", &[])?.get(0);
    /// assert_eq!(count, 1);
    /// # Ok::<(), postgres::Error>(())
    /// ```
    ///
    /// # Panics
    /// If the server refuses the script: the message names the file, the
    /// line and column of the statement the server pointed at, and the
    /// server's error.
    pub fn seed(&self, file: &str, sql: &str) {
        if let Err(error) = self.connect().batch_execute(sql) {
            let at = error
                .as_db_error()
                .and_then(postgres::error::DbError::position)
                .and_then(|position| match position {
                    postgres::error::ErrorPosition::Original(at) => Some(*at),
                    postgres::error::ErrorPosition::Internal { .. } => None,
                })
                .map(|at| crate::migrate::line_column(sql, at as usize))
                .map_or_else(String::new, |(line, column)| format!(":{line}:{column}"));
            panic!(
                "the seed {file}{at} failed on the test database `{}`: {}",
                self.name(),
                with_sources(&error)
            );
        }
    }
}

impl fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDatabase")
            .field("name", &self.inner.name)
            .field("url", &mask_password(&self.inner.url))
            .finish()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut client) = self.server.maintenance_client() {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            ));
        }
    }
}

/// Why a test database could not be created: the server could not be set
/// up (PostgreSQL not installed, `DATABASE_URL` unreachable, a cluster that
/// would not start, with its log) or refused to create the database.
///
/// Its message says what to do; connection strings in it have their
/// password masked.
#[derive(Debug, Clone)]
pub struct SetupError {
    message: String,
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SetupError {}

/// Creates a fresh, empty database and returns it.
///
/// The database is created on the server of `DATABASE_URL` when that is
/// set (and not blank), and otherwise on this process's throwaway cluster,
/// which the first call starts (see [the module](super)). Safe to call from
/// many test threads at once: every call gets a database of its own.
///
/// ```
/// let db = pg_sections::testing::database();
/// let conn = pg_sections::blocking::Connection::connect(db.url())?;
/// conn.batch_execute("CREATE SCHEMA shop")?;
/// # Ok::<(), pg_sections::Error>(())
/// ```
///
/// # Panics
/// If the server cannot be set up (for instance because PostgreSQL is not
/// installed; the message says what went wrong, with the server's log when
/// it would not start), or the database cannot be created.
#[must_use]
pub fn database() -> TestDatabase {
    try_database().unwrap_or_else(|error| panic!("{error}"))
}

/// Like [`database`], but says what went wrong instead of panicking: for
/// programs (an example binary, a demo) that report errors to a user rather
/// than to a test harness.
///
/// ```no_run
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let db = pg_sections::testing::try_database()?;
///     let conn = pg_sections::blocking::Connection::connect(db.url())?;
///     println!("a fresh database `{}`", db.name());
///     Ok(())
/// }
/// ```
///
/// # Errors
/// [`SetupError`], with the message [`database`] would panic with.
pub fn try_database() -> Result<TestDatabase, SetupError> {
    create().map_err(|message| SetupError { message })
}

/// Creates the database on the server of this process, which it sets up if
/// need be; the message says what failed.
fn create() -> Result<TestDatabase, String> {
    let server = server::server()?;
    let name = format!(
        "test_{}_{}",
        process_tag(),
        NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
    );
    // The test runs on this URL: it must name the new database and no
    // other, or the test would write into a database it does not own.
    let url = server.url_of(&name);
    let names = crate::tls::parse(&url)
        .ok()
        .map(|(config, _)| config)
        .and_then(|config| config.get_dbname().map(str::to_owned));
    if names.as_deref() != Some(name.as_str()) {
        return Err(format!(
            "the test helper cannot point {} at a database of its own (it would connect to {}); name the database in the URL's path (postgres://user@host/postgres) or as a `dbname=` key",
            mask_password(&server.maintenance_url),
            names.map_or_else(|| "no database".to_owned(), |n| format!("`{n}`")),
        ));
    }
    let mut client = server.maintenance_client()?;
    // template0, as no one can be connected to it: CREATE DATABASE fails
    // while someone is connected to its template.
    client
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE template0",
            quote_ident(&name)
        ))
        .map_err(|error| {
            format!(
                "cannot create the test database `{name}` on {}: {}",
                mask_password(&server.maintenance_url),
                with_sources(&error)
            )
        })?;
    Ok(TestDatabase {
        inner: Arc::new(Inner { name, url, server }),
    })
}

/// The connection string of the server's maintenance database:
/// `DATABASE_URL` as it is when that is set, otherwise the `postgres`
/// database of this process's throwaway cluster (which this starts if need
/// be). For tests of what happens on a server level (creating roles,
/// databases of their own); tests that need a database use [`database`].
///
/// ```
/// let url = pg_sections::testing::server_url();
/// let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
/// let version: String = client.query_one("SHOW server_version", &[])?.get(0);
/// assert!(!version.is_empty());
/// # Ok::<(), postgres::Error>(())
/// ```
///
/// # Panics
/// If the server cannot be set up, as for [`database`].
#[must_use]
pub fn server_url() -> String {
    match server::server() {
        Ok(server) => server.maintenance_url.clone(),
        Err(message) => panic!("{message}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::migrate::line_column;

    #[test]
    fn positions_become_lines_and_columns() {
        let sql = "SELECT 1;\nSELECT nope;\n";
        assert_eq!(line_column(sql, 1), (1, 1));
        assert_eq!(line_column(sql, 18), (2, 8));
        assert_eq!(line_column("é\nx", 3), (2, 1));
    }
}
