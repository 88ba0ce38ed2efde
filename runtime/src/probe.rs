//! Used by the code `#[section]` expands to and by generated code; not
//! part of the API.
//!
//! A `#[section("vendor")]` item asks, for every path in it, what the
//! compiler resolves the path to, through a probe: method resolution picks
//! the first of [`BySection`] (a generated item or handle),
//! [`ByAnnotation`] (a type under `#[section]`), [`ByDoor`] (a raw client)
//! and [`ByFallback`] (anything else, one autoref further), whose
//! [`Verdict`] the item then admits or refuses. Sections are named by
//! [`Names`]: the generated code implements it for the marker's name spelled
//! in [`Char`](crate::Char)s, the only spelling the attribute knows.
//!
//! Three probes, by what is probed:
//!
//! - [`TypeProbe`], a type written in the item (an alias included): what it
//!   holds, through the standard containers (`Box<Vec<ShoppingCart>>`
//!   behind `type Carts = …` is the customer section's);
//! - [`GenericProbe`], a generic type written in the item: whether it is a
//!   `#[section]` type itself (its arguments are probed on their own);
//! - [`Probe`], the type of a value where it stands: the value's own type
//!   only, since its generic arguments may still be left to inference.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::{Arc, Mutex, RwLock};

use crate::{Page, Section, SectionItem};

