//! `Db<S>`: a handle that runs only queries of section `S`.

use std::marker::PhantomData;

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::exec::{Executor, Kind};
use crate::{InSection, Section, Table};

/// A handle on a connection that executes only queries whose tables belong
/// to section `S`.
///
/// The rule is in the types: every query carries its table, and executing
/// it requires the table to implement [`InSection<S>`](crate::InSection),
/// which generated code implements for a table's own section only. Running
/// a `customer` query on a `Db<Vendor>` does not compile.
///
/// Handles are cheap to clone. Several handles of different sections can
/// share one [`Connection`] (one database holding several schemas), or each
/// can have its own (sections in different databases).
pub struct Db<S: Section> {
    conn: Connection,
    section: PhantomData<fn() -> S>,
}

impl<S: Section> Clone for Db<S> {
    fn clone(&self) -> Self {
        Self::new(self.conn.clone())
    }
}

impl<S: Section> std::fmt::Debug for Db<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db<{}>", S::NAME)
    }
}

impl<S: Section> Db<S> {
    pub(crate) fn new(conn: Connection) -> Self {
        Self {
            conn,
            section: PhantomData,
        }
    }

    /// Opens a connection of its own to `url`, for section `S`, bounded by
    /// a timeout as [`Connection::connect`] is.
    ///
    /// # Errors
    /// [`Error::Connect`] naming the URL, password masked;
    /// [`Error::ConnectTimeout`] when the server did not answer in time.
    pub fn connect(url: &str) -> Result<Self> {
        Ok(Self::new(Connection::connect(url)?))
    }

    /// Runs `f` in a transaction on this handle's connection: commits when
    /// it returns `Ok`, rolls back on `Err` and on panic. The handle given
    /// to `f` is of the same section. Nested calls use savepoints.
    ///
    /// When a statement inside failed, the server aborted the transaction:
    /// even if `f` ignored that error and returned `Ok`, the work is rolled
    /// back and the result is [`Error::TransactionAborted`]
    /// (see [`Connection::transaction`]).
    ///
    /// # Errors
    /// `f`'s error; [`Error::TransactionAborted`] when `f` returned `Ok`
    /// after a statement in the transaction failed; the database's error
    /// when `BEGIN`, `COMMIT` or a savepoint fails.
    pub fn transaction<T, E: From<Error>>(
        &self,
        f: impl FnOnce(&Self) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.conn.transaction(|| f(self))
    }
}

/// A handle that may run queries on table `T`: a handle of the section
/// `T` belongs to, blocking ([`blocking::Db<S>`](crate::blocking::Db)) or async
/// ([`Db<S>`](crate::Db)).
///
/// Queries take the handle as `&impl Runs<T>` rather than a handle type so
/// that the compiler learns the section from the handle you pass and then
/// checks the table against it, reporting a foreign table in these words.
/// The handle's [`Mode`] decides what running gives back: the result on a
/// blocking handle, a future of it (to `.await`) on an async one. Code
/// generic over handles names the mode it works in:
///
/// ```
/// use pg_sections::{Result, Runs, Table};
/// use pg_sections::blocking::Blocking;
///
/// /// How many rows `T` has, on any blocking handle that may read it.
/// fn rows<T: Table, H: Runs<T, Mode = Blocking>>(table: T, db: &H) -> Result<i64> {
///     table.select().count(db)
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "table `{T}` does not belong to the section of `{Self}`",
    label = "this handle runs queries of its own section only",
    note = "code for one section may only use its own tables; move this to a service, or to a repository of the table's section"
)]
pub trait Runs<T: Table>: Sync {
    /// How this handle runs queries: [`Blocking`](crate::blocking::Blocking)
    /// or [`Async`](crate::Async).
    type Mode: Mode;

    /// The connection to run on, made ready for the section (its
    /// `search_path`, when the connection pins it). Only this crate can
    /// call it or implement it (its argument cannot be named outside), so
    /// no other type can pose as a handle, and a handle never hands out the
    /// connection that opens every section.
    #[doc(hidden)]
    fn executor(&self, sealed: Sealed) -> Executor<'_>;
}

