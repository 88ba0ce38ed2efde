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
                let mut found = Collector::default();
                found.visit_fields(&s.fields);
                found.visit_generics(&s.generics);
                beside.extend(self.outside(&s.generics, found.types));
            }
            syn::Item::Enum(e) => {
                let mut found = Collector::default();
                for variant in &e.variants {
                    found.visit_fields(&variant.fields);
                }
                found.visit_generics(&e.generics);
                beside.extend(self.outside(&e.generics, found.types));
            }
            syn::Item::Impl(i) => {
                let mut found = Collector::default();
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
                beside.extend(self.outside(&i.generics, found.types));
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        self.function(&f.sig, &mut f.block);
                    }
                }
            }
            syn::Item::Fn(f) => self.function(&f.sig, &mut f.block),
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
                let mut found = Collector::default();
                found.visit_type(&c.ty);
                beside.extend(self.outside(&syn::Generics::default(), found.types));
            }
            syn::Item::Static(s) => {
                let mut found = Collector::default();
                found.visit_type(&s.ty);
                beside.extend(self.outside(&syn::Generics::default(), found.types));
            }
            syn::Item::Type(t) => {
                let mut found = Collector::default();
                found.visit_type(&t.ty);
                beside.extend(self.outside(&t.generics, found.types));
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
    fn function(&self, sig: &syn::Signature, block: &mut syn::Block) {
        if sig.constness.is_some() {
            return;
        }
        let mut found = Collector::default();
        found.visit_signature(sig);
        let mut placer = Placer {
            probes: self,
            pending: found.types,
        };
        placer.visit_block_mut(block);
        let items = self.items();
        block
            .stmts
            .insert(0, syn::Stmt::Item(syn::Item::Verbatim(items)));
    }

    /// Type probes in a `const` beside the item, leaving out those that
    /// name the item's generic parameters (not nameable there).
    fn outside(&self, generics: &syn::Generics, types: Vec<syn::Type>) -> TokenStream {
        let names = generic_names(generics);
        let checks: Vec<TokenStream> = types
            .iter()
            .filter(|ty| !mentions(ty.to_token_stream(), &names))
            .map(|ty| self.type_check(ty))
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

    /// The items the checks call: `admit(verdict)` compiles for a verdict
    /// of this section or a neutral one, and otherwise says which section
    /// the path belongs to.
    fn items(&self) -> TokenStream {
        let runtime = self.runtime;
        let name = self.name;
        let section = self.section;
        let message =
            format!("an item of section `{{S}}` is used in a `#[section(\"{section}\")]` item");
        let label = format!("belongs to section `{{S}}`, not `{section}`");
        let note = format!(
            "a `#[section(\"{section}\")]` item may use only the tables, rows, enums and handles of section `{section}`; move this to a service, or to a `#[section]` item of that section"
        );
        let me = format_ident!("__PgSectionsItem");
        let admits = format_ident!("__PgSectionsAdmits");
        let admit = admit();
        quote! {
            #[allow(unused_imports)]
            use #runtime::__private::{BySection as _, ByFallback as _};
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            struct #me;
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            trait #admits<S> {}
            #[diagnostic::do_not_recommend]
            #[allow(clippy::all, clippy::pedantic)]
            impl<S: #runtime::__private::AdmittedIn<#name>> #admits<S> for #me {}
            #[allow(dead_code, clippy::all, clippy::pedantic)]
            fn #admit<S>(_: #runtime::__private::Verdict<S>) where #me: #admits<S> {}
        }
    }

    fn type_check(&self, ty: &syn::Type) -> TokenStream {
        let runtime = self.runtime;
        let (first, last) = ends(ty.to_token_stream());
        // The error is under the argument: from its receiver (at the path's
        // first token) to its call parentheses (at its last).
        let receiver = quote_spanned!(first=> (&#runtime::__private::Probe::<#ty>::new()));
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
    /// Type probes of a signature, for the next block (the function's body).
    pending: Vec<syn::Type>,
}

impl Placer<'_, '_> {
    /// `value`, checked where it stands: `({ let v = value; admit(…); v })`,
    /// so the value's type, generic arguments included, is what the code
    /// around it makes it.
    fn checked(&self, value: TokenStream) -> syn::Expr {
        let runtime = self.probes.runtime;
        let (first, last) = ends(value.clone());
        let name = Ident::new("__pg_sections_value", Span::mixed_site());
        // The error is under the argument: from its receiver (at the value's
        // first token) to its call parentheses (at its last).
        let receiver = quote_spanned!(first=> (&#runtime::__private::of_val(&#name)));
        let verdict = quote_spanned!(last=> .verdict());
        let admit = admit();
        syn::Expr::Verbatim(quote_spanned! {last=>
            ({
                let #name = #value;
                #admit(#receiver #verdict);
                #name
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
        let mut found = Collector {
            seen: pending
                .iter()
                .map(|ty| ty.to_token_stream().to_string())
                .collect(),
            types: pending,
        };
        for stmt in &block.stmts {
            found.visit_stmt(stmt);
        }
        syn::visit_mut::visit_block_mut(self, block);
        for (i, ty) in found.types.iter().enumerate() {
            let check = self.probes.type_check(ty);
            block
                .stmts
                .insert(i, syn::Stmt::Expr(syn::Expr::Verbatim(check), None));
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        match expr {
            syn::Expr::Path(path) if value_path(path) => {
                let tokens = path.to_token_stream();
                *expr = self.checked(tokens);
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
                            *expr = self.checked(tokens);
                        }
                    }
                    _ => self.visit_expr_mut(&mut call.func),
                }
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
                    *expr = self.checked(tokens);
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
        let mut found = Collector::default();
        found.visit_signature(&f.sig);
        let outer = std::mem::replace(&mut self.pending, found.types);
        self.visit_block_mut(&mut f.block);
        self.pending = outer;
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
/// variable (one lower-case name), nor what may be a `static`, whose value
/// cannot be moved (an upper-case last segment), nor `Self`.
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
    let screaming = last.chars().any(|c| c.is_ascii_uppercase())
        && !last.chars().any(|c| c.is_ascii_lowercase());
    if screaming {
        return false;
    }
    path.segments.len() > 1 || last.chars().next().is_some_and(char::is_uppercase)
}

fn is_self(path: &syn::Path) -> bool {
    path.segments.first().is_some_and(|s| s.ident == "Self")
}

/// The type paths of one scope, not looking into nested blocks or items
/// (probed in their own scope).
#[derive(Default)]
struct Collector {
    types: Vec<syn::Type>,
    /// The types already probed in this scope, as text.
    seen: Vec<String>,
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
        // A generic type is probed through its arguments: the generic types
        // of a section (`Db<S>`, `Column<T, V>`) belong to the section of
        // their argument, and no generated item is generic.
        let generic = ty.path.segments.iter().any(|segment| {
            matches!(&segment.arguments, syn::PathArguments::AngleBracketed(args)
                if args.args.iter().any(|a| matches!(a, syn::GenericArgument::Type(_))))
        });
        if ty.qself.is_none()
            && !generic
            && !is_self(&ty.path)
            && !primitive(&ty.path)
            && !infers(ty.to_token_stream())
        {
            let probe = syn::Type::Path(ty.clone());
            let text = probe.to_token_stream().to_string();
            if !self.seen.contains(&text) {
                self.seen.push(text);
                self.types.push(probe);
            }
        }
        syn::visit::visit_type_path(self, ty);
    }

    fn visit_type_array(&mut self, array: &'ast syn::TypeArray) {
        self.visit_type(&array.elem);
    }

    fn visit_block(&mut self, _: &'ast syn::Block) {
        // Probed at its own start.
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {
        // Its own scope.
    }

    fn visit_macro(&mut self, _: &'ast syn::Macro) {
        // Macro input is not code until it expands (`stringify!`).
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