macro_rules! probes {
    ($($(#[$doc:meta])* $probe:ident;)*) => {
        $(
            $(#[$doc])*
            pub struct $probe<T: ?Sized>(PhantomData<T>);

            impl<T: ?Sized> $probe<T> {
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

            impl<T: ?Sized> ByFallback for &$probe<T> {
                fn verdict(&self) -> Verdict<Neutral> {
                    Verdict(PhantomData)
                }
            }
        )*
    };
}

probes! {
    /// The type of a value where it stands (`of_val`, `within`).
    Probe;
    /// A type written in the item: what it holds.
    TypeProbe;
    /// A generic type written in the item: whether it is a `#[section]`
    /// type.
    GenericProbe;
}

/// A probe of the type of `value` (a constant, unit struct or variant
/// named by a path).
#[must_use]
pub const fn of_val<T: ?Sized>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}

/// A probe of the type of the place `place` points to (a field, whose
/// raw address needs no `unsafe` for a union and no alignment for a packed
/// struct).
#[must_use]
pub const fn of_place<T: ?Sized>(_: *const T) -> Probe<T> {
    Probe(PhantomData)
}

/// The probe a closure makes, which is never called: a `static`, a
/// constant or a field is probed (`within(|| of_val(&STATIC))`) without
/// being read, moved or borrowed for long. Its type is known, so it is
/// probed as a written type is, through the standard containers.
#[must_use]
pub fn within<T: ?Sized>(_: impl FnOnce() -> Probe<T>) -> TypeProbe<T> {
    TypeProbe(PhantomData)
}

/// The probe of `None`, `Some`, `Ok` or `Err` written alone in a block
/// (`of_prelude(&None)`): `pinned()` gives the probe of the value, the
/// prelude's with its generic arguments set to `()` (so that nothing is
/// left to inference), or a variant imported under that name as it is, which
/// is then probed as any value is.
pub struct PreludeProbe<T: ?Sized>(PhantomData<T>);

/// A probe of a prelude name's value.
#[must_use]
pub const fn of_prelude<T: ?Sized>(_: &T) -> PreludeProbe<T> {
    PreludeProbe(PhantomData)
}

/// `None`, the prelude's.
pub trait PreludeValue {
    /// The value's type, with `()` for its generic arguments.
    type Value;
    /// Its probe.
    fn pinned(&self) -> Probe<Self::Value>;
}

impl PreludeValue for PreludeProbe<Option<()>> {
    type Value = Option<()>;
    fn pinned(&self) -> Probe<Option<()>> {
        Probe(PhantomData)
    }
}

/// `Some`, the prelude's.
pub trait PreludeOption {
    /// Its probe.
    fn pinned(&self) -> Probe<Option<()>>;
}

impl<F: FnOnce(()) -> Option<()>> PreludeOption for PreludeProbe<F> {
    fn pinned(&self) -> Probe<Option<()>> {
        Probe(PhantomData)
    }
}

/// `Ok` or `Err`, the prelude's.
pub trait PreludeResult {
    /// Its probe.
    fn pinned(&self) -> Probe<Result<(), ()>>;
}

impl<F: FnOnce(()) -> Result<(), ()>> PreludeResult for PreludeProbe<F> {
    fn pinned(&self) -> Probe<Result<(), ()>> {
        Probe(PhantomData)
    }
}

/// A variant imported under a prelude name, one autoref further.
pub trait PreludeOther {
    /// Its type.
    type Value: ?Sized;
    /// Its probe.
    fn pinned(&self) -> Probe<Self::Value>;
}

impl<T: ?Sized> PreludeOther for &PreludeProbe<T> {
    type Value = T;
    fn pinned(&self) -> Probe<T> {
        Probe(PhantomData)
    }
}

/// The section (or [`Neutral`], or [`RawClient`]) a probed path belongs to.
pub struct Verdict<S>(PhantomData<S>);

/// Not an item of any section.
pub struct Neutral;

/// A raw client, which runs SQL of every section.
pub struct RawClient;

/// A type under `#[section("…")]`: its section's name, in `Char`s.
pub trait Annotated {
    /// `(Char<'v'>, Char<'e'>, …)`.
    type Name;
}

/// A raw client, which runs SQL of every section and which no `#[section]`
/// item may name. A [`Connection`](crate::blocking::Connection), a
/// [`Pool`](crate::Pool) or a [`Transaction`](crate::Transaction) is not
/// one: each opens a section only through `db::<S>()`, whose `S` the
/// item's checks see.
pub trait DoorOpener {}

/// What a written type holds: a section item's section, itself or through
/// the standard containers. Implemented by each section item (the
/// generated code implements it beside `SectionItem`) rather than for every
/// `SectionItem`, so that `Box`, references and `Pin`, which another crate
/// may implement traits for, can be looked into as well.
pub trait HoldsSection {
    /// The section.
    type Section;
}

/// What a written type holds: a `#[section]` type's name, itself or
/// through the standard containers (the attribute implements it beside
/// [`Annotated`]).
pub trait HoldsAnnotated {
    /// The name of its section.
    type Name;
}

/// What a written type holds: a raw client, itself or through the
/// standard containers.
pub trait HoldsDoor {}

macro_rules! doors {
    ($($door:ty,)*) => {
        $(
            impl DoorOpener for $door {}
            impl HoldsDoor for $door {}
        )*
    };
}

doors! {
    postgres::Client,
    postgres::Transaction<'_>,
    tokio_postgres::Client,
    tokio_postgres::Transaction<'_>,
}

#[cfg(feature = "testing")]
doors! {
    crate::testing::TestDatabase,
}

impl<T: crate::Table, V> HoldsSection for crate::Column<T, V> {
    type Section = T::Section;
}

impl<S: Section> HoldsSection for crate::Db<S> {
    type Section = S;
}

impl<S: Section> HoldsSection for crate::blocking::Db<S> {
    type Section = S;
}

/// The containers a written type is looked into, by the parameter that
/// holds the content (a map's value, a result's success).
macro_rules! containers {
    ($(<$($p:ident $(: ?$sized:ident)?),*> $container:ty => $held:ident;)*) => {
        $(
            impl<$($p $(: ?$sized)?),*> HoldsSection for $container where $held: HoldsSection {
                type Section = $held::Section;
            }
            impl<$($p $(: ?$sized)?),*> HoldsAnnotated for $container where $held: HoldsAnnotated {
                type Name = $held::Name;
            }
            impl<$($p $(: ?$sized)?),*> HoldsDoor for $container where $held: HoldsDoor {}
        )*
    };
}

containers! {
    <T: ?Sized> &T => T;
    <T: ?Sized> &mut T => T;
    <T: ?Sized> *const T => T;
    <T: ?Sized> *mut T => T;
    <T: ?Sized> std::ptr::NonNull<T> => T;
    <T: ?Sized> Box<T> => T;
    <P> std::pin::Pin<P> => P;
    <T> Option<T> => T;
    <T> Vec<T> => T;
    <T> VecDeque<T> => T;
    <T> std::collections::LinkedList<T> => T;
    <T> std::collections::BinaryHeap<T> => T;
    <T> [T] => T;
    <T: ?Sized> Rc<T> => T;
    <T: ?Sized> Arc<T> => T;
    <T: ?Sized> std::rc::Weak<T> => T;
    <T: ?Sized> std::sync::Weak<T> => T;
    <T: ?Sized> Cell<T> => T;
    <T: ?Sized> RefCell<T> => T;
    <T: ?Sized> std::cell::UnsafeCell<T> => T;
    <T: ?Sized> std::cell::Ref<'_, T> => T;
    <T: ?Sized> std::cell::RefMut<'_, T> => T;
    <T> std::cell::OnceCell<T> => T;
    <T, F> std::cell::LazyCell<T, F> => T;
    <T: ?Sized> Mutex<T> => T;
    <T: ?Sized> RwLock<T> => T;
    <T: ?Sized> std::sync::MutexGuard<'_, T> => T;
    <T: ?Sized> std::sync::RwLockReadGuard<'_, T> => T;
    <T: ?Sized> std::sync::RwLockWriteGuard<'_, T> => T;
    <T> std::sync::OnceLock<T> => T;
    <T, F> std::sync::LazyLock<T, F> => T;
    <T> std::sync::mpsc::Sender<T> => T;
    <T> std::sync::mpsc::SyncSender<T> => T;
    <T> std::sync::mpsc::Receiver<T> => T;
    <T> std::thread::JoinHandle<T> => T;
    <T> std::thread::LocalKey<T> => T;
    <T: ?Sized> PhantomData<T> => T;
    <T: ?Sized> std::mem::ManuallyDrop<T> => T;
    <T> std::mem::MaybeUninit<T> => T;
    <T> std::cmp::Reverse<T> => T;
    <T> std::num::Wrapping<T> => T;
    <T> std::num::Saturating<T> => T;
    <T> std::task::Poll<T> => T;
    <T> BTreeSet<T> => T;
    <T, S> HashSet<T, S> => T;
    <K, V> BTreeMap<K, V> => V;
    <K, V, S> HashMap<K, V, S> => V;
    <T, E> Result<T, E> => T;
    <T> Page<T> => T;
    <T: ?Sized> tokio::sync::Mutex<T> => T;
    <T: ?Sized> tokio::sync::RwLock<T> => T;
    <T> tokio::sync::OnceCell<T> => T;
    <T> tokio::sync::mpsc::Sender<T> => T;
    <T> tokio::sync::mpsc::UnboundedSender<T> => T;
    <T> tokio::sync::mpsc::Receiver<T> => T;
    <T> tokio::sync::mpsc::UnboundedReceiver<T> => T;
    <T> tokio::sync::oneshot::Sender<T> => T;
    <T> tokio::sync::oneshot::Receiver<T> => T;
    <T> tokio::sync::watch::Sender<T> => T;
    <T> tokio::sync::watch::Receiver<T> => T;
    <T> tokio::task::JoinHandle<T> => T;
}

impl<B: ToOwned + HoldsSection + ?Sized> HoldsSection for std::borrow::Cow<'_, B> {
    type Section = B::Section;
}
impl<B: ToOwned + HoldsAnnotated + ?Sized> HoldsAnnotated for std::borrow::Cow<'_, B> {
    type Name = B::Name;
}
impl<B: ToOwned + HoldsDoor + ?Sized> HoldsDoor for std::borrow::Cow<'_, B> {}

impl<T: HoldsSection, const N: usize> HoldsSection for [T; N] {
    type Section = T::Section;
}
impl<T: HoldsAnnotated, const N: usize> HoldsAnnotated for [T; N] {
    type Name = T::Name;
}
impl<T: HoldsDoor, const N: usize> HoldsDoor for [T; N] {}

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

impl<T: HoldsSection + ?Sized> BySection for TypeProbe<T> {
    type Section = T::Section;
    fn verdict(&self) -> Verdict<T::Section> {
        Verdict(PhantomData)
    }
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

macro_rules! by_annotation {
    ($($probe:ident: $trait:ident;)*) => {
        $(
            impl<T: $trait + ?Sized> ByAnnotation for $probe<T> {
                type Name = T::Name;
                fn verdict<S>(&self) -> Verdict<S>
                where
                    T::Name: Names<S>,
                {
                    Verdict(PhantomData)
                }
            }
        )*
    };
}

by_annotation! {
    Probe: Annotated;
    TypeProbe: HoldsAnnotated;
    GenericProbe: Annotated;
}

/// The probe of a raw client.
pub trait ByDoor {
    /// [`RawClient`].
    fn verdict(&self) -> Verdict<RawClient>;
}

impl<T: DoorOpener + ?Sized> ByDoor for Probe<T> {
    fn verdict(&self) -> Verdict<RawClient> {
        Verdict(PhantomData)
    }
}

impl<T: HoldsDoor + ?Sized> ByDoor for TypeProbe<T> {
    fn verdict(&self) -> Verdict<RawClient> {
        Verdict(PhantomData)
    }
}

/// The probe of anything else.
pub trait ByFallback {
    /// Neutral.
    fn verdict(&self) -> Verdict<Neutral>;
}

/// `Self`, a name spelled in `Char`s, names section `S`: generated for
/// each section.
#[diagnostic::on_unimplemented(
    message = "the section of this `#[section]` item is not among the sections this crate can see",
    label = "its section is unknown here",
    note = "sections are the modules `codegen` generates; a crate that uses sections another crate generates must name that crate (`use the_db_crate as _;` will do)"
)]
pub trait Names<S> {}

