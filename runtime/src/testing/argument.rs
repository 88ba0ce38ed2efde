//! [`FromTestDatabase`] and [`AsyncFromTestDatabase`]: what a
//! `#[pg_sections::test]` function can take as its argument, blocking or
//! `async`.

use postgres::Client;

use super::TestDatabase;
use crate::blocking::{Connection, Db};
use crate::{Pool, Section};

/// A value a test can be given, made from its fresh [`TestDatabase`]: the
/// argument of a `#[pg_sections::test]` function.
///
/// Implemented for [`postgres::Client`], [`Connection`], [`Db<S>`] and
/// [`TestDatabase`] itself. Implement it for a fixture of your own (a
/// repository, a seeded world) and tests take that directly. (An
/// `async fn` test takes an [`AsyncFromTestDatabase`] instead.)
///
/// ```
/// use pg_sections::testing::{FromTestDatabase, TestDatabase};
///
/// /// A database with one note, and a connection to it.
/// struct Notes {
///     conn: pg_sections::blocking::Connection,
///     // Kept so that a test can open other sessions; the database lives
///     // until the test ends either way.
///     db: TestDatabase,
/// }
///
/// impl FromTestDatabase for Notes {
///     fn from_test_database(db: &TestDatabase) -> Self {
///         db.seed("notes", "CREATE TABLE note (body text); INSERT INTO note VALUES ('hi');");
///         let conn = pg_sections::blocking::Connection::from_client(db.connect());
///         Notes { conn, db: db.clone() }
///     }
/// }
///
/// #[pg_sections::test(migrations = false)]
/// fn one_note_is_there(notes: Notes) {
///     let mut other = notes.db.connect();
///     let count: i64 = other.query_one("SELECT count(*) FROM note", &[]).unwrap().get(0);
///     assert_eq!(count, 1);
/// }
/// # fn main() {
/// #     let db = pg_sections::testing::database();
/// #     let notes = Notes::from_test_database(&db);
/// #     notes.conn.batch_execute("SELECT 1").unwrap();
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "a `#[pg_sections::test]` function cannot take a `{Self}`",
    label = "not made from a test database",
    note = "the argument can be a `postgres::Client`, a `pg_sections::blocking::Connection`, a `pg_sections::blocking::Db<S>` or a `pg_sections::testing::TestDatabase`, or a type of yours that implements `pg_sections::testing::FromTestDatabase`; or leave it out"
)]
pub trait FromTestDatabase: Sized {
    /// The value for a test on `database`, which is migrated and seeded
    /// already and is dropped when the test ends.
    ///
    /// # Panics
    /// When it cannot be made (a connection refused): the test fails with
    /// the message.
    fn from_test_database(database: &TestDatabase) -> Self;
}

/// A connection of its own, from [`TestDatabase::connect`].
impl FromTestDatabase for Client {
    fn from_test_database(database: &TestDatabase) -> Self {
        database.connect()
    }
}

/// A [`Connection`] of its own, with the default statement cache.
impl FromTestDatabase for Connection {
    fn from_test_database(database: &TestDatabase) -> Self {
        Connection::from_client(database.connect())
    }
}

/// A handle of section `S` on a connection of its own.
impl<S: Section> FromTestDatabase for Db<S> {
    fn from_test_database(database: &TestDatabase) -> Self {
        Connection::from_test_database(database).db()
    }
}

/// The database itself (another handle on it), for tests that open
/// connections of their own or need its URL.
impl FromTestDatabase for TestDatabase {
    fn from_test_database(database: &TestDatabase) -> Self {
        database.clone()
    }
}

/// A value an `async fn` test can be given, made from its fresh
/// [`TestDatabase`]: the argument of an `async` `#[pg_sections::test]`
/// function.
///
/// An `async fn` test runs on a tokio runtime, inside which the blocking
/// clients ([`postgres::Client`], and [`Connection`] and [`Db<S>`] on top of
/// it) cannot run: they start a runtime of their own and panic there. So
/// only what works in async code implements this trait: a
/// [`Pool`](crate::Pool) and an async [`Db<S>`](crate::Db) (over a pool of
/// their own), [`TestDatabase`] (connect an async driver to its
/// [`url`](TestDatabase::url)), and fixtures of yours.
///
/// ```
/// use pg_sections::testing::{AsyncFromTestDatabase, TestDatabase};
///
/// /// What an async driver would connect to.
/// struct Url(String);
///
/// impl AsyncFromTestDatabase for Url {
///     async fn from_test_database(db: &TestDatabase) -> Self {
///         Url(db.url().to_owned())
///     }
/// }
///
/// #[pg_sections::test(migrations = false)]
/// async fn the_url_names_the_database(url: Url) {
///     assert!(url.0.contains("test_"));
/// }
/// # fn main() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "an `async fn` test cannot take a `{Self}`",
    label = "not usable inside the tokio runtime of an `async fn` test",
    note = "the blocking clients (`postgres::Client`, `pg_sections::blocking::Connection`, `pg_sections::blocking::Db<S>`) cannot run inside the tokio runtime an `async fn` test runs on; take a `pg_sections::Pool` or a `pg_sections::Db<S>` (async), or a `pg_sections::testing::TestDatabase` and connect to its `url()`; implement `pg_sections::testing::AsyncFromTestDatabase` for a fixture of yours, or make the test a plain `fn`"
)]
pub trait AsyncFromTestDatabase: Sized {
    /// The value for an `async fn` test on `database`, which is migrated and
    /// seeded already and is dropped after the test.
    ///
    /// # Panics
    /// When it cannot be made: the test fails with the message.
    fn from_test_database(database: &TestDatabase) -> impl Future<Output = Self>;
}

/// The database itself (another handle on it): connect an async driver to
/// its [`url`](TestDatabase::url).
impl AsyncFromTestDatabase for TestDatabase {
    fn from_test_database(database: &TestDatabase) -> impl Future<Output = Self> {
        std::future::ready(database.clone())
    }
}

/// A pool of the database's own (the pool's defaults), connected.
impl AsyncFromTestDatabase for Pool {
    async fn from_test_database(database: &TestDatabase) -> Self {
        Pool::connect(database.url())
            .await
            .unwrap_or_else(|error| panic!("cannot open a pool on the test database: {error}"))
    }
}

/// An async handle for section `S`, over a pool of its own.
impl<S: Section> AsyncFromTestDatabase for crate::Db<S> {
    async fn from_test_database(database: &TestDatabase) -> Self {
        Pool::from_test_database(database).await.db()
    }
}
