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
    /// `search_path`, when the connection pins it).
    #[doc(hidden)]
    fn connection(&self) -> Result<&Connection>;
}

impl<S: Section, T: InSection<S>> Runs<T> for Db<S> {
    fn connection(&self) -> Result<&Connection> {
        self.conn.enter_section(S::SCHEMA)?;
        Ok(&self.conn)
    }
}

/// A section named by its characters, so the `#[section("vendor")]`
/// attribute can name a section's marker type without knowing where the
/// generated modules are mounted: `(Char<'v'>, Char<'e'>, …)`.
pub struct Char<const C: char>;

/// Implemented by each generated section marker for its own name.
///
/// The `#[section("…")]` attribute requires it of the handles an item holds,
/// so that a handle of another section is an error even when its type is
/// spelled through an alias the attribute cannot see.
#[diagnostic::on_unimplemented(
    message = "a `#[section]` item holds a handle of section `{Self}`, which is not its own",
    label = "a handle of another section",
    note = "a `#[section(\"…\")]` item may hold only `Db` handles of its own section; move this to a service, or to a repository of that section"
)]
pub trait IsSection<Name>: Section {}

impl<S: Section> crate::SectionItem for Db<S> {
    type Section = S;
}

/// Used by the code `#[section]` expands to; not part of the API.
#[doc(hidden)]
pub mod __private {
    use std::marker::PhantomData;

    use super::{Db, IsSection};
    use crate::SectionItem;

    /// Asks the compiler what a path resolves to: `(&Probe::<P>::new())
    /// .verdict()` is [`Verdict<S>`] when `P` is an item of section `S`
    /// ([`BySection`], found first by method resolution), else
    /// `Verdict<Neutral>` ([`ByFallback`], one autoref further).
    pub struct Probe<T: ?Sized>(PhantomData<T>);

    impl<T: ?Sized> Probe<T> {
        /// A probe of type `T`.
        #[must_use]
        #[allow(
            clippy::new_without_default,
            reason = "only generated code makes probes"
        )]
        pub const fn new() -> Self {
            Self(PhantomData)
        }
    }

    /// A probe of the type of `value` (a constant, unit struct or variant
    /// named by a path).
    #[must_use]
    pub const fn of_val<T: ?Sized>(_: &T) -> Probe<T> {
        Probe(PhantomData)
    }

    /// The section a probed path belongs to, or [`Neutral`].
    pub struct Verdict<S>(PhantomData<S>);

    /// Not an item of any section.
    pub struct Neutral;

    /// The probe of a section item.
    pub trait BySection {
        /// The item's section.
        type Section;
        /// Its section.
        fn verdict(&self) -> Verdict<Self::Section>;
    }

    impl<T: SectionItem + ?Sized> BySection for Probe<T> {
        type Section = T::Section;
        fn verdict(&self) -> Verdict<T::Section> {
            Verdict(PhantomData)
        }
    }

    /// The probe of anything else.
    pub trait ByFallback {
        /// Neutral.
        fn verdict(&self) -> Verdict<Neutral>;
    }

    impl<T: ?Sized> ByFallback for &Probe<T> {
        fn verdict(&self) -> Verdict<Neutral> {
            Verdict(PhantomData)
        }
    }

    /// What a `#[section]` item of the section named `N` may use: items of
    /// that section (each generated marker implements it for its own name)
    /// and anything that is no section's.
    pub trait AdmittedIn<N> {}

    impl<N> AdmittedIn<N> for Neutral {}

    /// Compiles only when `S` is the section named `N`.
    pub const fn is_section<S: IsSection<N>, N>() {}

    /// A handle of the section named `N`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a handle of the section this `#[section]` item belongs to",
        note = "a `#[section(\"…\")]` item may hold only `Db` handles of its own section"
    )]
    pub trait HandleOf<N> {}

    impl<S: IsSection<N>, N> HandleOf<N> for Db<S> {}
}
