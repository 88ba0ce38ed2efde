//! Used by the code `#[section]` expands to; not part of the API.
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
//!   holds, through the standard containers (`Vec<ShoppingCart>` behind
//!   `type Carts = …` is the customer section's);
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

/// The section (or [`Neutral`], or [`Door`]) a probed path belongs to.
pub struct Verdict<S>(PhantomData<S>);

/// Not an item of any section.
pub struct Neutral;

/// A raw client, which runs SQL of every section.
pub struct Door;

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

impl DoorOpener for postgres::Client {}
impl DoorOpener for postgres::Transaction<'_> {}
impl DoorOpener for tokio_postgres::Client {}
impl DoorOpener for tokio_postgres::Transaction<'_> {}
#[cfg(feature = "testing")]
impl DoorOpener for crate::testing::TestDatabase {}

/// What a written type holds: a section item's section, through the
/// standard containers.
pub trait HoldsSection {
    /// The section.
    type Section;
}

/// What a written type holds: a `#[section]` type's name, through the
/// standard containers.
pub trait HoldsAnnotated {
    /// The name of its section.
    type Name;
}

/// What a written type holds: a raw client, through the standard
/// containers.
pub trait HoldsDoor {}

impl<T: SectionItem + ?Sized> HoldsSection for T {
    type Section = T::Section;
}

impl<T: Annotated + ?Sized> HoldsAnnotated for T {
    type Name = T::Name;
}

impl<T: DoorOpener + ?Sized> HoldsDoor for T {}

/// The containers a written type is looked into, by the parameter that
/// holds the content (a map's value, a result's success). Not `Box` or
/// references: another crate may implement traits for its own `Box<T>`.
macro_rules! containers {
    ($(<$($p:ident),*> $container:ty => $held:ident;)*) => {
        $(
            impl<$($p),*> HoldsSection for $container where $held: HoldsSection {
                type Section = $held::Section;
            }
            impl<$($p),*> HoldsAnnotated for $container where $held: HoldsAnnotated {
                type Name = $held::Name;
            }
            impl<$($p),*> HoldsDoor for $container where $held: HoldsDoor {}
        )*
    };
}

containers! {
    <T> Option<T> => T;
    <T> Vec<T> => T;
    <T> VecDeque<T> => T;
    <T> [T] => T;
    <T> Rc<T> => T;
    <T> Arc<T> => T;
    <T> Cell<T> => T;
    <T> RefCell<T> => T;
    <T> Mutex<T> => T;
    <T> RwLock<T> => T;
    <T> BTreeSet<T> => T;
    <T, S> HashSet<T, S> => T;
    <K, V> BTreeMap<K, V> => V;
    <K, V, S> HashMap<K, V, S> => V;
    <T, E> Result<T, E> => T;
    <T> Page<T> => T;
    <T> std::thread::LocalKey<T> => T;
}

impl<T: HoldsSection, const N: usize> HoldsSection for [T; N] {
    type Section = T::Section;
}
impl<T: HoldsAnnotated, const N: usize> HoldsAnnotated for [T; N] {
    type Name = T::Name;
}
impl<T: HoldsDoor, const N: usize> HoldsDoor for [T; N] {}

/// A written or place type that is a reference: what it refers to holds
/// (`OrderStatus::ALL: &[OrderStatus]`). Its own traits, since another
/// crate may implement the `Holds` traits for its own `&T`.
pub trait ByReference {
    /// The section, or [`Door`].
    type Verdict;
    /// Its section.
    fn verdict(&self) -> Verdict<Self::Verdict>;
}

impl<T: HoldsSection + ?Sized> ByReference for TypeProbe<&T> {
    type Verdict = T::Section;
    fn verdict(&self) -> Verdict<T::Section> {
        Verdict(PhantomData)
    }
}

/// A reference to a `#[section]` type: the section its name names.
pub trait ByReferenceToAnnotated {
    /// The name of its section.
    type Name;
    /// Its section.
    fn verdict<S>(&self) -> Verdict<S>
    where
        Self::Name: Names<S>;
}

impl<T: HoldsAnnotated + ?Sized> ByReferenceToAnnotated for TypeProbe<&T> {
    type Name = T::Name;
    fn verdict<S>(&self) -> Verdict<S>
    where
        T::Name: Names<S>,
    {
        Verdict(PhantomData)
    }
}

/// A reference to a raw client.
pub trait ByReferenceToDoor {
    /// [`Door`].
    fn verdict(&self) -> Verdict<Door>;
}

impl<T: HoldsDoor + ?Sized> ByReferenceToDoor for TypeProbe<&T> {
    fn verdict(&self) -> Verdict<Door> {
        Verdict(PhantomData)
    }
}

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
    /// [`Door`].
    fn verdict(&self) -> Verdict<Door>;
}

impl<T: DoorOpener + ?Sized> ByDoor for Probe<T> {
    fn verdict(&self) -> Verdict<Door> {
        Verdict(PhantomData)
    }
}

impl<T: HoldsDoor + ?Sized> ByDoor for TypeProbe<T> {
    fn verdict(&self) -> Verdict<Door> {
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
/// that section, and anything that is no section's. A [`Door`] is admitted
/// here and refused by [`Closed`], with its own message.
pub trait AdmittedIn<N> {}

impl<N> AdmittedIn<N> for Neutral {}
impl<N> AdmittedIn<N> for Door {}
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
