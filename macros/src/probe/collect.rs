//! What to probe where a scope starts: the types a scope writes, the
//! constants and statics it names, the fields it reaches through `self` or
//! a parameter, each under the `#[cfg]`s of the code that names it.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::Visit;

use super::macro_input::{MacroArgs, visit_macro_args};

/// One probe: what it asks about, and the `#[cfg]`s it is under.
pub struct Check {
    pub what: What,
    pub cfgs: Vec<syn::Attribute>,
}

/// What a probe asks about.
pub enum What {
    /// A written type: what it holds.
    Type(syn::Type),
    /// A written generic type: only whether it is a `#[section]` type (its
    /// arguments are probed on their own).
    Generic(syn::Type),
    /// A constant, `static` or field, by reference: what it holds.
    Place(syn::Expr),
}

impl Check {
    /// The same check of what `f` makes of a type's tokens.
    pub fn map_type(self, f: impl Fn(TokenStream) -> TokenStream) -> Self {
        if let What::Place(_) = self.what {
            return self;
        }
        let parse = |ty: syn::Type| syn::parse2(f(ty.to_token_stream())).unwrap_or(ty);
        let what = match self.what {
            What::Type(ty) => What::Type(parse(ty)),
            What::Generic(ty) => What::Generic(parse(ty)),
            What::Place(place) => What::Place(place),
        };
        Self { what, ..self }
    }
}

impl Check {
    /// Moves the check of a field of `self` onto `this` (a reference to
    /// `self`'s type beside the item); whether it could.
    pub fn reroot(&mut self) -> bool {
        fn reroot(expr: &syn::Expr) -> Option<syn::Expr> {
            match expr {
                syn::Expr::Path(path) if path.qself.is_none() && path.path.is_ident("self") => {
                    // Under `self`'s own span, so the error is where the
                    // field is reached.
                    let this = Ident::new("this", path.path.segments[0].ident.span());
                    Some(syn::Expr::Path(syn::ExprPath {
                        attrs: Vec::new(),
                        qself: None,
                        path: this.into(),
                    }))
                }
                syn::Expr::Field(field) => Some(syn::Expr::Field(syn::ExprField {
                    base: Box::new(reroot(&field.base)?),
                    ..field.clone()
                })),
                syn::Expr::Paren(paren) => Some(syn::Expr::Paren(syn::ExprParen {
                    expr: Box::new(reroot(&paren.expr)?),
                    ..paren.clone()
                })),
                _ => None,
            }
        }
        let What::Place(place) = &self.what else {
            return false;
        };
        match reroot(place) {
            Some(place) => {
                self.what = What::Place(place);
                true
            }
            None => false,
        }
    }
}

/// The parameter beside an `impl` that stands for `self`.
pub fn this() -> Ident {
    Ident::new("this", proc_macro2::Span::call_site())
}

impl ToTokens for What {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Type(ty) | Self::Generic(ty) => ty.to_tokens(tokens),
            Self::Place(place) => place.to_tokens(tokens),
        }
    }
}

/// The probes of one scope: its types and constants, not looking into
/// nested blocks or items (probed in their own scope).
pub struct Collector<'b> {
    pub checks: Vec<Check>,
    /// The checks already made in this scope, as text.
    seen: Vec<String>,
    /// The names the function binds, which are not constants.
    bound: &'b Bindings,
    /// The `#[cfg]`s of the code being visited.
    cfgs: Vec<syn::Attribute>,
}

impl<'b> Collector<'b> {
    pub fn new(bound: &'b Bindings) -> Self {
        Self {
            checks: Vec::new(),
            seen: Vec::new(),
            bound,
            cfgs: Vec::new(),
        }
    }

    pub fn add(&mut self, check: Check) {
        let text = format!(
            "{} {}",
            check
                .cfgs
                .iter()
                .map(|c| c.to_token_stream().to_string())
                .collect::<String>(),
            check.what.to_token_stream()
        );
        if !self.seen.contains(&text) {
            self.seen.push(text);
            self.checks.push(check);
        }
    }

