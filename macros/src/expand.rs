//! Builds the output: the item with a probe for every path in it (see
//! `probe.rs`), what tells other items its section, and the manifest's
//! tracking.
//!
//! The section is named without knowing where the generated modules are
//! mounted: by its characters (`(Char<'v'>, Char<'e'>, …)`), which the
//! generated code says name its marker (`Names`). Messages name sections
//! by their markers, never by those characters.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::ast::Annotated;
use crate::attr;
use crate::manifest::Manifest;
use crate::probe::Probes;

/// Expands `#[section(attr)] item` against `manifest`, the sections this
/// crate generates (`None` when it uses another crate's): the item with
/// its checks, or, when the attribute or the item cannot be expanded, the
/// error and the item as it is.
pub fn expand(attr: TokenStream, item: TokenStream, manifest: Option<&Manifest>) -> TokenStream {
    try_expand(attr, item.clone(), manifest).unwrap_or_else(|error| fallback(item, &error))
}

/// The one way out on error: the error, then the item, so that its own
/// uses still resolve and nothing else fails because it is gone. Its other
/// `#[section]`s are dropped: one error says what is wrong.
pub fn fallback(item: TokenStream, error: &syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    if let Ok(mut parsed) = syn::parse2::<syn::Item>(item.clone()) {
        drop_sections_within(&mut parsed);
        return quote!(#error #parsed);
    }
    quote!(#error #item)
}

/// `item` without its `#[section]`s, nor those of the items of an inline
/// module in it.
fn drop_sections_within(item: &mut syn::Item) {
    crate::probe::drop_section_attributes(item);
    if let syn::Item::Mod(syn::ItemMod {
        content: Some((_, items)),
        ..
    }) = item
    {
        items.iter_mut().for_each(drop_sections_within);
    }
}

fn try_expand(
    attr: TokenStream,
    item: TokenStream,
    manifest: Option<&Manifest>,
) -> syn::Result<TokenStream> {
    let literal = attr::section(attr, manifest)?;
    let mut item = Annotated::parse(item)?.into_item();
    // The other attributes of the item come after this one.
    if let Some(other) = crate::probe::item_attrs(&item)
        .iter()
        .find_map(crate::probe::section_attribute)
    {
        return Err(syn::Error::new(
            other.span(),
            format!(
                "an item has one section: it is already under `#[section(\"{}\")]`",
                literal.value()
            ),
        ));
    }
    let runtime = manifest.map_or(pg_sections_manifest::DEFAULT_RUNTIME, Manifest::runtime);
    let runtime: syn::Path = syn::parse_str(runtime).map_err(|e| {
        syn::Error::new(
            Span::call_site(),
            format!("the sections manifest names `{runtime}` as the runtime crate, which is not a path: {e}"),
        )
    })?;
    let runtime = quote!(#runtime);
    let section = literal.value();
    let name = name_type(&runtime, &section);
    let probes = Probes::new(&runtime, &name, &section, &item);
    let mut checks = probes.expand(&mut item);
    if manifest.is_none() {
        checks.extend(probes.known(&literal));
    }
    let tracked = manifest.and_then(Manifest::tracked_path).map(|path| {
        let path = path.to_string_lossy();
        // Makes the compiler rebuild this crate when the manifest changes,
        // so no item is ever checked against a stale list of sections.
        quote!(
            const _: &[u8] = include_bytes!(#path);
        )
    });
    checks.extend(tracked);
    // The checks first, so that errors of a signature come before those
    // of a body.
    Ok(quote! {
        #checks
        #item
    })
}

/// `(::pg_sections::Char<'v'>, ::pg_sections::Char<'e'>, …)`.
fn name_type(runtime: &TokenStream, name: &str) -> TokenStream {
    let chars = name.chars();
    quote!((#(#runtime::Char<#chars>,)*))
}
