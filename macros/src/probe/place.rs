//! Where the probes of a function body go: each block's probes at its start
//! (a function's signature's with its body), and each value checked where
//! it stands, so that its type is what the code around it makes it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::collect::{Bindings, Check, Collector, Scope, constant, is_self};
use super::macro_input::MacroArgs;
use super::{Probes, ends};

pub struct Placer<'p, 'a> {
    probes: &'p Probes<'a>,
    /// Probes of a signature, for the next block (the function's body).
    pending: Vec<Check>,
    /// The names the function binds, which are not constants.
    bound: Bindings,
    /// What each block from the function's body to the current one binds
    /// in its own statements.
    scopes: Vec<Scope>,
    /// The value paths already checked in the function, when it declares
    /// no item (so a path means the same wherever it stands in it).
    seen: Option<Vec<String>>,
    /// The prelude names (`None`, …) the current block uses, and where
    /// first.
    prelude: Vec<(&'static str, Span)>,
    /// Checks of a `let`'s value, for the statement after it.
    after_let: Vec<TokenStream>,
}

impl<'p, 'a> Placer<'p, 'a> {
    /// The statement that checks what a prelude name (`None`, `Some`,
    /// `Ok`, `Err`) is in the block: the prelude's, or a variant imported
    /// under that name, probed as any value is (another section's is
    /// refused, the user's own compiles).
    fn prelude_check(&self, name: &str, span: Span) -> TokenStream {
        let runtime = self.probes.runtime();
        let name = Ident::new(name, span);
        self.probes.admit_over(
            name.to_token_stream(),
            |first| quote_spanned!(first=> (&(&#runtime::__private::of_prelude(&#name)).pinned())),
        )
    }

    pub fn new(
        probes: &'p Probes<'a>,
        pending: Vec<Check>,
        bound: Bindings,
        body: &syn::Block,
    ) -> Self {
        Self {
            probes,
            pending,
            bound,
            scopes: Vec::new(),
            seen: dedupes(body).then(Vec::new),
            prelude: Vec::new(),
            after_let: Vec::new(),
        }
    }

    /// Whether a value path needs a check here: not when the same path was
    /// checked before in a function where it cannot mean something else.
    fn first(&mut self, path: &syn::ExprPath) -> bool {
        let Some(seen) = &mut self.seen else {
            return true;
        };
        let text = path.to_token_stream().to_string();
        if seen.contains(&text) {
            return false;
        }
        seen.push(text);
        true
    }

    /// `value`, checked where it stands: `(match value { v => { admit(…);
    /// v } })`, so the value's type, generic arguments included, is what the
    /// code around it makes it, and its temporaries live as long as they
    /// did.
    fn checked(&self, value: TokenStream, literal: bool) -> syn::Expr {
        let runtime = self.probes.runtime();
        let over = value.clone();
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
        let check = self.probes.admit_over(
            over,
            |first| quote_spanned!(first=> (&#runtime::__private::of_val(&#name))),
        );
        syn::Expr::Verbatim(quote_spanned! {last=>
            (match #value {
                #name => {
                    #check
                    #name
                }
            })
        })
    }

    /// Notes that the current block uses prelude name `name`, first at
    /// `span` (checked once per block).
    fn uses_prelude(&mut self, name: &'static str, span: Span) {
        if !self.prelude.iter().any(|(n, _)| *n == name) {
            self.prelude.push((name, span));
        }
    }

    /// The values of a constant expression to check: its value paths and
    /// struct literals (prelude names are checked by the block).
    fn promoted_values(&mut self, expr: &syn::Expr, out: &mut Vec<TokenStream>) {
        match expr {
            syn::Expr::Path(path) => {
                if let Some(name) = prelude(path) {
                    let span = path.path.segments[0].ident.span();
                    self.uses_prelude(name, span);
                } else if value_path(path) {
                    out.push(path.to_token_stream());
                }
            }
            syn::Expr::Array(array) => {
                for element in &array.elems {
                    self.promoted_values(element, out);
                }
            }
            syn::Expr::Tuple(tuple) => {
                for element in &tuple.elems {
                    self.promoted_values(element, out);
                }
            }
            syn::Expr::Paren(paren) => self.promoted_values(&paren.expr, out),
            syn::Expr::Group(group) => self.promoted_values(&group.expr, out),
            syn::Expr::Struct(literal) => {
                if literal.qself.is_none() && !is_self(&literal.path) {
                    out.push(literal.to_token_stream());
                }
                for field in &literal.fields {
                    self.promoted_values(&field.expr, out);
                }
            }
            // A constructor: the constructor itself, then its arguments.
            syn::Expr::Call(call) => {
                self.promoted_values(&call.func, out);
                for arg in &call.args {
                    self.promoted_values(arg, out);
                }
            }
            _ => {}
        }
    }

    /// The arguments of a standard macro that evaluates them, checked as
    /// the code they are.
    fn macro_input(&mut self, mac: &mut syn::Macro) {
        if let Some(mut args) = MacroArgs::parse(mac) {
            // A macro of one's own named like a standard one may drop its
            // input, checks included: what is checked there still counts
            // as unchecked after it.
            let seen = self.seen.clone();
            for expr in args.runtime_exprs_mut() {
                self.visit_expr_mut(expr);
            }
            self.seen = seen;
            mac.tokens = args.into_token_stream();
        }
    }
}

/// A pattern without its type (`v: View<'_>`).
fn strip_type(pat: &syn::Pat) -> &syn::Pat {
    match pat {
        syn::Pat::Type(typed) => strip_type(&typed.pat),
        other => other,
    }
}

/// The path of a struct literal or of a tuple struct's or variant's
/// constructor call, whose temporaries a `let` extends: what its check is
/// spanned over.
fn built(expr: &syn::Expr) -> Option<TokenStream> {
    match expr {
        syn::Expr::Struct(literal) if literal.qself.is_none() && !is_self(&literal.path) => {
            Some(literal.path.to_token_stream())
        }
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(callee) if constructor(callee) && prelude(callee).is_none() => {
                Some(callee.to_token_stream())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether a callee is a `db` method called by its path
/// (`Connection::db(conn)`, `Pool::db::<S>(&pool)`): its result, a handle,
/// is checked as `conn.db()`'s is.
fn opens_a_section(callee: &syn::ExprPath) -> bool {
    (callee.qself.is_some() || callee.path.segments.len() > 1)
        && callee
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "db")
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
        let outer_prelude = std::mem::take(&mut self.prelude);
        let pending = std::mem::take(&mut self.pending);
        // A name bound in this block or one around it may be a local
        // variable here; one bound only in another block is not.
        self.scopes.push(Bindings::direct(block));
        let bound = self.bound.in_scopes(&self.scopes);
        let checks = {
            let mut found = Collector::new(&bound);
            for check in pending {
                found.add(check);
            }
            for stmt in &block.stmts {
                found.visit_stmt(stmt);
            }
            found.checks
        };
        let mut at = 0;
        while at < block.stmts.len() {
            self.visit_stmt_mut(&mut block.stmts[at]);
            for check in std::mem::take(&mut self.after_let) {
                at += 1;
                block
                    .stmts
                    .insert(at, syn::Stmt::Expr(syn::Expr::Verbatim(check), None));
            }
            at += 1;
        }
        self.scopes.pop();
        // Items nested in the body that are scopes of their own (an
        // `impl`, a trait, a module, a union, an `extern` block, a
        // `thread_local!`): probed as an annotated module's items are, what
        // goes beside each right after it.
        let mut at = 0;
        while at < block.stmts.len() {
            if let syn::Stmt::Item(item) = &mut block.stmts[at]
                && own_scope(item)
            {
                let beside = match item {
                    // Their types are probed where the block starts.
                    syn::Item::Const(c) => self.probes.initializer(&c.attrs, &c.ty, &c.expr, &[]),
                    syn::Item::Static(s) => self.probes.initializer(&s.attrs, &s.ty, &s.expr, &[]),
                    _ => self.probes.item(item),
                };
                if !beside.is_empty() {
                    at += 1;
                    block
                        .stmts
                        .insert(at, syn::Stmt::Item(syn::Item::Verbatim(beside)));
                }
            }
            at += 1;
        }
        for (i, check) in checks.iter().enumerate() {
            let check = self.probes.check(check);
            block
                .stmts
                .insert(i, syn::Stmt::Expr(syn::Expr::Verbatim(check), None));
        }
        let prelude = std::mem::replace(&mut self.prelude, outer_prelude);
        for (name, span) in prelude.into_iter().rev() {
            let check = self.prelude_check(name, span);
            block
                .stmts
                .insert(0, syn::Stmt::Expr(syn::Expr::Verbatim(check), None));
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        match expr {
            syn::Expr::Path(path) if prelude(path).is_some() => {
                // `None`, `Ok`, …: wrapped, `&None` would no longer be a
                // constant; checked once per block to be the prelude's.
                let name = prelude(path).expect("matched above");
                let span = path.path.segments[0].ident.span();
                self.uses_prelude(name, span);
            }
            syn::Expr::Path(path) if value_path(path) && self.first(path) => {
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
                    syn::Expr::Path(callee) if prelude(callee).is_some() => {
                        // `Some(&temporary)` keeps its temporary alive
                        // only while it is a constructor call, unwrapped.
                        let name = prelude(callee).expect("matched above");
                        let span = callee.path.segments[0].ident.span();
                        self.uses_prelude(name, span);
                    }
                    syn::Expr::Path(callee) => {
                        if constructor(callee) || opens_a_section(callee) {
                            let tokens = call.to_token_stream();
                            *expr = self.checked(tokens, false);
                        }
                    }
                    // `(Connection::db)(conn)`.
                    syn::Expr::Paren(paren) if matches!(&*paren.expr, syn::Expr::Path(callee) if opens_a_section(callee)) =>
                    {
                        let tokens = call.to_token_stream();
                        *expr = self.checked(tokens, false);
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
            syn::Expr::Reference(reference)
                if reference.mutability.is_none() && promotable(&reference.expr) =>
            {
                // `&[Variant, …]`, `&Struct { … }` of constants: wrapped, it
                // would no longer be promoted to a constant. Its values are
                // checked in a closure beside it that never runs.
                let mut values = Vec::new();
                self.promoted_values(&reference.expr, &mut values);
                if !values.is_empty() {
                    let runtime = self.probes.runtime();
                    let checks = values.iter().map(|value| {
                        self.probes.admit_over(
                            value.clone(),
                            |first| quote_spanned!(first=> (&#runtime::__private::of_val(&#value))),
                        )
                    });
                    let original = &*expr;
                    let wrapped = quote!({
                        let _ = || { #(#checks)* };
                        #original
                    });
                    *expr = syn::Expr::Verbatim(wrapped);
                }
            }
            syn::Expr::Macro(mac) => self.macro_input(&mut mac.mac),
            // The left side of an assignment is a place, or a pattern
            // (`Range { low, high } = r`), not a value.
            syn::Expr::Assign(assign) => self.visit_expr_mut(&mut assign.right),
            // Constant contexts cannot call the checks.
            syn::Expr::Repeat(repeat) => self.visit_expr_mut(&mut repeat.expr),
            syn::Expr::Const(_) => {}
            _ => syn::visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        // `let v = View { name: &String::new() };` (or `Pair(&…)`): the
        // temporaries of a struct literal or constructor a `let` binds live
        // as long as the variable, which they would not inside the check's
        // `match`. Its fields are checked where they stand, the value
        // through the variable, right after the statement.
        if let syn::Pat::Ident(binding) = strip_type(&local.pat)
            && binding.subpat.is_none()
            && binding.by_ref.is_none()
            && let Some(init) = &mut local.init
            && let Some(path) = built(&init.expr)
        {
            let runtime = self.probes.runtime();
            let ident = &binding.ident;
            let check = self.probes.admit_over(
                path,
                |first| quote_spanned!(first=> (&#runtime::__private::of_val(&#ident))),
            );
            // Under the `let`'s own `#[cfg]`s, as the variable is.
            let cfgs = super::collect::cfgs(&local.attrs);
            self.after_let.push(quote!(#(#cfgs)* #check));
            match &mut *init.expr {
                syn::Expr::Struct(literal) => {
                    for field in &mut literal.fields {
                        self.visit_expr_mut(&mut field.expr);
                    }
                    if let Some(rest) = &mut literal.rest {
                        self.visit_expr_mut(rest);
                    }
                }
                syn::Expr::Call(call) => {
                    for arg in &mut call.args {
                        self.visit_expr_mut(arg);
                    }
                }
                _ => {}
            }
            if let Some((_, diverge)) = &mut init.diverge {
                self.visit_expr_mut(diverge);
            }
            return;
        }
        syn::visit_mut::visit_local_mut(self, local);
    }

    fn visit_stmt_macro_mut(&mut self, mac: &mut syn::StmtMacro) {
        self.macro_input(&mut mac.mac);
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
        let outer_scopes = std::mem::take(&mut self.scopes);
        let outer_seen = std::mem::replace(&mut self.seen, dedupes(&f.block).then(Vec::new));
        self.visit_block_mut(&mut f.block);
        self.pending = outer;
        self.bound = outer_bound;
        self.scopes = outer_scopes;
        self.seen = outer_seen;
    }

    fn visit_item_const_mut(&mut self, _: &mut syn::ItemConst) {}

    // The other items nested in a body are probed where the block starts
    // or beside them (`visit_block_mut`); their discriminants and lengths
    // are constant contexts.
    fn visit_item_enum_mut(&mut self, _: &mut syn::ItemEnum) {}

    fn visit_item_struct_mut(&mut self, _: &mut syn::ItemStruct) {}

    fn visit_item_union_mut(&mut self, _: &mut syn::ItemUnion) {}

    fn visit_item_type_mut(&mut self, _: &mut syn::ItemType) {}

    fn visit_item_foreign_mod_mut(&mut self, _: &mut syn::ItemForeignMod) {}

    fn visit_item_static_mut(&mut self, _: &mut syn::ItemStatic) {}

    fn visit_item_impl_mut(&mut self, _: &mut syn::ItemImpl) {
        // Its own scope: probed by `visit_block_mut`.
    }

    fn visit_item_mod_mut(&mut self, _: &mut syn::ItemMod) {}

    fn visit_item_trait_mut(&mut self, _: &mut syn::ItemTrait) {}

    fn visit_item_macro_mut(&mut self, _: &mut syn::ItemMacro) {
        // `macro_rules!` and item macros: their input is not code.
    }
}

/// Whether an item nested in a body is a scope of its own, probed as an
/// annotated module's items are, or a constant or `static` whose
/// initializer is checked beside it (the types of the other kinds are
/// probed where the body's block starts, a nested `fn` as a body).
fn own_scope(item: &syn::Item) -> bool {
    match item {
        syn::Item::Impl(_)
        | syn::Item::Trait(_)
        | syn::Item::Mod(_)
        | syn::Item::Union(_)
        | syn::Item::ForeignMod(_)
        | syn::Item::TraitAlias(_)
        | syn::Item::Const(_)
        | syn::Item::Static(_) => true,
        syn::Item::Macro(m) => m
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "thread_local"),
        _ => false,
    }
}

/// Whether an expression may be promoted to a constant when borrowed:
/// literals, paths that are not local variables, and arrays, tuples and
/// struct literals of those.
fn promotable(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Lit(_) => true,
        syn::Expr::Path(path) => prelude(path).is_some() || value_path(path),
        syn::Expr::Array(array) => array.elems.iter().all(promotable),
        syn::Expr::Tuple(tuple) => tuple.elems.iter().all(promotable),
        syn::Expr::Paren(paren) => promotable(&paren.expr),
        syn::Expr::Group(group) => promotable(&group.expr),
        syn::Expr::Struct(literal) => {
            literal.rest.is_none() && literal.fields.iter().all(|f| promotable(&f.expr))
        }
        syn::Expr::Unary(unary) => matches!(unary.op, syn::UnOp::Neg(_)) && promotable(&unary.expr),
        // A tuple struct's or variant's constructor (`Step::Go(1)`), which
        // the compiler promotes; a function's call is not promoted.
        syn::Expr::Call(call) => {
            matches!(&*call.func, syn::Expr::Path(callee) if constructor(callee))
                && call.args.iter().all(promotable)
        }
        _ => false,
    }
}

/// `Some`, `None`, `Ok` or `Err` written alone: the prelude's, unless an
/// import shadows it, which the block's check of it catches.
fn prelude(expr: &syn::ExprPath) -> Option<&'static str> {
    if expr.qself.is_some() || expr.path.leading_colon.is_some() {
        return None;
    }
    let ident = expr.path.get_ident()?;
    ["Some", "None", "Ok", "Err"]
        .into_iter()
        .find(|name| ident == name)
}

/// Whether a path expression is checked where it stands: never a local
/// variable (one lower-case name), nor what may be a constant or `static`
/// (probed by reference where its scope starts), nor `Self`.
fn value_path(expr: &syn::ExprPath) -> bool {
    let path = &expr.path;
    if expr.qself.is_some() || is_self(path) || constant(expr) {
        return false;
    }
    let Some(last) = path.segments.last() else {
        return false;
    };
    let last = last.ident.to_string();
    let last = last.trim_start_matches("r#").trim_start_matches('_');
    path.segments.len() > 1 || last.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a value path checked once in `body` need not be checked again:
/// when it declares no item anywhere (a `use` in a nested block may make a
/// path mean something else there) and has no `#[cfg]` (the first use may
/// be compiled out).
fn dedupes(body: &syn::Block) -> bool {
    struct Varies(bool);
    impl<'ast> Visit<'ast> for Varies {
        fn visit_item(&mut self, _: &'ast syn::Item) {
            self.0 = true;
        }
        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            if attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr") {
                self.0 = true;
            }
        }
    }
    let mut varies = Varies(false);
    varies.visit_block(body);
    !varies.0
}