    fn found(&mut self, what: What) {
        let cfgs = self.cfgs.clone();
        // An elided lifetime (`Rows<'_>`) cannot be named where the probe
        // goes; a section does not depend on a lifetime.
        let check = Check { what, cfgs }.map_type(|tokens| restatic(tokens, &|name| name == "_"));
        self.add(check);
    }
}

/// A visitor that keeps the `#[cfg]`s of the code it is in, so that a
/// probe of `#[cfg(x)]` code is under `#[cfg(x)]` too.
pub trait Scoped<'ast>: Visit<'ast> + Sized {
    fn cfg_stack(&mut self) -> &mut Vec<syn::Attribute>;

    /// Visits what `visit` visits under the `#[cfg]`s among `attrs`.
    fn under(&mut self, attrs: &[syn::Attribute], visit: impl FnOnce(&mut Self)) {
        let depth = self.cfg_stack().len();
        self.cfg_stack().extend(cfgs(attrs));
        visit(self);
        self.cfg_stack().truncate(depth);
    }

    fn scoped_local(&mut self, local: &'ast syn::Local) {
        self.under(&local.attrs, |this| syn::visit::visit_local(this, local));
    }

    fn scoped_arm(&mut self, arm: &'ast syn::Arm) {
        self.under(&arm.attrs, |this| syn::visit::visit_arm(this, arm));
    }

    fn scoped_stmt(&mut self, stmt: &'ast syn::Stmt) {
        match stmt {
            syn::Stmt::Expr(expr, _) => {
                self.under(expr_attrs(expr), |this| syn::visit::visit_stmt(this, stmt));
            }
            syn::Stmt::Macro(mac) => self.under(&mac.attrs, |this| this.visit_macro(&mac.mac)),
            _ => syn::visit::visit_stmt(self, stmt),
        }
    }
}

impl Collector<'_> {
    /// The statements of `block`, which `visit_block` leaves to the
    /// block's own scope.
    pub fn visit_block_stmts(&mut self, block: &syn::Block) {
        for stmt in &block.stmts {
            self.visit_stmt(stmt);
        }
    }
}

impl Scoped<'_> for Collector<'_> {
    fn cfg_stack(&mut self) -> &mut Vec<syn::Attribute> {
        &mut self.cfgs
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
        let tokens = ty.to_token_stream();
        // `Self::Assoc` and `<Self as Trait>::Assoc` too: what the
        // projection is, probed where `Self` can be named (a body), left
        // out beside the item; `Self` alone is the item's own type.
        let self_alone = ty.qself.is_none() && ty.path.is_ident("Self");
        // A projection (`<Src as Conv<T>>::Out`, `Self::Of<T>`) is what it
        // normalizes to, even over the item's generic parameters: probed in
        // a body, where they can be named.
        let projection = ty.qself.is_some() || (is_self(&ty.path) && ty.path.segments.len() > 1);
        let nameable = !self_alone
            && !unnameable(tokens.clone())
            && (projection || !mentions(renamed_self(tokens), &self.bound.generics));
        if nameable && generic && ty.qself.is_none() {
            self.found(What::Generic(syn::Type::Path(ty.clone())));
        }
        if nameable && !generic && !primitive(&ty.path) {
            // `<X as Trait>::Assoc` too: what the projection is.
            self.found(What::Type(syn::Type::Path(ty.clone())));
        }
        syn::visit::visit_type_path(self, ty);
    }

