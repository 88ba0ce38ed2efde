//! The resolution layer: for every path in the item, a probe that the
//! compiler resolves exactly as it resolves the path itself, so imports,
//! aliases, globs and re-exports outside the item count, and a user's own
//! type that shares a generated name is never mistaken for one.
//!
//! A probe of path `P` is `(&Probe::<P>::new()).verdict()` (a type), or the
//! same on the type of `P`'s value where it stands (`({ let v = P; admit(…);
//! v })`, so that its generic arguments are inferred from the code around
//! it). Method resolution
//! picks `BySection` when `P` is a section item (a `SectionItem`, which
//! every generated type, column and handle is) and `ByFallback` otherwise,
//! giving `Verdict<ItsSection>` or `Verdict<Neutral>`. `admit(verdict)`
//! then requires the item's own section or neutral, with a message that
//! names both sections, under the path.
//!
//! Type probes go at the start of the block whose scope the path is in (a
//! function's signature with its body), so the block's own `use`s and the
//! function's generic parameters resolve; paths of a struct's fields and of
//! an `impl` header go in a `const` beside the item, without the item's
//! generic parameters, which cannot be named there. Not probed (known
//! limits): macro input, patterns, struct literals' paths, callees, paths
//! in `const fn`s and in constant contexts.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// What the probes of one item need: the runtime's path, the section's
/// name and its type-level spelling.
pub struct Probes<'a> {
    pub runtime: &'a TokenStream,
    pub name: &'a TokenStream,
    pub section: &'a str,
}