/// What a `#[section]` item of the section named `N` may use: items of
/// that section, and anything that is no section's. A [`RawClient`] is admitted
/// here and refused by [`Closed`], with its own message.
pub trait AdmittedIn<N> {}

impl<N> AdmittedIn<N> for Neutral {}
impl<N> AdmittedIn<N> for RawClient {}
impl<N: Names<S>, S: Section> AdmittedIn<N> for S {}

/// Not a raw client.
pub trait Closed {}

impl Closed for Neutral {}
impl<S: Section> Closed for S {}

/// Whether the name `N` (a section's name in `Char`s) is made to name
/// section `S` as well as its own: generated code checks each section's
/// marker against the names of the other sections of its crate, so that a
/// hand-written `impl Names<Customer> for (Char<'v'>, …)`, which would let
/// `#[section("vendor")]` items use customer items, does not compile.
pub struct NameCheck<N, S>(PhantomData<fn() -> (N, S)>);

impl<N, S> NameCheck<N, S> {
    /// The check of `N` against `S`.
    #[must_use]
    #[allow(
        clippy::new_without_default,
        reason = "only generated code makes checks"
    )]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

/// Found when `N` names `S`.
pub struct Forged;

/// Found when it does not.
pub struct Unforged;

/// The check when `N` names `S`: first, by method resolution.
pub trait NamesBoth {
    /// [`Forged`].
    fn named(&self) -> Forged;
}

