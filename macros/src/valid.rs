//! The lexical layer: every path in the item that names another section's
//! generated items is an error under that path.
//!
//! A path is foreign when it goes through another section's module to one of
//! its items (`customer::shopping_cart`, `db::customer::ShoppingCart`), goes
//! through another section's table module to its marker or a column
//! (`shopping_cart::Table`, `shopping_cart::quantity`), or is a single name
//! of another section's generated types (`ShoppingCart`, `Customer`). Names
//! the own section also generates are never foreign; a lone lower-case name
//! (`customer`) is a variable or module of the user's, not a violation.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::Visit;

use crate::manifest::{Item, Manifest, Section};

/// Collects one error per foreign path.
pub struct Checker<'m> {
    manifest: &'m Manifest,
    own: &'m Section,
    /// Errors in source order.
    pub errors: Vec<syn::Error>,
}

impl<'m> Checker<'m> {
    pub fn new(manifest: &'m Manifest, own: &'m Section) -> Self {
        Self {
            manifest,
            own,
            errors: Vec::new(),
        }
    }

    /// Checks one path, given as its segments' names and the tokens to put
    /// the error under.
    fn check(&mut self, segments: &[String], tokens: &dyn ToTokens) {
        if let Some(message) = self.violation(segments) {
            self.errors.push(syn::Error::new_spanned(tokens, message));
        }
    }

    fn check_spans(&mut self, segments: &[(String, Span)]) {
        let names: Vec<String> = segments.iter().map(|(n, _)| n.clone()).collect();
        if let Some(message) = self.violation(&names) {
            let first = segments.first().map_or_else(Span::call_site, |(_, s)| *s);
            let last = segments.last().map_or(first, |(_, s)| *s);
            let mut tokens = TokenStream::new();
            tokens.extend([TokenTree::Ident(proc_macro2::Ident::new("x", first))]);
            tokens.extend([TokenTree::Ident(proc_macro2::Ident::new("x", last))]);
            self.errors.push(syn::Error::new_spanned(tokens, message));
        }
    }

    fn violation(&self, segments: &[String]) -> Option<String> {
        for (i, segment) in segments.iter().enumerate() {
            // Through another section's module to one of its items.
            if let Some(section) = self.manifest.by_module(segment)
                && section.name != self.own.name
                && let Some(next) = segments.get(i + 1)
                && let Some(item) = section.member(next)
            {
                return Some(self.message(section, item, next));
            }
            // Through another section's table module to its marker or a column.
            if !self.own.owns_name(segment)
                && let Some(next) = segments.get(i + 1)
            {
                for section in self.others() {
                    if let Some((item, columns)) = section.relations.get(segment)
                        && (next == "Table" || columns.iter().any(|c| c == next))
                    {
                        return Some(self.message(section, item, segment));
                    }
                }
            }
        }
        // A single name of another section's generated types.
        if let [name] = segments
            && !self.own.owns_name(name)
        {
            for section in self.others() {
                if let Some(item) = section.types.get(name) {
                    return Some(self.message(section, item, name));
                }
            }
        }
        None
    }

    fn others(&self) -> impl Iterator<Item = &'m Section> + '_ {
        let own = self.own.name.clone();
        self.manifest.sections.iter().filter(move |s| s.name != own)
    }

    fn message(&self, section: &Section, item: &Item, name: &str) -> String {
        let own = &self.own.name;
        let other = &section.name;
        let what = match item {
            Item::Relation { kind, sql } => format!("{kind} `{}.{sql}`", section.schema),
            Item::Enum { sql } => format!("enum `{}.{sql}`", section.schema),
            Item::Marker => format!("`{name}`, the marker of section `{other}`,"),
        };
        let verb = if matches!(item, Item::Marker) {
            format!("{what} cannot be used in section `{own}`")
        } else {
            format!("{what} belongs to section `{other}`, not `{own}`")
        };
        format!("{verb}; move this to a service or to a `#[section(\"{other}\")]` repository")
    }
}

impl<'ast> Visit<'ast> for Checker<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|s| s.ident.to_string().trim_start_matches("r#").to_owned())
            .collect();
        self.check(&segments, path);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.use_tree(&item.tree, &mut prefix);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.macro_tokens(mac.tokens.clone());
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Attributes hold docs, lints and derives: no section items.
    }
}

impl Checker<'_> {
    /// Every path of a `use` tree, with the idents of the path as the span.
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<(String, Span)>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push((p.ident.to_string(), p.ident.span()));
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push((n.ident.to_string(), n.ident.span()));
                self.check_spans(prefix);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push((r.ident.to_string(), r.ident.span()));
                self.check_spans(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(g) => {
                // `use customer::*` reaches every item of the section.
                if let Some((last, span)) = prefix.last()
                    && let Some(section) = self.manifest.by_module(last)
                    && section.name != self.own.name
                {
                    let message = format!(
                        "`{last}::*` imports the items of section `{}` into section `{}`; move this to a service or to a `#[section(\"{}\")]` repository",
                        section.name, self.own.name, section.name
                    );
                    let mut tokens = TokenStream::new();
                    tokens.extend([TokenTree::Ident(proc_macro2::Ident::new("x", *span))]);
                    tokens.extend(g.star_token.to_token_stream());
                    self.errors.push(syn::Error::new_spanned(tokens, message));
                }
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(item, prefix);
                }
            }
        }
    }

    /// Macro arguments are not parsed; look for `a::b::c` runs of idents.
    fn macro_tokens(&mut self, tokens: TokenStream) {
        let mut run: Vec<(String, Span)> = Vec::new();
        let mut colons = 0;
        let flush = |checker: &mut Self, run: &mut Vec<(String, Span)>| {
            if !run.is_empty() {
                checker.check_spans(run);
                run.clear();
            }
        };
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => {
                    if !run.is_empty() && colons != 2 {
                        flush(self, &mut run);
                    }
                    colons = 0;
                    run.push((ident.to_string(), ident.span()));
                }
                TokenTree::Punct(p) if p.as_char() == ':' && !run.is_empty() => {
                    colons += 1;
                }
                TokenTree::Group(g) => {
                    flush(self, &mut run);
                    colons = 0;
                    self.macro_tokens(g.stream());
                }
                _ => {
                    flush(self, &mut run);
                    colons = 0;
                }
            }
        }
        flush(self, &mut run);
    }
}
