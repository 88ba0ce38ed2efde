//! Builds the output: the item with a probe for every path in it (see
//! `probe.rs`), and the bounds that keep generic handles to the item's own
//! section.
//!
//! Both name the section without knowing where the generated modules are
//! mounted: by its characters (`(Char<'v'>, Char<'e'>, …)`), which each
//! generated marker implements `AdmittedIn` and `IsSection` for. Messages
//! name sections by their markers, never by those characters.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{GenericParam, Generics};

use crate::ast::Annotated;
use crate::attr;
use crate::manifest::Manifest;
use crate::probe::Probes;

/// Expands `#[section(attr)] item` against `manifest`.
pub fn expand(attr: TokenStream, item: TokenStream, manifest: &Manifest) -> TokenStream {
    let section = match attr::section(attr, manifest) {
        Ok(section) => section,
        // Keep the item so that its own uses still resolve.
        Err(e) => {
            let error = e.to_compile_error();
            return quote!(#error #item);
        }
    };
    let annotated = match Annotated::parse(item.clone()) {
        Ok(annotated) => annotated,
        Err(e) => {
            let error = e.to_compile_error();
            return quote!(#error #item);
        }
    };
    let mut item = annotated.into_item();
    let runtime: syn::Path = match syn::parse_str(&manifest.runtime) {
        Ok(path) => path,
        Err(e) => {
            let error = syn::Error::new(
                Span::call_site(),
                format!("the sections manifest names `{}` as the runtime crate, which is not a path: {e}", manifest.runtime),
            )
            .to_compile_error();
            return quote!(#error #item);
        }
    };
    let runtime = quote!(#runtime);
    let name = name_type(&runtime, &section.name);
    let mut checks = Probes {
        runtime: &runtime,
        name: &name,
        section: &section.name,
    }
    .item(&mut item);
    HandleParams {
        runtime: &runtime,
        name: &name,
    }
    .item(&mut item);
    let tracked = manifest.tracked_path().map(|path| {
        let path = path.to_string_lossy();
        // Makes the compiler rebuild this crate when the manifest changes,
        // so no item is ever checked against a stale list of sections.
        quote!(
            const _: &[u8] = include_bytes!(#path);
        )
    });
    checks.extend(tracked);
    quote! {
        #item
        #checks
    }
}

/// `(::pg_sections::Char<'v'>, ::pg_sections::Char<'e'>, …)`.
fn name_type(runtime: &TokenStream, name: &str) -> TokenStream {
    let chars = name.chars();
    quote!((#(#runtime::Char<#chars>,)*))
}

/// Type parameters that stand for section handles (a `Runs<…>` bound) must
/// be handles of the item's own section: a where-clause per parameter.
struct HandleParams<'a> {
    runtime: &'a TokenStream,
    name: &'a TokenStream,
}

impl HandleParams<'_> {
    fn item(&self, item: &mut syn::Item) {
        match item {
            syn::Item::Struct(s) => self.bound(&mut s.generics),
            syn::Item::Impl(i) => {
                self.bound(&mut i.generics);
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        self.bound(&mut f.sig.generics);
                    }
                }
            }
            syn::Item::Fn(f) => self.bound(&mut f.sig.generics),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    for item in items.iter_mut() {
                        self.item(item);
                    }
                }
            }
            _ => {}
        }
    }

    fn bound(&self, generics: &mut Generics) {
        let (runtime, name) = (self.runtime, self.name);
        let mut handle_params = Vec::new();
        for param in &generics.params {
            if let GenericParam::Type(t) = param
                && t.bounds.iter().any(mentions_runs)
            {
                handle_params.push(t.ident.clone());
            }
        }
        if let Some(where_clause) = &generics.where_clause {
            for predicate in &where_clause.predicates {
                if let syn::WherePredicate::Type(p) = predicate
                    && p.bounds.iter().any(mentions_runs)
                    && let syn::Type::Path(tp) = &p.bounded_ty
                    && let Some(ident) = tp.path.get_ident()
                {
                    handle_params.push(ident.clone());
                }
            }
        }
        if handle_params.is_empty() {
            return;
        }
        let where_clause = generics.make_where_clause();
        for ident in handle_params {
            where_clause
                .predicates
                .push(syn::parse_quote_spanned!(ident.span()=> #ident: #runtime::__private::HandleOf<#name>));
        }
    }
}

fn mentions_runs(bound: &syn::TypeParamBound) -> bool {
    matches!(bound, syn::TypeParamBound::Trait(t)
        if t.path.segments.last().is_some_and(|s| s.ident == "Runs"))
}