/// How a handle runs queries, and what running one gives back:
/// [`Blocking`](crate::blocking::Blocking) gives the `Result`,
/// [`Async`](crate::Async) a future of it. Sealed: these two are all.
pub trait Mode: Send + Sync + 'static {
    /// What running a query that produces `R` gives: `Result<R>` when
    /// blocking, a [`QueryFuture`](crate::QueryFuture) of it when async.
    type Output<'a, R: Send + 'a>;

    /// Drives `work`, the query. Sealed as [`Runs::executor`] is.
    #[doc(hidden)]
    fn drive<'a, R: Send + 'a>(
        work: impl Future<Output = Result<R>> + Send + 'a,
        sealed: Sealed,
    ) -> Self::Output<'a, R>;
}

/// What running a query that produces `R` on handle `H` gives.
pub type Output<'a, T, H, R> = <<H as Runs<T>>::Mode as Mode>::Output<'a, R>;

/// The argument of [`Runs`]' and [`Mode`]'s methods: made only inside this
/// crate.
pub(crate) mod sealed {
    /// Proof that the caller is this crate.
    #[derive(Clone, Copy)]
    pub struct Sealed(pub(crate) ());
}
pub(crate) use sealed::Sealed;

/// Runs `work`, a query's body over the executor of `db`, as `db` runs
/// queries.
pub(crate) fn drive<'a, T: Table, H: Runs<T>, R: Send + 'a, F>(
    db: &'a H,
    work: impl FnOnce(Executor<'a>) -> F,
) -> Output<'a, T, H, R>
where
    F: Future<Output = Result<R>> + Send + 'a,
{
    H::Mode::drive(work(db.executor(Sealed(()))), Sealed(()))
}

/// Running a query blocks the calling thread until it is done, and gives
/// its `Result`: the mode of [`blocking::Db`](crate::blocking::Db).
#[derive(Debug, Clone, Copy)]
pub enum Blocking {}

impl Mode for Blocking {
    type Output<'a, R: Send + 'a> = Result<R>;

    fn drive<'a, R: Send + 'a>(
        work: impl Future<Output = Result<R>> + Send + 'a,
        _: Sealed,
    ) -> Result<R> {
        crate::exec::block_on(work)
    }
}

/// The blocking connection of `db`, ready for table `T`'s section.
pub(crate) fn connection_of<T: Table, H: Runs<T, Mode = Blocking>>(db: &H) -> Result<&Connection> {
    match db.executor(Sealed(())).0 {
        Kind::Blocking {
            conn,
            schema,
            template,
        } => {
            crate::exec::refuse_template(template)?;
            conn.enter_section(schema)?;
            Ok(conn)
        }
        // Only `blocking::Db` has the blocking mode, and its executor is
        // blocking.
        Kind::Pooled { .. } => unreachable!("a blocking handle runs on a blocking connection"),
    }
}

/// The pool or transaction async handle `db` runs on, and the tenant
/// whose schema its statements name.
pub(crate) fn source_of<T: Table, H: Runs<T, Mode = crate::Async>>(
    db: &H,
) -> (&crate::pool::Source, Option<&crate::tenant::TenantSchema>) {
    match db.executor(Sealed(())).0 {
        Kind::Pooled { source, tenant, .. } => (source, tenant),
        // Only the async `Db` has the async mode, and it runs on a pool.
        Kind::Blocking { .. } => unreachable!("an async handle runs on a pool"),
    }
}

impl<S: Section, T: InSection<S>> Runs<T> for Db<S> {
    type Mode = Blocking;

    fn executor(&self, _: Sealed) -> Executor<'_> {
        Executor(Kind::Blocking {
            conn: &self.conn,
            schema: S::SCHEMA,
            template: S::TENANT.then_some(S::NAME),
        })
    }
}

/// A section named by its characters, so the `#[section("vendor")]`
/// attribute can name a section's marker type without knowing where the
/// generated modules are mounted: `(Char<'v'>, Char<'e'>, …)`.
#[doc(hidden)]
pub struct Char<const C: char>;

impl<S: Section> crate::SectionItem for Db<S> {
    type Section = S;
}
