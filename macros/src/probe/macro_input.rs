//! The input of the macros whose input is code: the standard ones that
//! evaluate their arguments (`format!` and the printing ones, with the
//! names their format string captures, `write!`, `dbg!`, the `assert!`s,
//! `vec!`, `matches!`' value, `panic!`, `todo!`, `pin!`, `addr_of!`,
//! `offset_of!`'s type) and the async runtimes' (`tokio::join!`/`select!`,
//! `futures::join!`), read as syntax and written back after probing.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::visit::Visit;

/// Macro input is not code until it expands (`stringify!`), except for the
/// standard macros that evaluate their arguments.
pub fn visit_macro_args<V: for<'any> Visit<'any>>(visitor: &mut V, mac: &syn::Macro) {
    if let Some(args) = MacroArgs::parse(mac) {
        for expr in args.exprs() {
            visitor.visit_expr(expr);
        }
    }
}

/// The arguments of a standard macro that evaluates them as expressions
/// (`dbg!`, `vec!`, `assert!`, `format!` and the printing ones, `write!`,
/// `panic!`, the first of `matches!`): probed as the code they are.
pub enum MacroArgs {
    /// `dbg!(a, b)`, `format!("{}", a)`, with the position of the format
    /// string among them, if the macro takes one.
    List(Punctuated<syn::Expr, syn::Token![,]>, Option<usize>),
    /// `vec![value; count]`.
    Repeat(Box<syn::Expr>, syn::Token![;], Box<syn::Expr>),
    /// `matches!(value, pattern)`: the value, and the rest as it is.
    Leading(Box<syn::Expr>, TokenStream),
    /// `tokio::select! { [biased;] pattern = future[, if guard] => handler, … [else => handler] }`.
    Select(Vec<SelectPart>),
    /// `addr_of!(place)`: probed where the scope starts, not rewritten.
    Place(Box<syn::Expr>),
    /// `offset_of!(Type, field)`: the type, and the rest as it is.
    Type(Box<syn::Type>, TokenStream),
}

/// A part of `tokio::select!`'s input.
pub enum SelectPart {
    /// `biased;`, as written.
    Verbatim(TokenStream),
    /// `pattern = future[, if guard] => handler[,]` or `else => handler[,]`.
    Branch(Box<SelectBranch>),
}

/// A branch of `tokio::select!`: the pattern as written, each expression
/// probed.
pub struct SelectBranch {
    head: TokenStream,
    /// The pattern, whose names the handler may use.
    pattern: Option<syn::Pat>,
    future: Option<syn::Expr>,
    guard: Option<(TokenStream, syn::Expr)>,
    arrow: TokenStream,
    handler: syn::Expr,
    comma: Option<syn::Token![,]>,
}

impl SelectBranch {
    fn exprs(&self) -> impl Iterator<Item = &syn::Expr> {
        [
            self.future.as_ref(),
            self.guard.as_ref().map(|(_, g)| g),
            Some(&self.handler),
        ]
        .into_iter()
        .flatten()
    }

    fn exprs_mut(&mut self) -> impl Iterator<Item = &mut syn::Expr> {
        [
            self.future.as_mut(),
            self.guard.as_mut().map(|(_, g)| g),
            Some(&mut self.handler),
        ]
        .into_iter()
        .flatten()
    }
}

impl ToTokens for SelectBranch {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.head.to_tokens(tokens);
        self.future.to_tokens(tokens);
        if let Some((keyword, guard)) = &self.guard {
            keyword.to_tokens(tokens);
            guard.to_tokens(tokens);
        }
        self.arrow.to_tokens(tokens);
        self.handler.to_tokens(tokens);
        self.comma.to_tokens(tokens);
    }
}