impl<N: Names<S>, S> NamesBoth for NameCheck<N, S> {
    fn named(&self) -> Forged {
        Forged
    }
}

/// The check otherwise, one autoref further.
pub trait NamesOne {
    /// [`Unforged`].
    fn named(&self) -> Unforged;
}

impl<N, S> NamesOne for &NameCheck<N, S> {
    fn named(&self) -> Unforged {
        Unforged
    }
}

/// A section's name that names only its own section.
#[diagnostic::on_unimplemented(
    message = "a section's name is made to name another section: an `impl Names` was written outside the generated code",
    label = "this section is also named by another section's name",
    note = "only `codegen` implements `pg_sections::__private::Names`; such an impl would let `#[section]` items of one section use another's items, so remove it"
)]
pub trait OnlyItsOwn {}

impl OnlyItsOwn for Unforged {}

/// Requires `check` to be [`Unforged`].
pub fn only_its_own<T: OnlyItsOwn>(_: &T) {}

/// The statement of a generated `find` (by the whole primary key), rendered
/// by its first call and kept: later calls send it as it is, never built
/// again, and read its few rows at once. Each generated `find` has one, in
/// a `static`.
pub struct StatementText(std::sync::OnceLock<Box<str>>);

impl StatementText {
    /// No statement yet.
    #[must_use]
    #[allow(
        clippy::new_without_default,
        reason = "a `static` needs a const constructor, not `Default`"
    )]
    pub const fn new() -> Self {
        Self(std::sync::OnceLock::new())
    }

    /// `select`, a `find`, sending the statement kept (rendered from
    /// `select` the first time). Every call must build the same clauses.
    pub fn fix<T: crate::Table, D: crate::decode::Decoder>(
        &'static self,
        select: crate::query::Select<T, D>,
    ) -> crate::query::Select<T, D> {
        let text = self.0.get_or_init(|| select.to_sql().text.into_boxed_str());
        select.by_key(text)
    }
}
