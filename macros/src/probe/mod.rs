//! The resolution layer: for every path in the item, a probe that the
//! compiler resolves exactly as it resolves the path itself, so imports,
//! aliases, globs and re-exports outside the item count, and a user's own
//! type that shares a generated name is never mistaken for one.
//!
//! A probe of a written type `T` is `(&TypeProbe::<T>::new()).verdict()`;
//! a value is probed where it stands (`(match P { v => { admit((&of_val(&v))
//! .verdict()); v } })`), so that its generic arguments are what the code
//! around it makes them; a constant, `static` or field by reference, from a
//! closure that never runs. Method resolution picks the verdict (see the
//! runtime's `__private`); `admit(verdict)` then requires the item's own
//! section or neutral, with a message that names both sections, under the
//! path.
//!
//! Probes of written types and places go at the start of the block whose
//! scope the path is in (`collect.rs`; a function's signature with its
//! body), so the block's own `use`s and the function's generic parameters
//! resolve; values are checked where they stand (`place.rs`). Paths of a
//! struct's fields and of an `impl` header go in a `const` beside the item,
//! without the item's generic parameters, which cannot be named there. Not
//! probed (known limits): input of macros other than the standard ones that
//! evaluate it, patterns, callees, `const fn`s.

mod collect;
mod macro_input;
mod place;

use std::cell::Cell;

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use collect::{
    Bindings, Check, Collector, Fields, NO_BINDINGS, Scoped as _, What, cfgs, generic_names,
    mentions, outlive, outlive_unless,
};
use place::Placer;

/// What the probes of one item need: the runtime's path, the section's
/// name and its type-level spelling, and the module beside the item that
/// holds what the checks call (once per item, not per function).
pub struct Probes<'a> {
    runtime: &'a TokenStream,
    name: &'a TokenStream,
    section: &'a str,
    module: Ident,
    /// Whether a check of the current scope calls into `module`.
    used: Cell<bool>,
}

impl<'a> Probes<'a> {
    /// The probes of `item`, before it is changed.
    pub fn new(
        runtime: &'a TokenStream,
        name: &'a TokenStream,
        section: &'a str,
        item: &syn::Item,
    ) -> Self {
        Self {
            runtime,
            name,
            section,
            module: support_module(item, section),
            used: Cell::new(false),
        }
    }

    /// The item with its probes, and what goes beside it.
    pub fn expand(&self, item: &mut syn::Item) -> TokenStream {
        let mut beside = self.item(item);
        if self.used.get() {
            // Under the item's `#[cfg]`s, like the item.
            let cfgs = cfgs(item_attrs(item));
            beside.extend(self.support(&cfgs));
        }
        beside
    }

