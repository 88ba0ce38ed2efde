//! Builds the output: the item as written plus the type-layer checks, and
//! every lexical error as a `compile_error!` beside it.
//!
//! The type layer ties the item to its section without knowing where the
//! generated modules are mounted: a section is named by its characters
//! (`(Char<'v'>, Char<'e'>, …)`), which each generated marker implements
//! `IsSection` for. Every `Db<X>` the item mentions must satisfy
//! `X: IsSection<own name>`; type parameters that stand for handles (a
//! `Runs<…>` bound) must be `HandleOf<own name>`. Aliases and type
//! parameters the lexical layer cannot see are caught there.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Generics, Type};

use crate::ast::Annotated;
use crate::attr;
use crate::manifest::Manifest;
use crate::valid::Checker;

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
    let mut checker = Checker::new(manifest, section);
    checker.visit_item(&item);
    if !checker.errors.is_empty() {
        // The errors above say what is wrong; the compiler's own errors
        // about the same bodies would only repeat them.
        Silence { manifest, section }.visit_item_mut(&mut item);
    }
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
    let mut checks = TokenStream::new();
    // With lexical errors the item is already refused; type checks of the
    // same paths would only say it again.
    if checker.errors.is_empty() {
        TypeLayer {
            runtime: &runtime,
            name: &name,
            out: &mut checks,
        }
        .item(&mut item);
    }
    let errors = checker.errors.iter().map(syn::Error::to_compile_error);
    let tracked = manifest.tracked_path().map(|path| {
        let path = path.to_string_lossy();
        // Makes the compiler rebuild this crate when the manifest changes,
        // so no item is ever checked against a stale list of sections.
        quote!(
            const _: &[u8] = include_bytes!(#path);
        )
    });
    quote! {
        #(#errors)*
        #item
        #checks
        #tracked
    }
}

/// Replaces the body of every function that holds a violation with
/// `unreachable!()`, keeping its signature so callers still compile.
struct Silence<'m> {
    manifest: &'m Manifest,
    section: &'m crate::manifest::Section,
}

impl Silence<'_> {
    fn silence(&self, sig: Option<&syn::Signature>, block: &mut syn::Block) -> bool {
        let mut checker = Checker::new(self.manifest, self.section);
        checker.visit_block(block);
        if checker.errors.is_empty() {
            return false;
        }
        // Touch the parameters so that they do not warn as unused.
        let params = sig
            .into_iter()
            .flat_map(|sig| &sig.inputs)
            .filter_map(|input| match input {
                syn::FnArg::Typed(t) => match &*t.pat {
                    syn::Pat::Ident(p) => Some(p.ident.clone()),
                    _ => None,
                },
                syn::FnArg::Receiver(_) => None,
            });
        *block = syn::parse_quote!({
            #(let _ = &#params;)*
            unreachable!()
        });
        true
    }
}

impl VisitMut for Silence<'_> {
    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        if !self.silence(Some(&f.sig), &mut f.block) {
            syn::visit_mut::visit_item_fn_mut(self, f);
        }
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if !self.silence(Some(&f.sig), &mut f.block) {
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        if !self.silence(None, block) {
            syn::visit_mut::visit_block_mut(self, block);
        }
    }
}

