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

/// Used by the code `#[section]` expands to; not part of the API.
///
/// A `#[section("vendor")]` item asks, for every path in it, what the
/// compiler resolves the path to, through a [`Probe`]: method resolution
/// picks the first of [`BySection`] (a generated item or handle),
/// [`ByAnnotation`] (a type under `#[section]`), [`ByDoor`] (a way into
/// every section) and [`ByFallback`] (anything else), whose [`Verdict`] the
/// item then admits or refuses. Sections are named by [`Names`]: the
/// generated code implements it for each marker and for the marker's name
/// spelled in [`Char`]s, the only spelling the attribute knows.
#[doc(hidden)]
pub mod __private {
    use std::marker::PhantomData;

    use crate::{Section, SectionItem};

    /// Asks the compiler what a path resolves to: `(&Probe::<P>::new())
    /// .verdict()` is [`Verdict<S>`] when `P` is an item of section `S`
    /// ([`BySection`], [`ByAnnotation`], [`ByDoor`], found first by method
    /// resolution), else `Verdict<Neutral>` ([`ByFallback`], one autoref
    /// further).
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

    /// Asks whether a generic type is a `#[section]` type of the user's
    /// (its arguments are probed on their own: `Db<S>` and `Column<T, V>`
    /// belong to the section of theirs).
    pub struct GenericProbe<T: ?Sized>(PhantomData<T>);

    impl<T: ?Sized> GenericProbe<T> {
        /// A probe of generic type `T`.
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

    /// The probe a closure makes, which is never called: a `static` or a
    /// constant is probed (`within(|| of_val(&STATIC))`) without being
    /// read or moved.
    #[must_use]
    pub fn within<T: ?Sized>(_: impl FnOnce() -> Probe<T>) -> Probe<T> {
        Probe(PhantomData)
    }

    /// The section (or name of one, [`Neutral`] or [`Door`]) a probed path
    /// belongs to.
    pub struct Verdict<S>(PhantomData<S>);

    /// Not an item of any section.
    pub struct Neutral;

    /// A way into every section: the connection behind the handles, or a
    /// raw client.
    pub struct Door;

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

    /// A type under `#[section("…")]`: its section's name, in [`Char`]s.
    ///
    /// [`Char`]: super::Char
    pub trait Annotated {
        /// `(Char<'v'>, Char<'e'>, …)`.
        type Name;
    }

    /// The probe of a type under `#[section]`: the section its name names.
    pub trait ByAnnotation {
        /// The name of its section.
        type Name;
        /// Its section.
        fn verdict<S>(&self) -> Verdict<S>
        where
            Self::Name: Names<S>;
    }

    impl<T: Annotated + ?Sized> ByAnnotation for Probe<T> {
        type Name = T::Name;
        fn verdict<S>(&self) -> Verdict<S>
        where
            T::Name: Names<S>,
        {
            Verdict(PhantomData)
        }
    }

    impl<T: Annotated + ?Sized> ByAnnotation for GenericProbe<T> {
        type Name = T::Name;
        fn verdict<S>(&self) -> Verdict<S>
        where
            T::Name: Names<S>,
        {
            Verdict(PhantomData)
        }
    }

    /// A way into every section that no section check guards (a raw
    /// client runs any SQL), which no `#[section]` item may name. A
    /// [`Connection`](crate::Connection) is not one: it opens a section
    /// only through `db::<S>()`, whose `S` the item's checks see.
    pub trait DoorOpener {}
    impl DoorOpener for postgres::Client {}
    impl DoorOpener for postgres::Transaction<'_> {}
    #[cfg(feature = "testing")]
    impl DoorOpener for crate::testing::TestDatabase {}

    /// The probe of a way into every section.
    pub trait ByDoor {
        /// [`Door`].
        fn verdict(&self) -> Verdict<Door>;
    }

    impl<T: DoorOpener + ?Sized> ByDoor for Probe<T> {
        fn verdict(&self) -> Verdict<Door> {
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

    impl<T: ?Sized> ByFallback for &GenericProbe<T> {
        fn verdict(&self) -> Verdict<Neutral> {
            Verdict(PhantomData)
        }
    }

    /// `Self`, a name spelled in `Char`s, names section `S`: generated for
    /// each section.
    pub trait Names<S> {}

    /// What a `#[section]` item of the section named `N` may use: items of
    /// that section, and anything that is no section's. A [`Door`] is
    /// admitted here and refused by [`Closed`], with its own message.
    pub trait AdmittedIn<N> {}

    impl<N> AdmittedIn<N> for Neutral {}
    impl<N> AdmittedIn<N> for Door {}
    impl<N: Names<S>, S: Section> AdmittedIn<N> for S {}

    /// Not a way into every section.
    pub trait Closed {}

    impl Closed for Neutral {}
    impl<S: Section> Closed for S {}
}