    fn visit_type_trait_object(&mut self, object: &'ast syn::TypeTraitObject) {
        // `dyn Trait`: a trait of an annotated module's objects have its
        // section.
        let tokens = object.to_token_stream();
        if !unnameable(tokens.clone()) && !mentions(tokens, &self.bound.generics) {
            self.found(What::Type(syn::Type::TraitObject(object.clone())));
        }
        syn::visit::visit_type_trait_object(self, object);
    }

    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        // A constant or `static` (a SCREAMING name) is probed by reference
        // where the scope starts; other value paths are checked where they
        // stand.
        if constant(expr) && !self.bound.binds(&expr.path) {
            self.found(What::Place(syn::Expr::Path(expr.clone())));
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
            self.found(What::Place((*call.receiver).clone()));
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_const(&mut self, constant: &'ast syn::ExprConst) {
        // An inline `const { … }`: its names are probed where the enclosing
        // scope starts (it cannot call the checks itself).
        for stmt in &constant.block.stmts {
            self.visit_stmt(stmt);
        }
    }

    fn visit_type_array(&mut self, array: &'ast syn::TypeArray) {
        self.visit_type(&array.elem);
        // Its length is a constant expression: what it names, too
        // (`[u8; size_of::<ShoppingCart>()]`).
        self.visit_expr(&array.len);
    }

    fn visit_block(&mut self, _: &'ast syn::Block) {
        // Probed at its own start.
    }

    fn visit_field(&mut self, field: &'ast syn::Field) {
        self.under(&field.attrs, |this| syn::visit::visit_field(this, field));
    }

    fn visit_variant(&mut self, variant: &'ast syn::Variant) {
        self.under(&variant.attrs, |this| {
            syn::visit::visit_variant(this, variant);
        });
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        self.scoped_local(local);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.scoped_arm(arm);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        self.scoped_stmt(stmt);
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        // An item nested in the body: the types of its declaration, where
        // they name nothing of its own (a function is its own scope).
        let mut nested = Collector::new(&NO_BINDINGS);
        let (attrs, generics) = match item {
            syn::Item::Type(t) => {
                nested.visit_type(&t.ty);
                (&t.attrs, Some(&t.generics))
            }
            syn::Item::Const(c) => {
                nested.visit_type(&c.ty);
                (&c.attrs, None)
            }
            syn::Item::Static(s) => {
                nested.visit_type(&s.ty);
                (&s.attrs, None)
            }
            syn::Item::Struct(s) => {
                nested.visit_fields(&s.fields);
                (&s.attrs, Some(&s.generics))
            }
            syn::Item::Enum(e) => {
                for variant in &e.variants {
                    nested.visit_variant(variant);
                }
                (&e.attrs, Some(&e.generics))
            }
            // A `const fn` cannot call the checks: its signature and what
            // its body names are probed here.
            syn::Item::Fn(f) if f.sig.constness.is_some() => {
                nested.visit_signature(&f.sig);
                nested.visit_block_stmts(&f.block);
                (&f.attrs, Some(&f.sig.generics))
            }
            _ => return,
        };
        let names = generics.map(generic_names).unwrap_or_default();
        let outer = cfgs(attrs);
        for mut check in nested.checks {
            if !mentions(check.what.to_token_stream(), &names) {
                check
                    .cfgs
                    .splice(0..0, self.cfgs.iter().chain(&outer).cloned());
                self.add(check);
            }
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit_macro_args(self, mac);
        // A constant, `static`, unit struct or variant a format string
        // captures (`format!("{PAID}")`): probed by reference where the
        // scope starts, as a constant is.
        if let Some(args) = MacroArgs::parse(mac) {
            if let MacroArgs::Type(ty, _) = &args {
                self.visit_type(ty);
            }
            for captured in args.captures() {
                if !self.bound.binds(&captured.path) {
                    self.found(What::Place(syn::Expr::Path(captured)));
                }
            }
        }
    }
}

/// The attributes of an expression statement (the kinds that carry
/// `#[cfg]`s in practice).
fn expr_attrs(expr: &syn::Expr) -> &[syn::Attribute] {
    match expr {
        syn::Expr::Assign(e) => &e.attrs,
        syn::Expr::Block(e) => &e.attrs,
        syn::Expr::Call(e) => &e.attrs,
        syn::Expr::ForLoop(e) => &e.attrs,
        syn::Expr::If(e) => &e.attrs,
        syn::Expr::Loop(e) => &e.attrs,
        syn::Expr::Macro(e) => &e.attrs,
        syn::Expr::Match(e) => &e.attrs,
        syn::Expr::MethodCall(e) => &e.attrs,
        syn::Expr::Unsafe(e) => &e.attrs,
        syn::Expr::While(e) => &e.attrs,
        _ => &[],
    }
}

/// The `#[cfg(…)]`s among `attrs`.
pub fn cfgs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .cloned()
        .collect()
}

/// Whether a path expression names what may be a constant or a `static`:
/// a SCREAMING last segment, also an associated one (`Self::CONST`,
/// `<M as Trait>::CONST`).
pub fn constant(expr: &syn::ExprPath) -> bool {
    expr.path.segments.last().is_some_and(|last| {
        let name = last.ident.to_string();
        let name = name.trim_start_matches("r#");
        name.chars().any(|c| c.is_ascii_uppercase())
            && !name.chars().any(|c| c.is_ascii_lowercase())
    })
}

pub fn is_self(path: &syn::Path) -> bool {
    path.segments.first().is_some_and(|s| s.ident == "Self")
}

/// The names a function binds (its parameters, `let`s, closure
/// parameters, match arms), which a one-segment path may name instead of a
/// constant, and the generic parameters in its scope (its own and its
/// `impl`'s).
#[derive(Default, Clone)]
pub struct Bindings {
    values: Vec<String>,
    /// Its parameters' names.
    params: Vec<String>,
    generics: Vec<String>,
    /// Whether only a block's own statements are read, not the blocks
    /// nested in them (see [`Bindings::direct`]).
    shallow: bool,
    /// Whether the pattern being read may fail to match.
    refutable: bool,
}

/// What one block binds, and the names its items declare
/// ([`Bindings::direct`]).
pub struct Scope {
    items: Vec<String>,
    values: Vec<String>,
}

/// The names a `use` tree brings into scope (`a::B`, `a::C as D`, `a::{E,
/// F}`); a glob's are unknown.
fn use_names(tree: &syn::UseTree, names: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, names),
        syn::UseTree::Name(name) => names.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => names.push(rename.rename.to_string()),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_names(tree, names);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// Outside a function nothing is bound.
pub static NO_BINDINGS: Bindings = Bindings {
    values: Vec::new(),
    params: Vec::new(),
    generics: Vec::new(),
    shallow: false,
    refutable: false,
};

impl Bindings {
    pub fn of(sig: &syn::Signature, block: &syn::Block, outer: &[String]) -> Self {
        let mut bindings = Self {
            generics: outer.to_vec(),
            ..Self::default()
        };
        bindings.generics.extend(generic_names(&sig.generics));
        bindings.visit_signature(sig);
        bindings.params.clone_from(&bindings.values);
        bindings.visit_block(block);
        bindings
    }