/// `(::pg_sections::Char<'v'>, ::pg_sections::Char<'e'>, …)`.
fn name_type(runtime: &TokenStream, name: &str) -> TokenStream {
    let chars = name.chars();
    quote!((#(#runtime::Char<#chars>,)*))
}

/// Adds where-clauses and checks that tie an item to its section.
struct TypeLayer<'a> {
    runtime: &'a TokenStream,
    name: &'a TokenStream,
    out: &'a mut TokenStream,
}

impl TypeLayer<'_> {
    fn item(&mut self, item: &mut syn::Item) {
        match item {
            syn::Item::Struct(s) => {
                let generics = s.generics.clone();
                self.bound_handle_params(&mut s.generics);
                let mut handles = Handles::default();
                handles.visit_fields(&s.fields);
                self.emit(&generics, &handles.found);
            }
            syn::Item::Impl(i) => {
                self.bound_handle_params(&mut i.generics);
                let generics = i.generics.clone();
                let mut handles = Handles::default();
                handles.visit_type(&i.self_ty);
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        self.bound_handle_params(&mut f.sig.generics);
                        let mut signature = Handles::default();
                        signature.visit_signature(&f.sig);
                        let mut generics = generics.clone();
                        generics
                            .params
                            .extend(f.sig.generics.params.iter().cloned());
                        self.emit(&generics, &signature.found);
                        Body::default().check(&mut f.block, self.runtime, self.name);
                    }
                }
                self.emit(&generics, &handles.found);
            }
            syn::Item::Fn(f) => {
                self.bound_handle_params(&mut f.sig.generics);
                let mut handles = Handles::default();
                handles.visit_signature(&f.sig);
                let generics = f.sig.generics.clone();
                self.emit(&generics, &handles.found);
                Body::default().check(&mut f.block, self.runtime, self.name);
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    let mut inner = TokenStream::new();
                    for item in items.iter_mut() {
                        TypeLayer {
                            runtime: self.runtime,
                            name: self.name,
                            out: &mut inner,
                        }
                        .item(item);
                    }
                    if !inner.is_empty() {
                        items.push(syn::Item::Verbatim(inner));
                    }
                }
            }
            _ => {}
        }
    }

    /// Type parameters bounded by `Runs<…>` stand for section handles: they
    /// must be handles of the own section.
    fn bound_handle_params(&self, generics: &mut Generics) {
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
                    && let Type::Path(tp) = &p.bounded_ty
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

    /// A check per handle type: a where-bound when it uses the item's
    /// generics, else a type-checked function beside the item.
    fn emit(&mut self, generics: &Generics, found: &[Type]) {
        let (runtime, name) = (self.runtime, self.name);
        let (impl_generics, _, where_clause) = generics.split_for_impl();
        for ty in found {
            let span = ty.span();
            self.out.extend(quote_spanned! {span=>
                const _: () = {
                    #[allow(dead_code, clippy::extra_unused_type_parameters)]
                    fn __pg_sections_check #impl_generics () #where_clause {
                        #runtime::__private::is_section::<#ty, #name>();
                    }
                };
            });
        }
    }
}

fn mentions_runs(bound: &syn::TypeParamBound) -> bool {
    matches!(bound, syn::TypeParamBound::Trait(t)
        if t.path.segments.last().is_some_and(|s| s.ident == "Runs"))
}

/// The `X` of every `Db<X>` in a signature or field list.
#[derive(Default)]
struct Handles {
    found: Vec<Type>,
}

impl<'ast> Visit<'ast> for Handles {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(last) = path.segments.last()
            && last.ident == "Db"
            && let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let [syn::GenericArgument::Type(ty)] =
                args.args.iter().collect::<Vec<_>>().as_slice()
        {
            self.found.push((*ty).clone());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_block(&mut self, _: &'ast syn::Block) {
        // Bodies are checked where their local names are in scope.
    }
}

/// Checks inside function bodies: `Db<X>` types and `.db::<X>()` calls,
/// for `X` that names no generic parameter, as a statement at the top of
/// the body (where the body's own `use`s are visible).
#[derive(Default)]
struct Body {
    found: Vec<(Type, Span)>,
    generic_names: Vec<String>,
}

impl Body {
    fn check(mut self, block: &mut syn::Block, runtime: &TokenStream, name: &TokenStream) {
        self.visit_block_mut(block);
        let checks: Vec<syn::Stmt> = self
            .found
            .iter()
            .filter(|(ty, _)| !self.mentions_generics(ty))
            .map(|(ty, span)| {
                syn::parse_quote_spanned! {*span=>
                    const _: () = {
                        #[allow(dead_code)]
                        fn __pg_sections_check() {
                            #runtime::__private::is_section::<#ty, #name>();
                        }
                    };
                }
            })
            .collect();
        for (i, stmt) in checks.into_iter().enumerate() {
            block.stmts.insert(i, stmt);
        }
    }

    fn mentions_generics(&self, ty: &Type) -> bool {
        let text = quote!(#ty).to_string();
        text.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| self.generic_names.iter().any(|g| g == word) || word == "Self")
    }
}

impl VisitMut for Body {
    fn visit_generics_mut(&mut self, generics: &mut Generics) {
        for param in &generics.params {
            if let GenericParam::Type(t) = param {
                self.generic_names.push(t.ident.to_string());
            }
        }
        syn::visit_mut::visit_generics_mut(self, generics);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let mut handles = Handles::default();
        handles.visit_path(path);
        for ty in handles.found {
            let span = ty.span();
            self.found.push((ty, span));
        }
        for segment in &mut path.segments {
            syn::visit_mut::visit_path_arguments_mut(self, &mut segment.arguments);
        }
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "db"
            && let Some(turbofish) = &call.turbofish
            && let [syn::GenericArgument::Type(ty)] =
                turbofish.args.iter().collect::<Vec<_>>().as_slice()
        {
            self.found.push(((*ty).clone(), ty.span()));
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {
        // Nested items have their own scope; the lexical layer covers them.
    }
}