impl syn::parse::Parse for SelectPart {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        if input.peek(syn::Ident) && input.peek2(syn::Token![;]) {
            let biased: Ident = input.parse()?;
            if biased != "biased" {
                return Err(syn::Error::new(biased.span(), "expected `biased;`"));
            }
            let semi: syn::Token![;] = input.parse()?;
            return Ok(Self::Verbatim(quote!(#biased #semi)));
        }
        // `else => handler`, or `pattern =`.
        let (head, pattern, future) = if input.peek(syn::Token![else]) {
            let keyword: syn::Token![else] = input.parse()?;
            (keyword.to_token_stream(), None, None)
        } else {
            let pattern = syn::Pat::parse_multi_with_leading_vert(input)?;
            let eq: syn::Token![=] = input.parse()?;
            let future: syn::Expr = input.parse()?;
            (quote!(#pattern #eq), Some(pattern), Some(future))
        };
        let guard = if input.peek(syn::Token![,]) && input.peek2(syn::Token![if]) {
            let comma: syn::Token![,] = input.parse()?;
            let keyword: syn::Token![if] = input.parse()?;
            let guard: syn::Expr = input.parse()?;
            Some((quote!(#comma #keyword), guard))
        } else {
            None
        };
        let arrow: syn::Token![=>] = input.parse()?;
        let handler: syn::Expr = input.parse()?;
        let comma = if input.is_empty() || matches!(handler, syn::Expr::Block(_)) {
            input.parse()?
        } else {
            Some(input.parse()?)
        };
        Ok(Self::Branch(Box::new(SelectBranch {
            head,
            pattern,
            future,
            guard,
            arrow: arrow.to_token_stream(),
            handler,
            comma,
        })))
    }
}

impl MacroArgs {
    pub fn parse(mac: &syn::Macro) -> Option<Self> {
        let name = mac.path.segments.last()?.ident.to_string();
        let list = |tokens: TokenStream| {
            syn::parse::Parser::parse2(Punctuated::parse_terminated, tokens).ok()
        };
        match name.as_str() {
            "vec" => {
                let repeat = |input: syn::parse::ParseStream| {
                    Ok(Self::Repeat(input.parse()?, input.parse()?, input.parse()?))
                };
                syn::parse::Parser::parse2(repeat, mac.tokens.clone())
                    .ok()
                    .or_else(|| list(mac.tokens.clone()).map(|list| Self::List(list, None)))
            }
            "matches" => {
                let leading = |input: syn::parse::ParseStream| {
                    Ok(Self::Leading(input.parse()?, input.parse()?))
                };
                syn::parse::Parser::parse2(leading, mac.tokens.clone()).ok()
            }
            "dbg" | "assert" | "assert_eq" | "assert_ne" | "debug_assert" | "debug_assert_eq"
            | "debug_assert_ne" | "format" | "format_args" | "print" | "println" | "eprint"
            | "eprintln" | "panic" | "write" | "writeln" | "todo" | "unreachable"
            | "unimplemented" | "pin" => {
                // Where the format string is, for the names it captures.
                let format = match name.as_str() {
                    "dbg" | "pin" => None,
                    "write" | "writeln" | "assert" | "debug_assert" => Some(1),
                    "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
                    _ => Some(0),
                };
                list(mac.tokens.clone()).map(|list| Self::List(list, format))
            }
            // A place, whose paths are probed where the scope starts (a
            // value there would be no place).
            "addr_of" | "addr_of_mut" => syn::parse2(mac.tokens.clone())
                .ok()
                .map(|place| Self::Place(Box::new(place))),
            // A type and a field: the type is probed.
            "offset_of" => {
                let type_and_rest = |input: syn::parse::ParseStream| {
                    let ty: syn::Type = input.parse()?;
                    let rest: TokenStream = input.parse()?;
                    Ok(Self::Type(Box::new(ty), rest))
                };
                syn::parse::Parser::parse2(type_and_rest, mac.tokens.clone()).ok()
            }
            // The async runtimes' joins, named by their crate (a macro of
            // one's own called `join!` may take other input): each argument
            // is a future, code like any other.
            "join" | "try_join"
                if mac.path.segments.len() > 1
                    && mac
                        .path
                        .segments
                        .first()
                        .is_some_and(|s| s.ident == "tokio" || s.ident == "futures") =>
            {
                list(mac.tokens.clone()).map(|list| Self::List(list, None))
            }
            // tokio's `select!`, by that path: its branches' futures, guards
            // and handlers are code.
            "select"
                if mac.path.segments.len() > 1
                    && mac
                        .path
                        .segments
                        .first()
                        .is_some_and(|s| s.ident == "tokio") =>
            {
                let parts = |input: syn::parse::ParseStream| {
                    let mut parts = Vec::new();
                    while !input.is_empty() {
                        parts.push(input.parse()?);
                    }
                    Ok(Self::Select(parts))
                };
                syn::parse::Parser::parse2(parts, mac.tokens.clone()).ok()
            }
            _ => None,
        }
    }

    /// The names the macro's format string captures (`"{PAID}"`,
    /// `"{Paid:?}"`, `"{_PAID}"`) that are not lower-case (a variable's)
    /// nor its own named arguments, under the string's span.
    pub fn captures(&self) -> Vec<syn::ExprPath> {
        let Self::List(list, Some(format)) = self else {
            return Vec::new();
        };
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(literal),
            ..
        })) = list.iter().nth(*format)
        else {
            return Vec::new();
        };
        // `name = value` arguments are the format's own, not captures.
        let named: Vec<String> = list
            .iter()
            .skip(format + 1)
            .filter_map(|arg| match arg {
                syn::Expr::Assign(assign) => match &*assign.left {
                    syn::Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        format_captures(&literal.value())
            .into_iter()
            .filter(|name| {
                !named.contains(name)
                    && name.trim_start_matches('_').starts_with(char::is_uppercase)
            })
            .filter_map(|name| {
                // Only what Rust takes as an identifier (not a keyword).
                let ident = syn::parse_str::<Ident>(&name).ok()?;
                Some(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: Ident::new(&ident.to_string(), literal.span()).into(),
                })
            })
            .collect()
    }

    /// The patterns whose names the input binds: `tokio::select!`'s.
    pub fn patterns(&self) -> Vec<&syn::Pat> {
        match self {
            Self::Select(parts) => parts
                .iter()
                .filter_map(|part| match part {
                    SelectPart::Branch(branch) => branch.pattern.as_ref(),
                    SelectPart::Verbatim(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn exprs(&self) -> Vec<&syn::Expr> {
        match self {
            // A format's named argument (`N = x + 1`) is its value.
            Self::List(list, Some(_)) => list.iter().map(named_value).collect(),
            Self::List(list, None) => list.iter().collect(),
            Self::Repeat(value, _, count) => vec![value, count],
            Self::Leading(value, _) => vec![value],
            Self::Place(place) => vec![place],
            Self::Type(..) => Vec::new(),
            Self::Select(parts) => parts
                .iter()
                .filter_map(|part| match part {
                    SelectPart::Verbatim(_) => None,
                    SelectPart::Branch(branch) => Some(branch.exprs()),
                })
                .flatten()
                .collect(),
        }
    }

    /// The expressions that run (a repeat's count is a constant).
    pub fn runtime_exprs_mut(&mut self) -> Vec<&mut syn::Expr> {
        match self {
            Self::List(list, Some(_)) => list.iter_mut().map(named_value_mut).collect(),
            Self::List(list, None) => list.iter_mut().collect(),
            Self::Repeat(value, _, _) | Self::Leading(value, _) => vec![value],
            Self::Place(_) | Self::Type(..) => Vec::new(),
            Self::Select(parts) => parts
                .iter_mut()
                .filter_map(|part| match part {
                    SelectPart::Verbatim(_) => None,
                    SelectPart::Branch(branch) => Some(branch.exprs_mut()),
                })
                .flatten()
                .collect(),
        }
    }
}

impl ToTokens for MacroArgs {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::List(list, _) => list.to_tokens(tokens),
            Self::Repeat(value, semi, count) => {
                value.to_tokens(tokens);
                semi.to_tokens(tokens);
                count.to_tokens(tokens);
            }
            Self::Leading(value, rest) => {
                value.to_tokens(tokens);
                rest.to_tokens(tokens);
            }
            Self::Place(place) => place.to_tokens(tokens),
            Self::Type(ty, rest) => {
                ty.to_tokens(tokens);
                rest.to_tokens(tokens);
            }
            Self::Select(parts) => {
                for part in parts {
                    match part {
                        SelectPart::Verbatim(verbatim) => verbatim.to_tokens(tokens),
                        SelectPart::Branch(branch) => branch.to_tokens(tokens),
                    }
                }
            }
        }
    }
}

/// A format macro's argument, less the name of a named one (`N = x + 1`).
fn named_value(arg: &syn::Expr) -> &syn::Expr {
    match arg {
        syn::Expr::Assign(assign) if matches!(&*assign.left, syn::Expr::Path(p) if p.path.get_ident().is_some()) => {
            &assign.right
        }
        other => other,
    }
}

/// [`named_value`], to change.
fn named_value_mut(arg: &mut syn::Expr) -> &mut syn::Expr {
    let named = matches!(arg, syn::Expr::Assign(assign)
        if matches!(&*assign.left, syn::Expr::Path(p) if p.path.get_ident().is_some()));
    if !named {
        return arg;
    }
    match arg {
        syn::Expr::Assign(assign) => &mut assign.right,
        other => other,
    }
}

/// The identifiers a format string captures: `{name}`, `{name:…}`, and
/// `name$` widths and precisions; not positions, nor `{{` escapes.
fn format_captures(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let Some(close) = rest.find('}') else {
            break;
        };
        let spec = &rest[..close];
        rest = &rest[close + 1..];
        let (argument, format) = spec.split_once(':').unwrap_or((spec, ""));
        let identifier = |word: &str| {
            let word = word.trim().trim_start_matches("r#");
            (word.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && word.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .then(|| word.to_owned())
        };
        names.extend(identifier(argument));
        // `{:width$.precision$}`: each `name$`.
        for piece in format
            .split('$')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, p)| p)
        {
            let word = piece
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default();
            names.extend(identifier(word));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::format_captures;

    #[test]
    fn a_format_string_captures_names_not_positions_or_escapes() {
        assert_eq!(
            format_captures("{PAID} {0} {} {{Escaped}} {x:>width$.prec$} {Paid:?} {r#Raw}}}"),
            ["PAID", "x", "width", "prec", "Paid", "Raw"]
        );
        assert_eq!(format_captures("{:?} {{}} {"), Vec::<String>::new());
        assert_eq!(format_captures("{ÉTAT} {_PAID:#?}"), ["ÉTAT", "_PAID"]);
    }
}