    /// What a block binds, with no parameters (a constant's initializer).
    pub fn of_block(block: &syn::Block) -> Self {
        let mut bindings = Self::default();
        bindings.visit_block(block);
        bindings
    }

    /// What a block's own statements bind (its `let`s, and the closures'
    /// parameters and the arms' patterns in them), not the blocks nested in
    /// them, which are other scopes; and the names its items declare (a
    /// `use`, a `const`, a `static`), which hide the variables of the
    /// blocks around it.
    pub fn direct(block: &syn::Block) -> Scope {
        let mut bindings = Self {
            shallow: true,
            ..Self::default()
        };
        let mut items = Vec::new();
        for stmt in &block.stmts {
            bindings.visit_stmt(stmt);
            if let syn::Stmt::Item(item) = stmt {
                match item {
                    syn::Item::Use(u) => use_names(&u.tree, &mut items),
                    syn::Item::Const(c) => items.push(c.ident.to_string()),
                    syn::Item::Static(s) => items.push(s.ident.to_string()),
                    _ => {}
                }
            }
        }
        Scope {
            items,
            values: bindings.values,
        }
    }

    /// What is bound in a block whose enclosing blocks (itself last) are
    /// `scopes`: the parameters and their bindings, less the names an item
    /// of an inner block declares; not what a sibling block binds.
    pub fn in_scopes(&self, scopes: &[Scope]) -> Self {
        let mut values = self.params.clone();
        for scope in scopes {
            values.retain(|value| !scope.items.contains(value));
            values.extend(scope.values.iter().cloned());
        }
        Self {
            values,
            params: self.params.clone(),
            generics: self.generics.clone(),
            shallow: false,
            refutable: false,
        }
    }

