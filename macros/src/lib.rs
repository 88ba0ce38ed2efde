//! The attributes of pg-sections, used through its re-exports:
//!
//! - `#[pg_sections::section("vendor")]`: code that belongs to one section
//!   may not touch another section's tables;
//! - `#[pg_sections::test]` (feature `testing`): a test on a fresh database
//!   with the crate's sections migrated.
//!
//! `#[section("vendor")]` asks the compiler, for every path in its item
//! (types, values, constants, fields reached through `self`), what the path
//! resolves to, and accepts only the item's own section or what belongs to
//! none (see `probe.rs`); raw clients are refused. Structs and enums under
//! it get a section too, so other sections' items refuse them. Below it,
//! `Db<S>` runs only queries of `S`.
//!
//! The sections' names are checked against the manifest `codegen` writes
//! beside the generated code (`$OUT_DIR/pg-sections.manifest`, or the file
//! named by `PG_SECTIONS_MANIFEST`), or, in a crate without one, by the
//! compiler.

mod ast;
mod attr;
mod expand;
mod manifest;
mod probe;
mod test_attribute;

use proc_macro::TokenStream;

/// Marks a `struct`, `enum`, `impl` block, `fn` or inline `mod` as code of one
/// section:
///
/// ```text
/// #[pg_sections::section("vendor")]
/// impl InventoryRepository {
///     fn for_vendor(&self, id: i32) -> pg_sections::Result<Vec<VendorInventory>> {
///         vendor_inventory::Table.select()
///             .filter(vendor_inventory::vendor_id.eq(id))
///             .fetch_all(&self.db)
///     }
/// }
/// ```
#[proc_macro_attribute]
pub fn section(attr: TokenStream, item: TokenStream) -> TokenStream {
    section_inner(attr.into(), item.into()).into()
}

/// A test on a fresh PostgreSQL database with the crate's sections
/// migrated; needs the `testing` feature of `pg-sections`.
///
/// ```text
/// use pg_sections::blocking::Db;
/// use crate::db::vendor::{vendor_profile, NewVendorProfile, Vendor};
///
/// #[pg_sections::test]
/// fn vendors_are_counted(db: Db<Vendor>) -> pg_sections::Result<()> {
///     vendor_profile::Table.insert(NewVendorProfile::new("Acme")).execute(&db)?;
///     assert_eq!(vendor_profile::Table.select().count(&db)?, 1);
///     Ok(())
/// }
/// ```
///
/// (`pg_sections::testing` has examples that run.)
///
/// The function becomes a `#[test]` that:
///
/// 1. creates a fresh database with `pg_sections::testing::database()`: on
///    the server of `DATABASE_URL` when that is set, else on a throwaway
///    cluster that the test process starts (one per process, removed when
///    it ends);
/// 2. applies the crate's migrations, `pg_sections::include_migrations!()`
///    (the sections its `build.rs` generated code from); a failing
///    migration fails the test with the migration's error;
/// 3. runs the seed files, if any, in order;
/// 4. calls the function with its argument, made from the database by
///    `pg_sections::testing::FromTestDatabase`: a `postgres::Client`, a
///    `pg_sections::blocking::Connection`, a `pg_sections::blocking::Db<S>`, the
///    `pg_sections::testing::TestDatabase` itself, or a fixture of yours
///    implementing the trait. The argument can also be left out;
/// 5. drops the database when the function returns or panics.
///
/// An `async fn` runs on a current-thread tokio runtime of its own, inside
/// which the blocking clients cannot run: its argument is made by
/// `pg_sections::testing::AsyncFromTestDatabase` (a `TestDatabase`, whose
/// `url()` an async driver connects to, or a fixture of yours). The
/// function may return `()` or a `Result<(), E: Debug>`, as any `#[test]`;
/// its other attributes (`#[should_panic]`, `#[ignore]`, docs, lints) stay
/// on the test.
///
/// Options:
///
/// - `migrations = false`: start on an empty database. A crate whose
///   `build.rs` does not call `codegen::Config::generate` has no embedded
///   migrations and needs it;
/// - `seed = "tests/seed.sql"`: a SQL file, relative to the crate's folder
///   (`CARGO_MANIFEST_DIR`), included at compile time and run after the
///   migrations; several with `seed = ["a.sql", "b.sql"]` or by repeating
///   the option.
///
/// ```text
/// #[pg_sections::test(migrations = false, seed = ["tests/schema.sql", "tests/parts.sql"])]
/// fn the_parts_are_seeded(mut client: postgres::Client) {
///     let parts: i64 = client.query_one("SELECT count(*) FROM part", &[]).unwrap().get(0);
///     assert_eq!(parts, 3);
/// }
/// ```
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    test_attribute::test_inner(attr.into(), item.into()).into()
}

/// The attribute on token streams, with the manifest found from the
/// environment.
fn section_inner(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    match manifest::Manifest::load() {
        Ok(manifest) => expand::expand(attr, item, manifest.as_ref()),
        Err(message) => expand::fallback(
            item,
            &syn::Error::new(proc_macro2::Span::call_site(), message),
        ),
    }
}

/// What `pg_sections::serde::{Serialize, Deserialize}` are while the
/// `serde` feature of pg-sections is off: derives that accept `#[serde]`
/// attributes and expand to nothing, so that code generated with
/// `serde = true` fails with the one error of
/// `pg_sections::__require_serde_feature!()`, which names the feature,
/// instead of one error per derive.
#[doc(hidden)]
#[proc_macro_derive(SerdeFeatureOff, attributes(serde))]
pub fn serde_feature_off(_item: TokenStream) -> TokenStream {
    TokenStream::new()
}

#[cfg(test)]
mod tests;