    /// Adds the probes to `item`, and returns what goes beside it.
    pub fn item(&self, item: &mut syn::Item) -> TokenStream {
        let mut beside = TokenStream::new();
        match &mut *item {
            syn::Item::Struct(s) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_fields(&s.fields);
                found.visit_generics(&s.generics);
                beside.extend(self.outside(&s.generics, found.checks, None));
                beside.extend(self.annotated(&s.ident, &s.generics));
            }
            syn::Item::Enum(e) => {
                let mut found = Collector::new(&NO_BINDINGS);
                for variant in &e.variants {
                    found.visit_variant(variant);
                }
                found.visit_generics(&e.generics);
                beside.extend(self.outside(&e.generics, found.checks, None));
                beside.extend(self.annotated(&e.ident, &e.generics));
            }
            syn::Item::Impl(i) => beside.extend(self.impl_block(i)),
            syn::Item::Trait(t) => {
                // A trait in an annotated module: its signatures and
                // default bodies.
                let outer = generic_names(&t.generics);
                let mut found = Collector::new(&NO_BINDINGS);
                // Its supertraits, parameters' bounds and where-clauses.
                for bound in &t.supertraits {
                    found.visit_type_param_bound(bound);
                }
                found.visit_generics(&t.generics);
                for member in &mut t.items {
                    match member {
                        syn::TraitItem::Fn(f) => {
                            if let Some(block) = &mut f.default {
                                for check in self.function(&f.attrs, &f.sig, block, &outer, false) {
                                    found.add(check);
                                }
                            } else {
                                // Beside the item, without what names the
                                // method's own generic parameters.
                                let own = generic_names(&f.sig.generics);
                                let mut inner = Collector::new(&NO_BINDINGS);
                                inner.under(&f.attrs, |c| c.visit_signature(&f.sig));
                                for check in inner.checks {
                                    if !mentions(check.what.to_token_stream(), &own) {
                                        found.add(check);
                                    }
                                }
                            }
                        }
                        syn::TraitItem::Const(c) => {
                            found.under(&c.attrs, |f| f.visit_type(&c.ty));
                            if let Some((_, init)) = &c.default {
                                beside.extend(self.initializer(&c.attrs, &c.ty, init, &outer));
                            }
                        }
                        syn::TraitItem::Type(ty) => {
                            // Its bounds and default, except what names its
                            // own parameters (a generic associated type's).
                            let own = generic_names(&ty.generics);
                            let mut inner = Collector::new(&NO_BINDINGS);
                            inner.under(&ty.attrs, |c| {
                                for bound in &ty.bounds {
                                    c.visit_type_param_bound(bound);
                                }
                                if let Some((_, default)) = &ty.default {
                                    c.visit_type(default);
                                }
                            });
                            for check in inner.checks {
                                if !mentions(check.what.to_token_stream(), &own) {
                                    found.add(check);
                                }
                            }
                        }
                        // A macro's input is not code until expanded (a
                        // known limit).
                        syn::TraitItem::Macro(_) => {}
                        other => beside.extend(unsupported(other, "this item of a trait")),
                    }
                }
                beside.extend(self.outside(&t.generics, found.checks, None));
                beside.extend(self.annotated_trait_object(t));
            }
            syn::Item::Fn(f) => {
                let hoisted = self.function(&[], &f.sig, &mut f.block, &[], false);
                beside.extend(self.outside(&syn::Generics::default(), hoisted, None));
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    // The module's items call the support module inside it.
                    let outer = self.used.replace(false);
                    let mut inner = TokenStream::new();
                    for item in items.iter_mut() {
                        inner.extend(self.nested(item));
                        inner.extend(self.item(item));
                    }
                    if self.used.replace(outer) {
                        inner.extend(self.support(&[]));
                    }
                    if !inner.is_empty() {
                        items.push(syn::Item::Verbatim(inner));
                    }
                }
            }
            syn::Item::Const(c) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&c.ty);
                beside.extend(self.outside(&syn::Generics::default(), found.checks, None));
                let outer = generic_names(&c.generics);
                beside.extend(self.initializer(&[], &c.ty, &c.expr, &outer));
            }
            syn::Item::Static(s) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&s.ty);
                beside.extend(self.outside(&syn::Generics::default(), found.checks, None));
                beside.extend(self.initializer(&[], &s.ty, &s.expr, &[]));
            }
            syn::Item::Type(t) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&t.ty);
                found.visit_generics(&t.generics);
                beside.extend(self.outside(&t.generics, found.checks, None));
            }
            syn::Item::Union(u) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_fields_named(&u.fields);
                found.visit_generics(&u.generics);
                beside.extend(self.outside(&u.generics, found.checks, None));
                beside.extend(self.annotated(&u.ident, &u.generics));
            }
            syn::Item::ForeignMod(m) => beside.extend(self.foreign_block(m)),
            syn::Item::Macro(m) => {
                // `thread_local!` declares statics whose types are code;
                // other macros' input is not code until expanded (a
                // known limit).
                if let Some(statics) = thread_locals(&m.mac) {
                    let mut found = Collector::new(&NO_BINDINGS);
                    for local in &statics {
                        found.under(&local.attrs, |c| c.visit_type(&local.ty));
                    }
                    beside.extend(self.outside(&syn::Generics::default(), found.checks, None));
                }
            }
            // Names only: what they bring into scope is probed where it is
            // used.
            syn::Item::Use(_) | syn::Item::ExternCrate(_) => {}
            syn::Item::TraitAlias(t) => beside.extend(unsupported(t, "a trait alias")),
            other => beside.extend(unsupported(other, "an item syn does not parse")),
        }
        // Everything beside an item is under the item's own `#[cfg]`s.
        if !beside.is_empty() {
            let cfgs = cfgs(item_attrs(item));
            if !cfgs.is_empty() {
                beside = quote! {
                    #(#cfgs)*
                    const _: () = { #beside };
                };
            }
        }
        beside
    }

    /// The probes of an `impl` block: its header, associated types and
    /// constants, and every method; what goes beside it.
    fn impl_block(&self, i: &mut syn::ItemImpl) -> TokenStream {
        let mut beside = TokenStream::new();
        let mut found = Collector::new(&NO_BINDINGS);
        found.visit_type(&i.self_ty);
        if let Some((path, _)) = &i.trait_ {
            found.visit_path(path);
        }
        found.visit_generics(&i.generics);
        for member in &i.items {
            match member {
                syn::ImplItem::Const(c) => {
                    found.under(&c.attrs, |f| f.visit_type(&c.ty));
                    let outer = generic_names(&i.generics);
                    beside.extend(self.initializer(&c.attrs, &c.ty, &c.expr, &outer));
                }
                syn::ImplItem::Type(t) => {
                    // Without what names its own parameters (a generic
                    // associated type's), which cannot be named beside it.
                    let own = generic_names(&t.generics);
                    let mut inner = Collector::new(&NO_BINDINGS);
                    inner.under(&t.attrs, |f| f.visit_type(&t.ty));
                    for check in inner.checks {
                        if !mentions(check.what.to_token_stream(), &own) {
                            found.add(check);
                        }
                    }
                }
                // Methods below; a macro's input is not code until
                // expanded (a known limit).
                syn::ImplItem::Fn(_) | syn::ImplItem::Macro(_) => {}
                other => beside.extend(unsupported(other, "this item of an `impl` block")),
            }
        }
        let outer = generic_names(&i.generics);
        // The fields of `self` are probed beside the item, on a reference
        // to the type, when it has no type parameters.
        let types: Vec<String> = outer
            .iter()
            .filter(|name| !name.starts_with('\''))
            .cloned()
            .collect();
        let this = !mentions(i.self_ty.to_token_stream(), &types);
        for member in &mut i.items {
            if let syn::ImplItem::Fn(f) = member {
                for check in self.function(&f.attrs, &f.sig, &mut f.block, &outer, this) {
                    found.add(check);
                }
            }
        }
        let this = this.then_some(&*i.self_ty);
        beside.extend(self.outside(&i.generics, found.checks, this));
        beside
    }

    /// The probes of an `extern` block: its functions' signatures and its
    /// statics' types.
    fn foreign_block(&self, m: &syn::ItemForeignMod) -> TokenStream {
        let mut beside = TokenStream::new();
        let mut found = Collector::new(&NO_BINDINGS);
        for foreign in &m.items {
            match foreign {
                syn::ForeignItem::Fn(f) => found.under(&f.attrs, |c| c.visit_signature(&f.sig)),
                syn::ForeignItem::Static(s) => found.under(&s.attrs, |c| c.visit_type(&s.ty)),
                // An opaque type names nothing; a macro's input is not
                // code until expanded (a known limit).
                syn::ForeignItem::Type(_) | syn::ForeignItem::Macro(_) => {}
                other => beside.extend(unsupported(other, "this item of an `extern` block")),
            }
        }
        beside.extend(self.outside(&syn::Generics::default(), found.checks, None));
        beside
    }

    /// The initializer of a constant or `static`, which may hold code that
    /// runs later (a closure, a function pointer): checked as a body is, in
    /// a function beside it that is never called (`let _: Type = init;`).
    /// Not when it names `Self` or one of `outer` (generic parameters),
    /// which cannot be named there: a known limit.
    pub fn initializer(
        &self,
        attrs: &[syn::Attribute],
        ty: &syn::Type,
        init: &syn::Expr,
        outer: &[String],
    ) -> TokenStream {
        if mentions(ty.to_token_stream(), outer) || mentions(init.to_token_stream(), outer) {
            return TokenStream::new();
        }
        // `'static` borrows of temporaries are what a constant may hold and
        // a body may not: any lifetime will do for the check.
        let mut ty = ty.clone();
        syn::visit_mut::VisitMut::visit_type_mut(&mut AnyLifetime, &mut ty);
        let mut block: syn::Block = syn::parse_quote!({ let _: #ty = #init; });
        let bound = Bindings::of_block(&block);
        let mut placer = Placer::new(self, Vec::new(), bound, &block);
        placer.visit_block_mut(&mut block);
        let cfgs = cfgs(attrs);
        quote! {
            #(#cfgs)*
            const _: () = {
                #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                fn __pg_sections_init() #block
            };
        }
    }

    /// A `#[section]` on an item of an annotated module: the same section's
    /// is dropped (the module's covers it), another's is an error.
    fn nested(&self, item: &mut syn::Item) -> TokenStream {
        let Some(attrs) = item_attrs_mut(item) else {
            return TokenStream::new();
        };
        let mut errors = TokenStream::new();
        attrs.retain(|attr| {
            let Some(name) = section_attribute(attr) else {
                return true;
            };
            if name.value() != self.section {
                errors.extend(
                    syn::Error::new(
                        name.span(),
                        format!(
                            "an item of a `#[section(\"{}\")]` module belongs to section `{}`; move it out of the module to give it section `{}`",
                            self.section,
                            self.section,
                            name.value()
                        ),
                    )
                    .to_compile_error(),
                );
            }
            false
        });
        errors
    }

    /// Probes of a function. Those of its signature that name none of its
    /// generic parameters, and the fields of `self` it reaches (when
    /// `this`: `self`'s type can be named beside the item), are returned,
    /// for the `const` beside the item, once for all its functions. The
    /// rest go at the start of its body, each block's at that block's
    /// start, and each value is checked where it stands. A `const fn`'s body
    /// cannot call the probes: the types and constants it names are
    /// checked beside the item.
    fn function(
        &self,
        attrs: &[syn::Attribute],
        sig: &syn::Signature,
        block: &mut syn::Block,
        outer: &[String],
        this: bool,
    ) -> Vec<Check> {
        let bound = Bindings::of(sig, block, outer);
        let own = generic_names(&sig.generics);
        let lifetimes: Vec<String> = own
            .iter()
            .filter_map(|name| name.strip_prefix('\'').map(str::to_owned))
            .collect();
        let types: Vec<String> = own
            .iter()
            .chain(outer)
            .filter(|name| !name.starts_with('\''))
            .cloned()
            .collect();
        let mut found = Collector::new(&bound);
        found.visit_signature(sig);
        let mut hoisted = Vec::new();
        let mut pending = Vec::new();
        // What stays in the body keeps the lifetimes declared there; a
        // `for<'a>`'s are not in scope where the check goes.
        let declared: Vec<String> = own
            .iter()
            .chain(outer)
            .filter_map(|name| name.strip_prefix('\''))
            .map(str::to_owned)
            .collect();
        for check in found.checks {
            let check = check.map_type(|tokens| outlive(tokens, &lifetimes));
            if mentions(check.what.to_token_stream(), &types) {
                let check = check.map_type(|tokens| outlive_unless(tokens, &declared));
                pending.push(check);
            } else {
                hoisted.push(check);
            }
        }
        for mut check in Fields::of(sig, block) {
            if this && check.reroot() {
                hoisted.push(check);
            } else {
                pending.push(check);
            }
        }
        if sig.constness.is_some() {
            // Its body cannot call the checks: the types and constants it
            // names are checked beside the item instead, as its signature's
            // are (what names its generic parameters is its own business).
            let mut body = Collector::new(&bound);
            body.visit_block_stmts(block);
            hoisted.extend(
                body.checks
                    .into_iter()
                    .map(|check| check.map_type(|tokens| outlive(tokens, &lifetimes)))
                    .filter(|check| !mentions(check.what.to_token_stream(), &types)),
            );
            pending.clear();
        }
        let cfgs = cfgs(attrs);
        for check in &mut hoisted {
            check.cfgs.splice(0..0, cfgs.iter().cloned());
        }
        if sig.constness.is_none() {
            let mut placer = Placer::new(self, pending, bound, block);
            placer.visit_block_mut(block);
        }
        hoisted
    }

    /// Type probes in a `const` beside the item, leaving out those that
    /// name the item's generic parameters (not nameable there); the fields
    /// of `self` on `this`, a reference to `self_ty`.
    fn outside(
        &self,
        generics: &syn::Generics,
        checks: Vec<Check>,
        self_ty: Option<&syn::Type>,
    ) -> TokenStream {
        // The item's lifetimes become `'static` (a section does not depend
        // on one); its type and constant parameters cannot be named here.
        let names: Vec<String> = generic_names(generics)
            .into_iter()
            .filter(|name| !name.starts_with('\''))
            .collect();
        let checks: Vec<TokenStream> = checks
            .into_iter()
            .map(|check| check.map_type(|tokens| outlive_unless(tokens, &[])))
            .filter(|check| !mentions(check.what.to_token_stream(), &names))
            .map(|check| self.check(&check))
            .collect();
        if checks.is_empty() {
            return TokenStream::new();
        }
        let this = self_ty.map(|ty| {
            let ty = outlive_unless(ty.to_token_stream(), &[]);
            let this = collect::this();
            quote!(#this: &#ty)
        });
        quote! {
            const _: () = {
                #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                fn __pg_sections_probes(#this) {
                    #(#checks)*
                }
            };
        }
    }

    /// `impl Annotated` for a type under the attribute, so that the probes
    /// of other items know its section.
    fn annotated(&self, ident: &Ident, generics: &syn::Generics) -> TokenStream {
        let runtime = self.runtime;
        let name = self.name;
        let (params, args, where_clause) = generics.split_for_impl();
        quote! {
            #[automatically_derived]
            impl #params #runtime::__private::Annotated for #ident #args #where_clause {
                type Name = #name;
            }
            #[automatically_derived]
            impl #params #runtime::__private::HoldsAnnotated for #ident #args #where_clause {
                type Name = #name;
            }
        }
    }

    /// `impl Annotated` for the trait objects of a trait of an annotated
    /// module (`dyn CartOps`, with `Send`, `Sync` or both), so that the
    /// probes of other items know their section. Only for a trait whose
    /// objects can be written: no generics, associated types or constants,
    /// and methods that take `self` and name `Self` nowhere else (those
    /// with `where Self: Sized` aside); another trait's objects are not
    /// looked into (a known limit).
    fn annotated_trait_object(&self, t: &syn::ItemTrait) -> TokenStream {
        if !dyn_compatible(t) {
            return TokenStream::new();
        }
        let runtime = self.runtime;
        let name = self.name;
        let ident = &t.ident;
        let objects = [
            quote!(dyn #ident + 'a),
            quote!(dyn #ident + ::core::marker::Send + 'a),
            quote!(dyn #ident + ::core::marker::Sync + 'a),
            quote!(dyn #ident + ::core::marker::Send + ::core::marker::Sync + 'a),
        ];
        quote! {
            #(
                #[automatically_derived]
                impl<'a> #runtime::__private::Annotated for #objects {
                    type Name = #name;
                }
                #[automatically_derived]
                impl<'a> #runtime::__private::HoldsAnnotated for #objects {
                    type Name = #name;
                }
            )*
        }
    }

    /// What the checks call, beside the item under its `#[cfg]`s: the
    /// traits that pick a verdict in scope, and a module whose
    /// `admit(verdict)` compiles for a verdict of this section or a neutral
    /// one; otherwise it says which section the path belongs to, or that
    /// it opens every section.
    fn support(&self, cfgs: &[syn::Attribute]) -> TokenStream {
        let runtime = self.runtime;
        let section = self.section;
        let module = &self.module;
        let message =
            format!("an item of section `{{S}}` is used in a `#[section(\"{section}\")]` item");
        let label = format!("belongs to section `{{S}}`, not `{section}`");
        let note = format!(
            "a `#[section(\"{section}\")]` item may use only the tables, rows, enums, handles and `#[section]` items of section `{section}`; move this to a service, or to a `#[section]` item of that section"
        );
        let door_message = format!(
            "a raw client, which runs SQL of every section, is used in a `#[section(\"{section}\")]` item"
        );
        let door_label = format!("reaches every section, not only `{section}`");
        let door_note = format!(
            "a `#[section(\"{section}\")]` item reaches the database through `Db` handles of section `{section}` (from a `Connection`, `db()` of that section); leave raw clients to services"
        );
        // The names rustc's help lines show: "the trait `MayUse<Customer>`
        // is not implemented for `VendorItem`".
        let me = item_type(section);
        let admits = format_ident!("MayUse");
        let closed = format_ident!("MayHold");
        let admit = format_ident!("section_check");
        let private = quote!(#runtime::__private);
        // Inside the module, a path relative to the item's module is one
        // level further.
        let private_inside = inside(&private);
        let name_inside = inside(self.name);
        quote! {
            #(#cfgs)*
            #[allow(unused_imports, reason = "the probes' methods, in scope for the checks")]
            use #private::{
                BySection as _, ByAnnotation as _, ByDoor as _, ByFallback as _,
                PreludeValue as _, PreludeOption as _, PreludeResult as _, PreludeOther as _,
            };
            #(#cfgs)*
            #[doc(hidden)]
            #[allow(dead_code, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
            mod #module {
                pub(super) struct #me;
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                pub(super) trait #admits<S> {}
                #[diagnostic::do_not_recommend]
                impl<S: #private_inside::AdmittedIn<#name_inside>> #admits<S> for #me {}
                #[diagnostic::on_unimplemented(message = #door_message, label = #door_label, note = #door_note)]
                pub(super) trait #closed<S> {}
                #[diagnostic::do_not_recommend]
                impl<S: #private_inside::Closed> #closed<S> for #me {}
                pub(super) fn #admit<S>(_: #private_inside::Verdict<S>)
                where
                    #me: #admits<S> + #closed<S>,
                {
                }
            }
        }
    }

    /// Whether the name is a section of the code this crate can see, for a
    /// crate without a manifest of its own (its sections are generated in
    /// another crate): one error under the name when it is not.
    pub fn known(&self, literal: &syn::LitStr) -> TokenStream {
        let runtime = self.runtime;
        let name = self.name;
        let section = self.section;
        let message = format!("no section is named `{section}`");
        let note = "the sections are the modules that `codegen` generates, in this crate's build script (`codegen::Config::new(\"sections\").build()`) or in a crate it depends on and names (`use the_db_crate as _;` will do)";
        let known = format_ident!("IsASection");
        let me = item_type(section);
        let call = quote_spanned!(literal.span()=> __pg_sections_known());
        quote! {
            const _: () = {
                #[diagnostic::on_unimplemented(message = #message, label = "not a section", note = #note)]
                #[allow(dead_code, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                trait #known<S> {}
                #[allow(dead_code, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                struct #me;
                #[diagnostic::do_not_recommend]
                #[allow(clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                impl<S: #runtime::Section> #known<S> for #me where #name: #runtime::__private::Names<S> {}
                #[allow(dead_code, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                fn __pg_sections_known<S>() where #me: #known<S> {}
                #[allow(dead_code, clippy::all, clippy::pedantic, reason = "checks the compiler runs, never code to read")]
                fn __pg_sections_check() {
                    #call;
                }
            };
        }
    }

    /// The function a check calls with its verdict.
    pub fn admit(&self) -> TokenStream {
        self.used.set(true);
        let module = &self.module;
        quote!(#module::section_check)
    }

    pub fn runtime(&self) -> &TokenStream {
        self.runtime
    }

    fn check(&self, check: &Check) -> TokenStream {
        let probe = match &check.what {
            What::Type(ty) => self.type_check(ty, "TypeProbe"),
            What::Generic(ty) => self.type_check(ty, "GenericProbe"),
            What::Place(place) => self.place_check(place),
        };
        let cfgs = &check.cfgs;
        quote!(#(#cfgs)* #probe)
    }

    /// A `static`, constant or field, probed by reference from a closure
    /// that is never called, so nothing is read, moved or borrowed for long.
    /// A field is probed by a raw pointer to it, which needs no `unsafe`
    /// for a union's field and no alignment for a packed struct's.
    fn place_check(&self, place: &syn::Expr) -> TokenStream {
        let runtime = self.runtime;
        // The root of a chain of fields: a constant's fields are no place.
        let mut root = place;
        while let syn::Expr::Field(field) = root {
            root = &field.base;
        }
        let of_constant = matches!(root, syn::Expr::Path(path) if collect::constant(path));
        self.admit_over(place.to_token_stream(), |first| {
            if matches!(place, syn::Expr::Field(_)) && !of_constant {
                quote_spanned!(first=>
                    (&#runtime::__private::within(|| #runtime::__private::of_place(&raw const #place))))
            } else {
                quote_spanned!(first=>
                    (&#runtime::__private::within(|| #runtime::__private::of_val(&#place))))
            }
        })
    }

    fn type_check(&self, ty: &syn::Type, probe: &str) -> TokenStream {
        let runtime = self.runtime;
        let probe = format_ident!("{probe}");
        self.admit_over(
            ty.to_token_stream(),
            |first| quote_spanned!(first=> (&#runtime::__private::#probe::<#ty>::new())),
        )
    }

    /// The statement that checks `over` (a path, a type, a value):
    /// `admit(receiver.verdict());`, the receiver `receiver` makes at the
    /// span of `over`'s first token, the call at its last, so that the
    /// error underlines all of `over` and nothing else. Every check is
    /// spanned here.
    pub fn admit_over(
        &self,
        over: TokenStream,
        receiver: impl FnOnce(Span) -> TokenStream,
    ) -> TokenStream {
        let (first, last) = ends(over);
        let receiver = receiver(first);
        let verdict = quote_spanned!(last=> .verdict());
        let admit = self.admit();
        quote_spanned! {last=> #admit(#receiver #verdict); }
    }
}

/// The name of the module beside an item that holds what its checks call:
/// one per item in its module, from a digest of what tells the item apart
/// from the others of its module (its name; an `impl`'s header and the
/// names of its members).
fn support_module(item: &syn::Item, section: &str) -> Ident {
    // FNV-1a: stable across builds and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |text: &str| {
        for byte in text.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(section);
    match item {
        syn::Item::Impl(i) => {
            eat(&i.generics.to_token_stream().to_string());
            eat(&i.self_ty.to_token_stream().to_string());
            if let Some((path, _)) = &i.trait_ {
                eat(&path.to_token_stream().to_string());
            }
            for member in &i.items {
                match member {
                    syn::ImplItem::Fn(f) => eat(&f.sig.ident.to_string()),
                    syn::ImplItem::Const(c) => eat(&c.ident.to_string()),
                    syn::ImplItem::Type(t) => eat(&t.ident.to_string()),
                    _ => {}
                }
            }
        }
        syn::Item::Fn(f) => eat(&f.sig.ident.to_string()),
        syn::Item::Struct(s) => eat(&s.ident.to_string()),
        syn::Item::Enum(e) => eat(&e.ident.to_string()),
        syn::Item::Mod(m) => eat(&m.ident.to_string()),
        other => eat(&other.to_token_stream().to_string()),
    }
    format_ident!("__pg_sections_{:012x}", hash >> 16)
}

/// Whether a trait's objects (`dyn Trait`) can surely be written: no
/// generics, no associated types or constants, no `Sized` supertrait, and
/// every method (but those `where Self: Sized`) a non-async, non-generic
/// one taking `self`, naming `Self` and `impl Trait` nowhere else.
fn dyn_compatible(t: &syn::ItemTrait) -> bool {
    let sized_self = |generics: &syn::Generics| {
        generics.where_clause.as_ref().is_some_and(|w| {
            w.predicates.iter().any(|p| {
                matches!(p, syn::WherePredicate::Type(t)
                    if t.bounded_ty.to_token_stream().to_string() == "Self"
                        && t.bounds.iter().any(|b| b.to_token_stream().to_string() == "Sized"))
            })
        })
    };
    let names_self_or_impl = |tokens: TokenStream| {
        fn any(tokens: TokenStream) -> bool {
            tokens.into_iter().any(|token| match token {
                TokenTree::Ident(ident) => ident == "Self" || ident == "impl",
                TokenTree::Group(group) => any(group.stream()),
                _ => false,
            })
        }
        any(tokens)
    };
    t.generics.params.is_empty()
        && t.generics.where_clause.is_none()
        && !t
            .supertraits
            .iter()
            .any(|b| b.to_token_stream().to_string().contains("Sized"))
        && t.items.iter().all(|item| match item {
            syn::TraitItem::Fn(f) => {
                sized_self(&f.sig.generics)
                    || (f.sig.asyncness.is_none()
                        && f.sig.receiver().is_some()
                        && !f
                            .sig
                            .generics
                            .params
                            .iter()
                            .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
                        && !names_self_or_impl(f.sig.output.to_token_stream())
                        && f.sig
                            .inputs
                            .iter()
                            .skip(1)
                            .all(|input| !names_self_or_impl(input.to_token_stream())))
            }
            _ => false,
        })
}

/// The type that stands for the item in the checks' help lines:
/// `VendorItem` for section `vendor`, `TeamDItem` for `team_d`.
fn item_type(section: &str) -> Ident {
    let mut name = String::new();
    let mut upper = true;
    for c in section.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                name.push(c.to_ascii_uppercase());
            } else {
                name.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "Section");
    }
    format_ident!("{name}Item")
}

/// A path written in a module, as written in a module inside it: `self::`
/// and `super::` go one level up; absolute paths and crate names stay. A
/// tuple of paths (a section's name) has each element moved.
fn inside(tokens: &TokenStream) -> TokenStream {
    let mut iter = tokens.clone().into_iter().peekable();
    match iter.peek() {
        Some(TokenTree::Ident(ident)) if ident == "self" => {
            iter.next();
            let rest: TokenStream = iter.collect();
            quote!(super #rest)
        }
        Some(TokenTree::Ident(ident)) if ident == "super" => quote!(super::#tokens),
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis => {
            let mut elements = Vec::new();
            let mut element = TokenStream::new();
            for token in group.stream() {
                match token {
                    TokenTree::Punct(p) if p.as_char() == ',' => {
                        elements.push(inside(&std::mem::take(&mut element)));
                    }
                    other => element.extend([other]),
                }
            }
            if !element.is_empty() {
                elements.push(inside(&element));
            }
            quote!((#(#elements,)*))
        }
        _ => tokens.clone(),
    }
}

/// Makes every `'static` of a type `'_`.
struct AnyLifetime;

impl syn::visit_mut::VisitMut for AnyLifetime {
    fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
        if lifetime.ident == "static" {
            *lifetime = syn::Lifetime::new("'_", lifetime.span());
        }
    }

    // A function pointer's or an `Fn` bound's `'static` stays: `'_` in a
    // return type without inputs is an error.
    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

/// The error for an item of an annotated module the attribute cannot
/// check: refused rather than let through unchecked.
fn unsupported(item: &impl ToTokens, what: &str) -> TokenStream {
    syn::Error::new_spanned(
        item,
        format!("`#[section]` cannot check {what}; move it out of the annotated module"),
    )
    .to_compile_error()
}

/// One static of a `thread_local!`: `[attrs] [vis] static NAME: Type = init;`.
struct ThreadLocal {
    attrs: Vec<syn::Attribute>,
    ty: syn::Type,
}

impl syn::parse::Parse for ThreadLocal {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        input.parse::<syn::Visibility>()?;
        input.parse::<syn::Token![static]>()?;
        input.parse::<syn::Ident>()?;
        input.parse::<syn::Token![:]>()?;
        let ty = input.parse()?;
        input.parse::<syn::Token![=]>()?;
        input.parse::<syn::Expr>()?;
        Ok(Self { attrs, ty })
    }
}

/// The statics of a `thread_local!` (`std::thread_local!`), or `None` for
/// another macro or input that is not statics.
fn thread_locals(mac: &syn::Macro) -> Option<Vec<ThreadLocal>> {
    if mac.path.segments.last()?.ident != "thread_local" {
        return None;
    }
    let statics = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<ThreadLocal, syn::Token![;]>::parse_terminated,
        mac.tokens.clone(),
    )
    .ok()?;
    Some(statics.into_iter().collect())
}

/// The spans of the first and the last token of `tokens`.
pub fn ends(tokens: TokenStream) -> (Span, Span) {
    let mut tokens = tokens.into_iter();
    let first = tokens.next().map_or_else(Span::call_site, |t| t.span());
    let last = tokens.last().map_or(first, |t| t.span());
    (first, last)
}

/// The attributes of an item.
pub fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        // Tokens syn does not parse, and kinds a later syn adds: refused
        // by `Probes::item`, with no attributes to read here.
        _ => &[],
    }
}

/// The attributes of an item, to change.
fn item_attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Const(i) => Some(&mut i.attrs),
        syn::Item::Enum(i) => Some(&mut i.attrs),
        syn::Item::ExternCrate(i) => Some(&mut i.attrs),
        syn::Item::Fn(i) => Some(&mut i.attrs),
        syn::Item::ForeignMod(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Macro(i) => Some(&mut i.attrs),
        syn::Item::Mod(i) => Some(&mut i.attrs),
        syn::Item::Static(i) => Some(&mut i.attrs),
        syn::Item::Struct(i) => Some(&mut i.attrs),
        syn::Item::Trait(i) => Some(&mut i.attrs),
        syn::Item::TraitAlias(i) => Some(&mut i.attrs),
        syn::Item::Type(i) => Some(&mut i.attrs),
        syn::Item::Union(i) => Some(&mut i.attrs),
        syn::Item::Use(i) => Some(&mut i.attrs),
        _ => None,
    }
}

/// `item` without its `#[section]` attributes.
pub fn drop_section_attributes(item: &mut syn::Item) {
    if let Some(attrs) = item_attrs_mut(item) {
        attrs.retain(|attr| section_attribute(attr).is_none());
    }
}

/// The section a `#[section("…")]` (or `#[pg_sections::section("…")]`)
/// attribute names.
pub fn section_attribute(attr: &syn::Attribute) -> Option<syn::LitStr> {
    let last = attr.path().segments.last()?;
    if last.ident != "section" {
        return None;
    }
    attr.parse_args::<syn::LitStr>().ok()
}
