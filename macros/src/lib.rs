//! `#[section("vendor")]`: code that belongs to one section may not touch
//! another section's tables. Use it through `pg_sections::section`.
//!
//! The attribute checks its item in two layers:
//!
//! - lexically, every path naming another section's generated items (its
//!   module, a table module, a column, a row or insert struct, an enum, its
//!   marker) is an error under that path, all in one compile;
//! - by type, every `Db<X>` handle the item holds or opens must be of its
//!   own section, so aliases and type parameters cannot smuggle one in.
//!   Queries then run only on that handle, and `Db<S>` runs only queries of
//!   `S`.
//!
//! It reads the list of sections from the manifest that `codegen` writes
//! beside the generated code (`$OUT_DIR/pg-sections.manifest`, or the file
//! named by `PG_SECTIONS_MANIFEST`).

mod ast;
mod attr;
mod expand;
mod manifest;
mod valid;

use proc_macro::TokenStream;

/// Marks a `struct`, `impl` block, `fn` or inline `mod` as code of one
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

/// The attribute on token streams, with the manifest found from the
/// environment.
fn section_inner(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    match manifest::Manifest::load() {
        Ok(manifest) => expand::expand(attr, item, &manifest),
        Err(message) => {
            let error = syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error();
            quote::quote!(#error #item)
        }
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
