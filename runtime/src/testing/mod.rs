//! Test databases on a real PostgreSQL: a fresh database per test, on the
//! server of `DATABASE_URL` or on a throwaway cluster that the test process
//! starts and removes. Compiled with the `testing` feature; the
//! `#[pg_sections::test]` attribute is built on it.
//!
//! ```toml
//! [dev-dependencies]
//! pg-sections = { version = "0.1", features = ["testing"] }
//! ```
//!
//! Where the databases live:
//!
//! - with `DATABASE_URL` set (and not blank), on that server: each database
//!   is created there and dropped when its test ends, so the user needs the
//!   right to create databases;
//! - otherwise on one throwaway cluster per test process, which the first
//!   test that needs it starts: `initdb` into a new temporary directory,
//!   then `pg_ctl start` on a free port of 127.0.0.1 (again on another one
//!   if someone took it meanwhile), with durability turned off (`fsync`,
//!   `synchronous_commit` and `full_page_writes` off) and
//!   `max_connections = 200`. It needs PostgreSQL's `initdb` and `pg_ctl`,
//!   on `PATH` or in `/usr/lib/postgresql/<version>/bin`. Run as root, they
//!   run as the `postgres` user through `runuser` (PostgreSQL refuses to
//!   run as root). A detached shell stops the cluster and removes its
//!   directory once the process has ended, however it ended: passing,
//!   failing, panicking or killed.
//!
//! Most tests use the attribute, which creates the database, applies the
//! crate's migrations and hands the test what it asks for:
//!
//! ```
//! use pg_sections::postgres::Client;
//!
//! #[pg_sections::test(migrations = false)]
//! fn a_fresh_database_is_empty(mut client: Client) {
//!     let tables = client
//!         .query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'", &[])
//!         .unwrap();
//!     assert!(tables.is_empty());
//! }
//! # fn main() {}
//! ```
//!
//! and the functions underneath are there for the rest: [`database`] for a
//! test that needs several databases or sets one up its own way,
//! [`try_database`] for a program (a demo, an example binary) that reports
//! errors instead of panicking, [`server_url`] for work on the server
//! itself.

mod argument;
mod cluster;
mod database;
mod server;

pub use argument::{AsyncFromTestDatabase, FromTestDatabase};
pub use database::{SetupError, TestDatabase, database, server_url, try_database};

/// A throwaway cluster of its own, beside the one the tests share, for
/// tests of the server's settings (TLS, `pg_hba.conf`): its maintenance
/// URL (`postgres://postgres@127.0.0.1:PORT/postgres`). Removed when the
/// process ends, as the shared one is. Not for users' tests: it may change.
///
/// # Errors
/// As the shared cluster's setup: no PostgreSQL programs, a file or setting
/// the server refuses (with its log).
#[doc(hidden)]
pub fn start_cluster(settings: &str, files: &[(&str, &[u8])]) -> Result<String, String> {
    cluster::start(&cluster::Extra { settings, files }).map(|server| server.maintenance_url)
}

/// A streaming replica of the throwaway cluster `primary_url` names
/// (one [`start_cluster`] started, on 127.0.0.1): `pg_basebackup -R` of
/// it, started on a port of its own and removed when the process ends.
/// For the tests of reads on replicas; not for users' tests: it may
/// change.
///
/// # Errors
/// A URL without a port, no `pg_basebackup`, or a copy or start that
/// failed (with what the programs said).
#[doc(hidden)]
pub fn start_replica(primary_url: &str) -> Result<Standby, String> {
    cluster::start_replica(port_of(primary_url)?)
}

#[doc(hidden)]
pub use cluster::{Bouncer, Standby};

/// A PgBouncer (found on `PATH` or in `/usr/sbin`) in front of the
/// throwaway cluster `server_url` names, on a free port of 127.0.0.1,
/// with `settings` added to its `[pgbouncer]` section (`pool_mode =
/// transaction`, `default_pool_size = 2`, …); every database of the
/// server reachable by name, `trust` authentication. Stopped when the
/// [`Bouncer`] is dropped or the process ends. For the tests of the pool
/// behind PgBouncer; not for users' tests: it may change.
///
/// # Errors
/// A URL without a port, no `pgbouncer`, or one that did not start (with
/// its log).
#[doc(hidden)]
pub fn start_pgbouncer(server_url: &str, settings: &str) -> Result<Bouncer, String> {
    cluster::start_pgbouncer(port_of(server_url)?, settings)
}

/// The port of a cluster's URL.
fn port_of(url: &str) -> Result<u16, String> {
    let config: postgres::Config = url
        .parse()
        .map_err(|error| format!("{url} is no URL of a cluster: {error}"))?;
    config
        .get_ports()
        .first()
        .copied()
        .ok_or_else(|| format!("{url} names no port"))
}

/// `url` pointing at database `name` instead: its path's database, or a
/// `dbname=` key, replaced. For `codegen`'s shadow source; not public API.
#[doc(hidden)]
#[must_use]
pub fn url_of_database(url: &str, name: &str) -> String {
    server::with_dbname(url, name)
}

/// What `#[pg_sections::test]` expands to calls; not public API.
#[doc(hidden)]
pub mod __private {
    use super::{AsyncFromTestDatabase, FromTestDatabase};

    /// Compiles only when `T` can be the argument of a test, so that the
    /// error stands under the argument's type even where `#[test]`
    /// functions are not compiled.
    pub const fn argument_of_a_test<T: FromTestDatabase>() {}

    /// [`argument_of_a_test`], for `async fn` tests.
    pub const fn argument_of_an_async_test<T: AsyncFromTestDatabase>() {}

    /// Runs an `async fn` test's future to its end on a current-thread
    /// tokio runtime of its own.
    ///
    /// # Panics
    /// If the runtime cannot be built (no thread or file descriptor left).
    pub fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("cannot start a tokio runtime for the test: {error}"))
            .block_on(future)
    }
}