    pub fn binds(&self, path: &syn::Path) -> bool {
        path.get_ident()
            .is_some_and(|ident| self.values.contains(&ident.to_string()))
    }
}

impl<'ast> Visit<'ast> for Bindings {
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        // A name in upper camel case is a unit struct or variant, never a
        // variable Rust would not warn of; one in capitals is a constant
        // where a pattern may fail to match (an arm, `if let`), and a
        // variable only where it cannot (a `let`, a parameter).
        let name = pat.ident.to_string();
        let bare = name.trim_start_matches("r#").trim_start_matches('_');
        let capital = bare.starts_with(char::is_uppercase);
        let lower = bare.chars().any(char::is_lowercase);
        let binds = !capital || (!lower && !self.refutable);
        if binds {
            self.values.push(name);
        }
        syn::visit::visit_pat_ident(self, pat);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        let refutable = std::mem::replace(&mut self.refutable, true);
        self.visit_pat(&arm.pat);
        self.refutable = refutable;
        self.visit_expr(&arm.body);
    }

    fn visit_expr_let(&mut self, e: &'ast syn::ExprLet) {
        let refutable = std::mem::replace(&mut self.refutable, true);
        self.visit_pat(&e.pat);
        self.refutable = refutable;
        self.visit_expr(&e.expr);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        if !self.shallow {
            syn::visit::visit_block(self, block);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // What the macros whose input is probed bind: `tokio::select!`'s
        // patterns, and closures, `let`s and arms in their expressions.
        if let Some(args) = MacroArgs::parse(mac) {
            for pattern in args.patterns() {
                self.visit_pat(pattern);
            }
            for expr in args.exprs() {
                self.visit_expr(expr);
            }
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// The fields a function reaches through `self`, a parameter (where no
/// `let`, closure, arm or loop rebinds its name), or a constant or `static`
/// (`self.a`, `repo.a.b`, `LABELS.paid`, each prefix of a chain), probed
/// where the body starts, while nothing is moved out of them: an `impl`
/// checks the fields it uses, whatever struct they are declared in.
pub struct Fields {
    roots: Vec<Ident>,
    /// The roots a `let`, closure, arm or loop rebinds where the visit is.
    shadowed: Vec<String>,
    pub found: Vec<Check>,
    seen: Vec<String>,
    cfgs: Vec<syn::Attribute>,
}

impl Fields {
    pub fn of(sig: &syn::Signature, block: &syn::Block) -> Vec<Check> {
        let mut roots: Vec<Ident> = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) => match &*typed.pat {
                    syn::Pat::Ident(pat) if pat.subpat.is_none() => Some(pat.ident.clone()),
                    _ => None,
                },
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        if sig.receiver().is_some() {
            roots.push(Ident::new("self", proc_macro2::Span::call_site()));
        }
        let mut fields = Self {
            roots,
            shadowed: Vec::new(),
            found: Vec::new(),
            seen: Vec::new(),
            cfgs: Vec::new(),
        };
        fields.visit_block(block);
        fields.found
    }

    /// Whether `expr` is `self`, a parameter, or a constant or `static`
    /// (whose fields hold what the whole may not show: `LABELS.paid`), or
    /// a field of one.
    fn rooted(&self, expr: &syn::Expr) -> bool {
        match expr {
            syn::Expr::Path(path) => {
                path.qself.is_none()
                    && (path.path.get_ident().is_some_and(|ident| {
                        self.roots.contains(ident) && !self.shadowed.iter().any(|s| ident == s)
                    }) || constant(path))
            }
            syn::Expr::Field(field) => self.rooted(&field.base),
            syn::Expr::Paren(paren) => self.rooted(&paren.expr),
            _ => false,
        }
    }
}

impl Scoped<'_> for Fields {
    fn cfg_stack(&mut self) -> &mut Vec<syn::Attribute> {
        &mut self.cfgs
    }
}

impl<'ast> Visit<'ast> for Fields {
    fn visit_expr_field(&mut self, field: &'ast syn::ExprField) {
        if self.rooted(&field.base) {
            let place = syn::Expr::Field(field.clone());
            let text = place.to_token_stream().to_string();
            if !self.seen.contains(&text) {
                self.seen.push(text);
                self.found.push(Check {
                    what: What::Place(place),
                    cfgs: self.cfgs.clone(),
                });
            }
        }
        syn::visit::visit_expr_field(self, field);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        // Its initializer sees the names before it; what follows it in the
        // block sees its own (until the block ends).
        self.under(&local.attrs, |this| {
            if let Some(init) = &local.init {
                this.visit_expr(&init.expr);
                if let Some((_, diverge)) = &init.diverge {
                    this.visit_expr(diverge);
                }
            }
            this.shadowed.extend(pattern_names(&local.pat));
        });
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let depth = self.shadowed.len();
        syn::visit::visit_block(self, block);
        self.shadowed.truncate(depth);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        let depth = self.shadowed.len();
        for input in &closure.inputs {
            self.shadowed.extend(pattern_names(input));
        }
        self.visit_expr(&closure.body);
        self.shadowed.truncate(depth);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        let depth = self.shadowed.len();
        self.shadowed.extend(pattern_names(&arm.pat));
        self.scoped_arm(arm);
        self.shadowed.truncate(depth);
    }

    fn visit_expr_for_loop(&mut self, lp: &'ast syn::ExprForLoop) {
        self.visit_expr(&lp.expr);
        let depth = self.shadowed.len();
        self.shadowed.extend(pattern_names(&lp.pat));
        self.visit_block(&lp.body);
        self.shadowed.truncate(depth);
    }

    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        // An `if let`'s names hold in its condition's rest and its block.
        let depth = self.shadowed.len();
        self.visit_expr(&e.cond);
        self.visit_block(&e.then_branch);
        self.shadowed.truncate(depth);
        if let Some((_, otherwise)) = &e.else_branch {
            self.visit_expr(otherwise);
        }
    }

    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        let depth = self.shadowed.len();
        self.visit_expr(&e.cond);
        self.visit_block(&e.body);
        self.shadowed.truncate(depth);
    }