impl Probes<'_> {
    /// Adds the probes to `item`, and returns what goes beside it.
    pub fn item(&self, item: &mut syn::Item) -> TokenStream {
        let mut beside = TokenStream::new();
        match item {
            syn::Item::Struct(s) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_fields(&s.fields);
                found.visit_generics(&s.generics);
                beside.extend(self.outside(&s.generics, found.checks));
                beside.extend(self.annotated(&s.ident, &s.generics));
            }
            syn::Item::Enum(e) => {
                let mut found = Collector::new(&NO_BINDINGS);
                for variant in &e.variants {
                    found.visit_fields(&variant.fields);
                }
                found.visit_generics(&e.generics);
                beside.extend(self.outside(&e.generics, found.checks));
                beside.extend(self.annotated(&e.ident, &e.generics));
            }
            syn::Item::Impl(i) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&i.self_ty);
                if let Some((path, _)) = &i.trait_ {
                    found.visit_path(path);
                }
                found.visit_generics(&i.generics);
                for member in &i.items {
                    match member {
                        syn::ImplItem::Const(c) => found.visit_type(&c.ty),
                        syn::ImplItem::Type(t) => found.visit_type(&t.ty),
                        _ => {}
                    }
                }
                beside.extend(self.outside(&i.generics, found.checks));
                let outer = generic_names(&i.generics);
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        self.function(&f.sig, &mut f.block, &outer);
                    }
                }
            }
            syn::Item::Fn(f) => self.function(&f.sig, &mut f.block, &[]),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    let mut inner = TokenStream::new();
                    for item in items.iter_mut() {
                        inner.extend(self.item(item));
                    }
                    if !inner.is_empty() {
                        items.push(syn::Item::Verbatim(inner));
                    }
                }
            }
            syn::Item::Const(c) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&c.ty);
                beside.extend(self.outside(&syn::Generics::default(), found.checks));
            }
            syn::Item::Static(s) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&s.ty);
                beside.extend(self.outside(&syn::Generics::default(), found.checks));
            }
            syn::Item::Type(t) => {
                let mut found = Collector::new(&NO_BINDINGS);
                found.visit_type(&t.ty);
                beside.extend(self.outside(&t.generics, found.checks));
            }
            _ => {}
        }
        beside
    }

    /// Probes of a function: the checking items at the start of its body
    /// (items of a block are seen by every block and closure inside it),
    /// each block's type probes at that block's start (its signature's with
    /// its body), and each value path checked where it stands. A `const fn`
    /// is left as it is: its body cannot call the probes (a known limit).
    fn function(&self, sig: &syn::Signature, block: &mut syn::Block, outer: &[String]) {
        if sig.constness.is_some() {
            return;
        }
        let bound = Bindings::of(sig, block, outer);
        let mut found = Collector::new(&bound);
        found.visit_signature(sig);
        if sig.receiver().is_some() {
            // The fields reached through `self`, while nothing is moved out
            // of it: an `impl` checks the fields it uses, whatever struct
            // they are declared in.
            let mut fields = SelfFields::default();
            fields.visit_block(block);
            found
                .checks
                .extend(fields.places.into_iter().map(Check::Place));
        }
        let mut placer = Placer {
            probes: self,
            pending: found.checks,
            bound,
        };
        placer.visit_block_mut(block);
        let items = self.items();
        block
            .stmts
            .insert(0, syn::Stmt::Item(syn::Item::Verbatim(items)));
    }

    /// Type probes in a `const` beside the item, leaving out those that
    /// name the item's generic parameters (not nameable there).
    fn outside(&self, generics: &syn::Generics, checks: Vec<Check>) -> TokenStream {
        // The item's lifetimes become `'static` (a section does not depend
        // on one); its type and constant parameters cannot be named here.
        let lifetimes: Vec<String> = generics
            .lifetimes()
            .map(|l| l.lifetime.ident.to_string())
            .collect();
        let names: Vec<String> = generic_names(generics)
            .into_iter()
            .filter(|name| !name.starts_with('\''))
            .collect();
        let checks: Vec<TokenStream> = checks
            .into_iter()
            .map(|check| check.map(|tokens| outlive(tokens, &lifetimes)))
            .filter(|check| !mentions(check.to_token_stream(), &names))
            .map(|check| self.check(&check))
            .collect();
        if checks.is_empty() {
            return TokenStream::new();
        }
        let items = self.items();
        quote! {
            const _: () = {
                #[allow(dead_code, clippy::all, clippy::pedantic)]
                fn __pg_sections_probes() {
                    #items
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
        }
    }

    /// The items the checks call: `admit(verdict)` compiles for a verdict
    /// of this section or a neutral one; otherwise it says which section the
    /// path belongs to, or that it opens every section.
    fn items(&self) -> TokenStream {
        let runtime = self.runtime;
        let name = self.name;
        let section = self.section;
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
        let me = format_ident!("__PgSectionsItem");
        let admits = format_ident!("__PgSectionsAdmits");
        let closed = format_ident!("__PgSectionsClosed");
        let admit = admit();
        let private = quote!(#runtime::__private);
        quote! {
            #[allow(unused_imports)]
            use #private::{BySection as _, ByAnnotation as _, ByDoor as _, ByFallback as _};
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            struct #me;
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            trait #admits<S> {}
            #[diagnostic::do_not_recommend]
            #[allow(clippy::all, clippy::pedantic)]
            impl<S: #private::AdmittedIn<#name>> #admits<S> for #me {}
            #[diagnostic::on_unimplemented(message = #door_message, label = #door_label, note = #door_note)]
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            trait #closed<S> {}
            #[diagnostic::do_not_recommend]
            #[allow(clippy::all, clippy::pedantic)]
            impl<S: #private::Closed> #closed<S> for #me {}
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            fn #admit<S>(_: #private::Verdict<S>)
            where
                #me: #admits<S> + #closed<S>,
            {
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
        let note = "the sections are the modules that `codegen` generates, in this crate's build script (`codegen::Config::new(\"sections\").build()`) or in a crate it depends on";
        let known = format_ident!("__PgSectionsKnown");
        let me = format_ident!("__PgSectionsItem");
        let call = quote_spanned!(literal.span()=> __pg_sections_known());
        quote! {
            const _: () = {
                #[diagnostic::on_unimplemented(message = #message, label = "not a section", note = #note)]
                #[allow(dead_code, clippy::all, clippy::pedantic)]
                trait #known<S> {}
                #[allow(dead_code, clippy::all, clippy::pedantic)]
                struct #me;
                #[diagnostic::do_not_recommend]
                #[allow(clippy::all, clippy::pedantic)]
                impl<S: #runtime::Section> #known<S> for #me where #name: #runtime::__private::Names<S> {}
                #[allow(dead_code, clippy::all, clippy::pedantic)]
                fn __pg_sections_known<S>() where #me: #known<S> {}
                #[allow(dead_code, clippy::all, clippy::pedantic)]
                fn __pg_sections_check() {
                    #call;
                }
            };
        }
    }

    fn check(&self, check: &Check) -> TokenStream {
        match check {
            Check::Type(ty) => self.type_check(ty, "TypeProbe"),
            Check::Generic(ty) => self.type_check(ty, "GenericProbe"),
            Check::Place(place) => self.place_check(place),
        }
    }

    /// A `static`, constant or field, probed by reference from a closure
    /// that is never called, so nothing is read, moved or borrowed for long.
    fn place_check(&self, place: &syn::Expr) -> TokenStream {
        let runtime = self.runtime;
        let (first, last) = ends(place.to_token_stream());
        let receiver = quote_spanned!(first=>
            (&#runtime::__private::within(|| #runtime::__private::of_val(&#place))));
        let verdict = quote_spanned!(last=> .verdict());
        let admit = admit();
        quote_spanned! {last=> #admit(#receiver #verdict); }
    }

    fn type_check(&self, ty: &syn::Type, probe: &str) -> TokenStream {
        let runtime = self.runtime;
        let probe = format_ident!("{probe}");
        let (first, last) = ends(ty.to_token_stream());
        // The error is under the argument: from its receiver (at the path's
        // first token) to its call parentheses (at its last).
        let receiver = quote_spanned!(first=> (&#runtime::__private::#probe::<#ty>::new()));
        let verdict = quote_spanned!(last=> .verdict());
        let admit = admit();
        quote_spanned! {last=> #admit(#receiver #verdict); }
    }
}

fn admit() -> Ident {
    format_ident!("__pg_sections_admit")
}

/// The spans of the first and the last token of `tokens`.
fn ends(tokens: TokenStream) -> (Span, Span) {
    let mut tokens = tokens.into_iter();
    let first = tokens.next().map_or_else(Span::call_site, |t| t.span());
    let last = tokens.last().map_or(first, |t| t.span());
    (first, last)
}

fn mentions(tokens: TokenStream, names: &[String]) -> bool {
    let mut previous_quote = false;
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let text = if previous_quote {
                    format!("'{text}")
                } else {
                    text
                };
                if text == "Self" || names.contains(&text) {
                    return true;
                }
                previous_quote = false;
            }
            TokenTree::Punct(p) => previous_quote = p.as_char() == '\'',
            TokenTree::Group(g) => {
                if mentions(g.stream(), names) {
                    return true;
                }
                previous_quote = false;
            }
            TokenTree::Literal(_) => previous_quote = false,
        }
    }
    false
}

/// The names of `generics`' parameters (lifetimes with their `'`).
fn generic_names(generics: &syn::Generics) -> Vec<String> {
    generics
        .params
        .iter()
        .map(|param| match param {
            syn::GenericParam::Type(t) => t.ident.to_string(),
            syn::GenericParam::Lifetime(l) => format!("'{}", l.lifetime.ident),
            syn::GenericParam::Const(c) => c.ident.to_string(),
        })
        .collect()
}

/// Puts each block's type probes at its start (a function's signature's
/// with its body) and checks each value path where it stands.
struct Placer<'p, 'a> {
    probes: &'p Probes<'a>,
    /// Probes of a signature, for the next block (the function's body).
    pending: Vec<Check>,
    /// The names the function binds, which are not constants.
    bound: Bindings,
}

impl Placer<'_, '_> {
    /// `value`, checked where it stands: `(match value { v => { admit(…);
    /// v } })`, so the value's type, generic arguments included, is what the
    /// code around it makes it, and its temporaries live as long as they
    /// did.
    fn checked(&self, value: TokenStream, literal: bool) -> syn::Expr {
        let runtime = self.probes.runtime;
        let (first, last) = ends(value.clone());
        // A struct literal needs parentheses to be matched on (which
        // `unused_parens` knows); they take its span.
        let value = if literal {
            let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, value);
            group.set_span(first);
            group.into_token_stream()
        } else {
            value
        };
        let name = Ident::new("__pg_sections_value", Span::mixed_site());
        // The error is under the argument: from its receiver (at the value's
        // first token) to its call parentheses (at its last).
        let receiver = quote_spanned!(first=> (&#runtime::__private::of_val(&#name)));
        let verdict = quote_spanned!(last=> .verdict());
        let admit = admit();
        syn::Expr::Verbatim(quote_spanned! {last=>
            (match #value {
                #name => {
                    #admit(#receiver #verdict);
                    #name
                }
            })
        })
    }
}

/// Whether a callee constructs a value of its own type (a tuple struct or
/// variant: an upper-case last segment) rather than calling a function.
fn constructor(callee: &syn::ExprPath) -> bool {
    callee.qself.is_none()
        && !is_self(&callee.path)
        && callee.path.segments.last().is_some_and(|last| {
            let name = last.ident.to_string();
            let name = name.trim_start_matches("r#");
            name.chars().next().is_some_and(char::is_uppercase)
                && name.chars().any(|c| c.is_ascii_lowercase())
        })
}

impl VisitMut for Placer<'_, '_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let pending = std::mem::take(&mut self.pending);
        let checks = {
            let mut found = Collector::new(&self.bound);
            for check in pending {
                found.add(check);
            }
            for stmt in &block.stmts {
                found.visit_stmt(stmt);
            }
            found.checks
        };
        syn::visit_mut::visit_block_mut(self, block);
        for (i, check) in checks.iter().enumerate() {
            let check = self.probes.check(check);
            block
                .stmts
                .insert(i, syn::Stmt::Expr(syn::Expr::Verbatim(check), None));
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        match expr {
            syn::Expr::Path(path) if value_path(path) => {
                let tokens = path.to_token_stream();
                *expr = self.checked(tokens, false);
            }
            syn::Expr::Call(call) => {
                // A callee is a function or a constructor: the function's
                // type says nothing of a section (and its generics may come
                // from the call alone), a constructor's value does.
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
                match &*call.func {
                    syn::Expr::Path(callee) => {
                        if constructor(callee) {
                            let tokens = call.to_token_stream();
                            *expr = self.checked(tokens, false);
                        }
                    }
                    _ => self.visit_expr_mut(&mut call.func),
                }
            }
            syn::Expr::MethodCall(call) if call.method == "db" => {
                // A handle a `Connection` opens: its section may be known only
                // from what it is used for later, which the check waits for.
                syn::visit_mut::visit_expr_method_call_mut(self, call);
                let tokens = call.to_token_stream();
                *expr = self.checked(tokens, false);
            }
            syn::Expr::Struct(literal) => {
                for field in &mut literal.fields {
                    self.visit_expr_mut(&mut field.expr);
                }
                if let Some(rest) = &mut literal.rest {
                    self.visit_expr_mut(rest);
                }
                if literal.qself.is_none() && !is_self(&literal.path) {
                    let tokens = literal.to_token_stream();
                    *expr = self.checked(tokens, true);
                }
            }
            // Constant contexts cannot call the checks.
            syn::Expr::Repeat(repeat) => self.visit_expr_mut(&mut repeat.expr),
            syn::Expr::Const(_) | syn::Expr::Macro(_) => {}
            _ => syn::visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_type_mut(&mut self, _: &mut syn::Type) {
        // Array lengths in types are constant contexts.
    }

    fn visit_generic_argument_mut(&mut self, _: &mut syn::GenericArgument) {
        // Constant generic arguments are constant contexts.
    }

    fn visit_pat_mut(&mut self, _: &mut syn::Pat) {}

    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        if f.sig.constness.is_some() {
            return;
        }
        let bound = Bindings::of(&f.sig, &f.block, &[]);
        let mut found = Collector::new(&bound);
        found.visit_signature(&f.sig);
        let outer = std::mem::replace(&mut self.pending, found.checks);
        let outer_bound = std::mem::replace(&mut self.bound, bound);
        self.visit_block_mut(&mut f.block);
        self.pending = outer;
        self.bound = outer_bound;
    }

    fn visit_item_const_mut(&mut self, _: &mut syn::ItemConst) {}

    fn visit_item_static_mut(&mut self, _: &mut syn::ItemStatic) {}

    fn visit_item_impl_mut(&mut self, _: &mut syn::ItemImpl) {
        // An impl nested in a body: its own scope, not probed (a known limit).
    }

    fn visit_item_mod_mut(&mut self, _: &mut syn::ItemMod) {}

    fn visit_item_trait_mut(&mut self, _: &mut syn::ItemTrait) {}
}

/// Whether a path expression is checked where it stands: never a local
/// variable (one lower-case name), nor what may be a constant or `static`
/// (probed by reference where its scope starts), nor `Self`.
fn value_path(expr: &syn::ExprPath) -> bool {
    let path = &expr.path;
    if expr.qself.is_some() || is_self(path) {
        return false;
    }
    let Some(last) = path.segments.last() else {
        return false;
    };
    let last = last.ident.to_string();
    let last = last.trim_start_matches("r#");
    if constant(expr) {
        return false;
    }
    path.segments.len() > 1 || last.chars().next().is_some_and(char::is_uppercase)
}

fn is_self(path: &syn::Path) -> bool {
    path.segments.first().is_some_and(|s| s.ident == "Self")
}

/// What a probe asks about.
enum Check {
    /// A type, where its scope starts.
    Type(syn::Type),
    /// A generic type, where its scope starts: only whether it is a
    /// `#[section]` type (its arguments are probed on their own).
    Generic(syn::Type),
    /// A constant, `static` or field of `self`, by reference, where its
    /// scope starts.
    Place(syn::Expr),
}

impl Check {
    /// The same check of what `f` makes of its tokens.
    fn map(self, f: impl Fn(TokenStream) -> TokenStream) -> Self {
        let parse_type = |ty: syn::Type| syn::parse2(f(ty.to_token_stream())).unwrap_or(ty);
        match self {
            Self::Type(ty) => Self::Type(parse_type(ty)),
            Self::Generic(ty) => Self::Generic(parse_type(ty)),
            Self::Place(place) => Self::Place(place),
        }
    }
}

/// `tokens` with each of `lifetimes` (names without `'`) made `'static`.
fn outlive(tokens: TokenStream, lifetimes: &[String]) -> TokenStream {
    let mut out = Vec::new();
    let mut quote_before = false;
    for token in tokens {
        let token = match token {
            TokenTree::Ident(ident) if quote_before && lifetimes.contains(&ident.to_string()) => {
                TokenTree::Ident(Ident::new("static", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), outlive(group.stream(), lifetimes));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other,
        };
        quote_before = matches!(&token, TokenTree::Punct(p) if p.as_char() == '\'');
        out.push(token);
    }
    out.into_iter().collect()
}

impl ToTokens for Check {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Type(ty) | Self::Generic(ty) => ty.to_tokens(tokens),
            Self::Place(place) => place.to_tokens(tokens),
        }
    }
}

/// The probes of one scope: its types and constants, not looking into
/// nested blocks or items (probed in their own scope).
struct Collector<'b> {
    checks: Vec<Check>,
    /// The checks already made in this scope, as text.
    seen: Vec<String>,
    /// The names the function binds, which are not constants.
    bound: &'b Bindings,
}

impl<'b> Collector<'b> {
    fn new(bound: &'b Bindings) -> Self {
        Self {
            checks: Vec::new(),
            seen: Vec::new(),
            bound,
        }
    }

    fn add(&mut self, check: Check) {
        let text = check.to_token_stream().to_string();
        if !self.seen.contains(&text) {
            self.seen.push(text);
            self.checks.push(check);
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
        // A generic type is probed through its arguments (the generic types
        // of a section, `Db<S>` and `Column<T, V>`, belong to the section of
        // their argument), and as a whole where it names no generic
        // parameter (a generic `#[section]` type of the user's): `Db<S>`
        // over a parameter `S` is the item's own business, checked where
        // `S` is chosen.
        let generic = ty.path.segments.iter().any(|segment| {
            matches!(&segment.arguments, syn::PathArguments::AngleBracketed(args)
                if args.args.iter().any(|a| matches!(a, syn::GenericArgument::Type(_))))
        });
        if generic
            && ty.qself.is_none()
            && !is_self(&ty.path)
            && !infers(ty.to_token_stream())
            && !mentions(ty.to_token_stream(), &self.bound.generics)
        {
            self.add(Check::Generic(syn::Type::Path(ty.clone())));
        }
        if ty.qself.is_none()
            && !generic
            && !is_self(&ty.path)
            && !primitive(&ty.path)
            && !infers(ty.to_token_stream())
        {
            self.add(Check::Type(syn::Type::Path(ty.clone())));
        }
        syn::visit::visit_type_path(self, ty);
    }

    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        // A constant or `static` (a SCREAMING name) is probed by reference
        // where the scope starts; other value paths are checked where they
        // stand.
        if constant(expr) && !self.bound.binds(&expr.path) {
            self.add(Check::Place(syn::Expr::Path(expr.clone())));
        }
        syn::visit::visit_expr_path(self, expr);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        // A one-segment lower-case receiver the function does not bind is
        // an imported constant (a column: `quantity.gt(1)`), probed by
        // reference. (Elsewhere such a name may be a generic function,
        // whose type only its call settles.)
        if let syn::Expr::Path(receiver) = &*call.receiver
            && receiver.qself.is_none()
            && receiver
                .path
                .get_ident()
                .is_some_and(|ident| ident != "self")
            && !self.bound.binds(&receiver.path)
        {
            self.add(Check::Place((*call.receiver).clone()));
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_type_array(&mut self, array: &'ast syn::TypeArray) {
        self.visit_type(&array.elem);
    }

    fn visit_block(&mut self, _: &'ast syn::Block) {
        // Probed at its own start.
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        // An item nested in the body: the types of its declaration, where
        // they name nothing of its own (a function is its own scope).
        let mut nested = Collector::new(&NO_BINDINGS);
        let generics = match item {
            syn::Item::Type(t) => {
                nested.visit_type(&t.ty);
                Some(&t.generics)
            }
            syn::Item::Const(c) => {
                nested.visit_type(&c.ty);
                None
            }
            syn::Item::Static(s) => {
                nested.visit_type(&s.ty);
                None
            }
            syn::Item::Struct(s) => {
                nested.visit_fields(&s.fields);
                Some(&s.generics)
            }
            syn::Item::Enum(e) => {
                for variant in &e.variants {
                    nested.visit_fields(&variant.fields);
                }
                Some(&e.generics)
            }
            _ => return,
        };
        let names = generics.map(generic_names).unwrap_or_default();
        for check in nested.checks {
            if !mentions(check.to_token_stream(), &names) {
                self.add(check);
            }
        }
    }

    fn visit_macro(&mut self, _: &'ast syn::Macro) {
        // Macro input is not code until it expands (`stringify!`).
    }
}

/// Whether a path expression names what may be a constant or a `static`:
/// a SCREAMING last segment, not under `Self` or a qualified self.
fn constant(expr: &syn::ExprPath) -> bool {
    expr.qself.is_none()
        && !is_self(&expr.path)
        && expr.path.segments.last().is_some_and(|last| {
            let name = last.ident.to_string();
            let name = name.trim_start_matches("r#");
            name.chars().any(|c| c.is_ascii_uppercase())
                && !name.chars().any(|c| c.is_ascii_lowercase())
        })
}

/// The names a function binds (its parameters, `let`s, closure
/// parameters, match arms), which a one-segment path may name instead of a
/// constant, and the generic parameters in its scope (its own and its
/// `impl`'s).
#[derive(Default, Clone)]
struct Bindings {
    values: Vec<String>,
    generics: Vec<String>,
}

/// Outside a function nothing is bound.
static NO_BINDINGS: Bindings = Bindings {
    values: Vec::new(),
    generics: Vec::new(),
};

impl Bindings {
    fn of(sig: &syn::Signature, block: &syn::Block, outer: &[String]) -> Self {
        let mut bindings = Self {
            values: Vec::new(),
            generics: outer.to_vec(),
        };
        bindings.generics.extend(generic_names(&sig.generics));
        bindings.visit_signature(sig);
        bindings.visit_block(block);
        bindings
    }

    fn binds(&self, path: &syn::Path) -> bool {
        path.get_ident()
            .is_some_and(|ident| self.values.contains(&ident.to_string()))
    }
}

impl<'ast> Visit<'ast> for Bindings {
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.values.push(pat.ident.to_string());
        syn::visit::visit_pat_ident(self, pat);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// The fields a method reaches through `self` (`self.a`, `self.a.b`, each
/// prefix of a chain), not looking into nested items or macro input.
#[derive(Default)]
struct SelfFields {
    places: Vec<syn::Expr>,
    seen: Vec<String>,
}

impl<'ast> Visit<'ast> for SelfFields {
    fn visit_expr_field(&mut self, field: &'ast syn::ExprField) {
        if rooted_in_self(&field.base) {
            let place = syn::Expr::Field(field.clone());
            let text = place.to_token_stream().to_string();
            if !self.seen.contains(&text) {
                self.seen.push(text);
                self.places.push(place);
            }
        }
        syn::visit::visit_expr_field(self, field);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_macro(&mut self, _: &'ast syn::Macro) {}
}

/// `self`, or a field chain starting at it.
fn rooted_in_self(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Path(path) => path.qself.is_none() && path.path.is_ident("self"),
        syn::Expr::Field(field) => rooted_in_self(&field.base),
        syn::Expr::Paren(paren) => rooted_in_self(&paren.expr),
        _ => false,
    }
}

/// Whether a type path is one of the language's primitive types, which
/// belong to no section (a probe would only cost compile time).
fn primitive(path: &syn::Path) -> bool {
    path.get_ident().is_some_and(|ident| {
        matches!(
            ident.to_string().as_str(),
            "bool"
                | "char"
                | "str"
                | "f32"
                | "f64"
                | "i8"
                | "i16"
                | "i32"
                | "i64"
                | "i128"
                | "isize"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "u128"
                | "usize"
        )
    })
}

/// Whether a type leaves something to inference (`_`), which a probe of
/// its own could not.
fn infers(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == "_",
        TokenTree::Punct(p) => p.as_char() == '_',
        TokenTree::Group(g) => infers(g.stream()),
        TokenTree::Literal(_) => false,
    })
}
