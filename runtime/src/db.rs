//! `Db<S>`: a handle that runs only queries of section `S`.

use std::marker::PhantomData;

use crate::connection::Connection;
use crate::error::{Error, Result};
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

/// A handle that may run queries on table `T`: a [`Db<S>`] where `T`
/// belongs to section `S`.
///
/// Queries take the handle as `&impl Runs<T>` rather than `&Db<S>` so that
/// the compiler learns `S` from the handle you pass and then checks the
/// table against it, reporting a foreign table in these words.
#[diagnostic::on_unimplemented(
    message = "table `{T}` does not belong to the section of `{Self}`",
    label = "this handle runs queries of its own section only",
    note = "code for one section may only use its own tables; move this to a service, or to a repository of the table's section"
)]
pub trait Runs<T: Table> {
    /// The connection to run on, made ready for the section (its
    /// `search_path`, when the connection pins it). Only this crate can
    /// call it or implement it (its argument cannot be named outside), so
    /// a handle never hands out the connection that opens every section,
    /// and no other type can pose as a handle.
    #[doc(hidden)]
    fn connection(&self, sealed: Sealed) -> Result<&Connection>;
}

/// The argument of [`Runs::connection`]: made only inside this crate.
pub(crate) mod sealed {
    /// Proof that the caller is this crate.
    #[derive(Clone, Copy)]
    pub struct Sealed(pub(crate) ());
}
use sealed::Sealed;

/// The connection `db` runs on for table `T`.
pub(crate) fn connection_of<T: Table, H: Runs<T>>(db: &H) -> Result<&Connection> {
    db.connection(Sealed(()))
}

impl<S: Section, T: InSection<S>> Runs<T> for Db<S> {
    fn connection(&self, _: Sealed) -> Result<&Connection> {
        self.conn.enter_section(S::SCHEMA)?;
        Ok(&self.conn)
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