    fn visit_expr_let(&mut self, e: &'ast syn::ExprLet) {
        self.visit_expr(&e.expr);
        self.shadowed.extend(pattern_names(&e.pat));
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        self.scoped_stmt(stmt);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit_macro_args(self, mac);
    }
}

/// The names a pattern binds.
fn pattern_names(pat: &syn::Pat) -> Vec<String> {
    let mut bindings = Bindings::default();
    bindings.visit_pat(pat);
    bindings.values
}

/// Whether `tokens` (a type or an expression) name `Self` or one of
/// `names` (generic parameters; lifetimes with their `'`): a path whose
/// first segment is one, or a lifetime. `customer::shopping_cart::Table`
/// does not name a parameter `Table`: only a path's first segment can.
pub fn mentions(tokens: TokenStream, names: &[String]) -> bool {
    let mut visitor = Mentions {
        names,
        found: false,
    };
    if let Ok(ty) = syn::parse2::<syn::Type>(tokens.clone()) {
        visitor.visit_type(&ty);
    } else if let Ok(expr) = syn::parse2::<syn::Expr>(tokens.clone()) {
        visitor.visit_expr(&expr);
    } else {
        return mentions_in_tokens(tokens, names);
    }
    visitor.found
}

/// What [`mentions`] looks for, found by walking the syntax tree.
struct Mentions<'n> {
    names: &'n [String],
    found: bool,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
        {
            let first = first.ident.to_string();
            // A path through a lower-case first segment (`customer::Cart`)
            // goes through a module: a const parameter has no items, and a
            // type parameter is upper camel case (a lower-case one through
            // which a path goes is left to the compiler's lint and error).
            let through_module =
                path.segments.len() > 1 && first.starts_with(|c: char| c.is_ascii_lowercase());
            if first == "Self" || (self.names.contains(&first) && !through_module) {
                self.found = true;
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_lifetime(&mut self, lifetime: &'ast syn::Lifetime) {
        if self.names.contains(&format!("'{}", lifetime.ident)) {
            self.found = true;
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // A macro's input is tokens: any of the names in it counts.
        if mentions_in_tokens(mac.tokens.clone(), self.names) {
            self.found = true;
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// Whether any token of `tokens` is `Self` or one of `names`: for tokens
/// that are not a type or an expression, where any may be a parameter.
fn mentions_in_tokens(tokens: TokenStream, names: &[String]) -> bool {
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
                if mentions_in_tokens(g.stream(), names) {
                    return true;
                }
                previous_quote = false;
            }
            TokenTree::Literal(_) => previous_quote = false,
        }
    }
    false
}

/// `tokens` with `Self` renamed, for [`mentions`] to look for the generic
/// parameters only.
fn renamed_self(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Ident(ident) if ident == "Self" => {
                TokenTree::Ident(Ident::new("__PgSectionsSelf", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), renamed_self(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other,
        })
        .collect()
}

/// The names of `generics`' parameters (lifetimes with their `'`).
pub fn generic_names(generics: &syn::Generics) -> Vec<String> {
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

/// `tokens` with every lifetime but those of `keep` (names without `'`)
/// made `'static`: where a check moves, the lifetimes a `for<'a>` or a
/// generic associated type declares are not in scope.
pub fn outlive_unless(tokens: TokenStream, keep: &[String]) -> TokenStream {
    // The lifetimes a `for<…>` inside declares stay, wherever it moves.
    let mut keep = keep.to_vec();
    keep.extend(higher_ranked(tokens.clone()));
    outlive_tokens(tokens, &keep)
}

/// The lifetimes `for<…>`s in `tokens` declare (names without `'`).
fn higher_ranked(tokens: TokenStream) -> Vec<String> {
    let mut found = Vec::new();
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "for" => {
                // `for < 'a , 'b >`: the names up to the closing `>`.
                let mut quote_before = false;
                for next in &tokens[i + 1..] {
                    match next {
                        TokenTree::Punct(p) if p.as_char() == '>' => break,
                        TokenTree::Punct(p) => quote_before = p.as_char() == '\'',
                        TokenTree::Ident(name) if quote_before => {
                            found.push(name.to_string());
                            quote_before = false;
                        }
                        _ => quote_before = false,
                    }
                }
            }
            TokenTree::Group(group) => found.extend(higher_ranked(group.stream())),
            _ => {}
        }
    }
    found
}

fn outlive_tokens(tokens: TokenStream, keep: &[String]) -> TokenStream {
    restatic(tokens, &|name| {
        name != "static" && !keep.iter().any(|k| k == name)
    })
}

/// `tokens` with each of `lifetimes` (names without `'`) made `'static`.
pub fn outlive(tokens: TokenStream, lifetimes: &[String]) -> TokenStream {
    restatic(tokens, &|name| lifetimes.iter().any(|l| l == name))
}

/// `tokens` with every lifetime whose name (without `'`) `replace` picks
/// made `'static`, in nested groups too.
fn restatic(tokens: TokenStream, replace: &dyn Fn(&str) -> bool) -> TokenStream {
    let mut out = Vec::new();
    let mut quote_before = false;
    for token in tokens {
        let token = match token {
            TokenTree::Ident(ident) if quote_before && replace(&ident.to_string()) => {
                TokenTree::Ident(Ident::new("static", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), restatic(group.stream(), replace));
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

/// Whether a type cannot be named on its own: it leaves something to
/// inference (`_`) or holds an `impl Trait`.
fn unnameable(tokens: TokenStream) -> bool {
    let mut quote_before = false;
    tokens.into_iter().any(|token| {
        let found = match &token {
            // `'_` is made `'static` for the probe.
            TokenTree::Ident(ident) => (ident == "_" && !quote_before) || ident == "impl",
            TokenTree::Punct(p) => p.as_char() == '_',
            TokenTree::Group(g) => unnameable(g.stream()),
            TokenTree::Literal(_) => false,
        };
        quote_before = matches!(&token, TokenTree::Punct(p) if p.as_char() == '\'');
        found
    })
}
