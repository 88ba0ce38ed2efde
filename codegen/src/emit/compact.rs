//! Tokens → source text in one pass, for the files nobody reads first
//! (`OUT_DIR`): no syn tree and no prettyplease (a build script runs
//! unoptimised, where they cost seconds), yet one item, field, statement or
//! attribute per line, indented by braces, spaced as people write Rust, so
//! that a compiler error or a "go to definition" into the file lands on a
//! line that reads.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// `tokens` as Rust source, the same tokens again when read back.
#[cfg(test)]
pub(crate) fn print(tokens: TokenStream) -> String {
    let mut printer = Printer::new();
    printer.items(tokens);
    printer.finish()
}

/// `tokens` (a type, an expression) as text on one line.
pub(crate) fn inline(tokens: TokenStream) -> String {
    let mut printer = Printer::new_sized(32);
    printer.stream(tokens, false);
    printer.out
}

/// Text of already laid-out lines (`text::Code`) among printed items.
impl Printer {
    pub(crate) fn text(&mut self, text: &str) {
        self.newline();
        self.out.push_str(text);
        self.last = Last::LineStart;
    }
}

/// What was written last, which decides the space before the next token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    LineStart,
    /// A word: identifier, keyword or literal.
    Word,
    /// `(` or `[`, or the `<` of generic arguments.
    Open,
    /// `)`, `]`, or the `>` of generic arguments.
    Close,
    /// A token the next one is written against (`.`, `::`, a unary `&`, a
    /// joint punctuation such as the `-` of `->`).
    Glued,
    /// Any other punctuation.
    Punct,
    /// A keyword that starts what follows (`impl`, `for`, `use`, …) or a
    /// lifetime: a space before `(`, `[` or `::`.
    Keyword,
}

/// The keywords after which `(`, `[` and `::` start something new.
const KEYWORDS: [&str; 28] = [
    "as", "async", "break", "const", "continue", "dyn", "else", "enum", "extern", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "ref", "return", "static",
    "struct", "trait", "type", "unsafe", "use",
];

/// A file printed item by item: the tokens of one item can be dropped
/// before the next is built.
pub(crate) struct Printer {
    out: String,
    /// Brace nesting: the indentation of the next line.
    depth: usize,
    last: Last,
    /// The last token is a punctuation joined to the next (the `:` of `::`).
    joint: bool,
}

impl Printer {
    pub(crate) fn new() -> Self {
        Self::new_sized(64 * 1024)
    }

    fn new_sized(capacity: usize) -> Self {
        Printer {
            out: String::with_capacity(capacity),
            depth: 0,
            last: Last::LineStart,
            joint: false,
        }
    }

    /// The next items of the file (the text is what one stream of every
    /// item would print: an item ends with `}` or `;`, which ends its line).
    pub(crate) fn items(&mut self, tokens: TokenStream) {
        self.stream(tokens, true);
    }

    /// The text, ending with a newline.
    pub(crate) fn finish(mut self) -> String {
        if !matches!(self.last, Last::LineStart) {
            self.out.push('\n');
        }
        self.out
    }

    /// A stream of tokens; `lines`: its commas, semicolons and braces end
    /// lines (a brace body, or the file).
    fn stream(&mut self, tokens: TokenStream, lines: bool) {
        let mut tokens = tokens.into_iter().peekable();
        // The `<` of generic arguments still open in this stream.
        let mut angles = 0_usize;
        while let Some(token) = tokens.next() {
            match token {
                TokenTree::Group(group) => {
                    let delimiter = group.delimiter();
                    let inner = group.stream();
                    // The last handle on the tokens: iterating them then
                    // moves them instead of copying every one.
                    drop(group);
                    match delimiter {
                        Delimiter::Brace => {
                            self.space_unless(false);
                            if inner.is_empty() {
                                self.out.push_str("{}");
                            } else {
                                self.out.push('{');
                                self.depth += 1;
                                self.newline();
                                self.stream(inner, true);
                                self.depth -= 1;
                                self.newline();
                                self.indent();
                                self.out.push('}');
                            }
                            self.last = Last::Close;
                            // `}` ends a line unless what follows belongs to it.
                            let continues = match tokens.peek() {
                                Some(TokenTree::Punct(p)) => {
                                    matches!(p.as_char(), ',' | ';' | '.' | '?')
                                }
                                Some(TokenTree::Ident(i)) => i == "else",
                                _ => false,
                            };
                            if lines && !continues {
                                self.newline();
                            }
                        }
                        Delimiter::Parenthesis => self.delimited('(', inner, ')'),
                        Delimiter::Bracket => self.delimited('[', inner, ']'),
                        Delimiter::None => self.stream(inner, lines),
                    }
                }
                TokenTree::Ident(ident) => {
                    let lifetime = self.joint && self.out.ends_with('\'');
                    self.space_unless(false);
                    let start = self.out.len();
                    let _ = write!(self.out, "{ident}");
                    self.last = if lifetime
                        || KEYWORDS.contains(&&self.out[start..])
                        || &self.out[start..] == "where"
                        || &self.out[start..] == "while"
                    {
                        Last::Keyword
                    } else {
                        Last::Word
                    };
                }
                TokenTree::Literal(literal) => {
                    self.space_unless(false);
                    let _ = write!(self.out, "{literal}");
                    self.last = Last::Word;
                }
                TokenTree::Punct(punct) => {
                    let c = punct.as_char();
                    let joint = punct.spacing() == Spacing::Joint;
                    let next_punct = match tokens.peek() {
                        Some(TokenTree::Punct(p)) => Some(p.as_char()),
                        _ => None,
                    };
                    let after_word = matches!(self.last, Last::Word | Last::Close);
                    // The `>` of generic arguments.
                    let mut closes = false;
                    // Glued to what comes before, and to what comes after.
                    let (before, after) = match c {
                        // The second `>` of `>>` closing two generic lists.
                        '>' if self.joint && angles > 0 && self.out.ends_with('>') => {
                            angles -= 1;
                            closes = true;
                            (true, false)
                        }
                        // The rest of an operator (`::`, `->`, `&&`, `..`).
                        _ if self.joint => (true, matches!(c, ':' | '.')),
                        ',' | ';' => (true, false),
                        '.' | '?' => (true, c == '.'),
                        ':' if joint => (after_word, true),
                        ':' => (true, false),
                        '!' if self.last == Last::Word && !joint => (true, true),
                        '<' if !joint
                            && (matches!(self.last, Last::Word | Last::Keyword)
                                || self.out.ends_with("::")) =>
                        {
                            angles += 1;
                            (true, !matches!(next_punct, Some('<' | '=' | '-')))
                        }
                        '>' if angles > 0 => {
                            angles -= 1;
                            closes = true;
                            (true, false)
                        }
                        '&' | '*' | '-' | '!' if !after_word => (false, true),
                        '#' => (false, true),
                        _ => (false, false),
                    };
                    self.space_unless(before);
                    self.out.push(c);
                    self.joint = joint;
                    self.last = if joint || after {
                        Last::Glued
                    } else if closes {
                        Last::Close
                    } else {
                        Last::Punct
                    };
                    if c == '<' && after && !joint {
                        self.last = Last::Open;
                    }
                    if lines && (c == ';' || c == ',' && angles == 0) {
                        self.newline();
                    } else if c == '#' && lines {
                        // An attribute: `#[…]` or `#![…]` on a line of its own.
                        if let Some(TokenTree::Punct(bang)) = tokens.peek()
                            && bang.as_char() == '!'
                        {
                            self.out.push('!');
                            tokens.next();
                        }
                        if let Some(TokenTree::Group(attr)) = tokens.next() {
                            let inner = attr.stream();
                            drop(attr);
                            self.delimited('[', inner, ']');
                            self.newline();
                        }
                    }
                }
            }
        }
    }

    /// `(…)` or `[…]`: a call or an index stays against its callee.
    fn delimited(&mut self, open: char, inner: TokenStream, close: char) {
        self.space_unless(matches!(self.last, Last::Word | Last::Close));
        self.out.push(open);
        self.last = Last::Open;
        self.stream(inner, false);
        self.out.push(close);
        self.last = Last::Close;
    }

    /// The indentation at the start of a line, else a space unless the
    /// token is `glued` to the last or the last is glued to it.
    fn space_unless(&mut self, glued: bool) {
        self.joint = false;
        match self.last {
            Last::LineStart => self.indent(),
            Last::Open | Last::Glued => {}
            Last::Word | Last::Close | Last::Punct | Last::Keyword if !glued => {
                self.out.push(' ');
            }
            _ => {}
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
    }

    fn newline(&mut self) {
        if self.last != Last::LineStart {
            self.out.push('\n');
            self.last = Last::LineStart;
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Spacing, TokenStream, TokenTree};
    use quote::quote;

    use super::print;

    /// `tokens` printed, checked to read back as the same tokens.
    fn printed(tokens: &TokenStream) -> String {
        let text = print(tokens.clone());
        let back: TokenStream = text.parse().expect("the printed text lexes");
        assert_eq!(lexed(back), lexed(tokens.clone()), "{text}");
        text
    }

    /// The tokens as rustc reads them: punctuation that touches is one
    /// operator, the longest it can be.
    fn lexed(tokens: TokenStream) -> Vec<String> {
        const OPERATORS: [&str; 25] = [
            "<<=", ">>=", "...", "..=", "::", "->", "<-", "=>", "==", "!=", "<=", ">=", "&&", "||",
            "+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "..",
        ];
        fn walk(tokens: TokenStream, out: &mut Vec<String>) {
            let mut run = String::new();
            for token in tokens {
                if let TokenTree::Punct(p) = &token {
                    run.push(p.as_char());
                    if p.spacing() == Spacing::Joint {
                        continue;
                    }
                }
                let mut rest = run.as_str();
                while !rest.is_empty() {
                    let op = OPERATORS
                        .iter()
                        .find(|op| rest.starts_with(*op))
                        .map_or(&rest[..1], |op| *op);
                    out.push(op.to_owned());
                    rest = &rest[op.len()..];
                }
                run.clear();
                match token {
                    TokenTree::Group(g) => {
                        out.push(format!("{:?}", g.delimiter()));
                        walk(g.stream(), out);
                        out.push("end".to_owned());
                    }
                    TokenTree::Punct(_) => {}
                    other => out.push(other.to_string()),
                }
            }
            assert!(run.is_empty(), "a joint punctuation ends the stream");
        }
        let mut out = Vec::new();
        walk(tokens, &mut out);
        out
    }

    #[test]
    fn fields_after_nested_generics_closed_by_one_shift_token_keep_their_lines() {
        let text = printed(&quote! {
            pub struct Row {
                pub a: Option<Vec<String>>,
                pub b: Box<dyn Fn(i32) -> Vec<u8>>,
                pub c: u8,
            }
        });
        assert_eq!(
            text,
            "pub struct Row {\n    pub a: Option<Vec<String>>,\n    pub b: Box<dyn Fn(i32) -> Vec<u8>>,\n    pub c: u8,\n}\n"
        );
    }

    #[test]
    fn items_fields_and_statements_are_lines_of_their_own() {
        let text = printed(&quote! {
            #[doc = " A row."]
            #[derive(Debug, Clone)]
            pub struct Row<'a> {
                pub id: i32,
                pub name: &'a str,
                pub tags: ::std::vec::Vec<::std::string::String>,
            }
            impl Row<'_> {
                pub fn get(&self, n: usize) -> ::core::option::Option<i32> {
                    let x = if self.id > 0 && !self.name.is_empty() { Some(self.id) } else { None };
                    match x { Some(v) => v.checked_add(-1), None => None }
                }
            }
            const EMPTY: [u8; 0] = [];
            fn unit() {}
            impl Marker for Row<'static> {}
            impl ::pg::Names for (::pg::Char<'a'>, ::pg::Char<'b'>,) {}
            pub const NAMES: &'static [&'static str] = &["a"];
            pub const id: ::pg::Column<Table, Option<i32>> = ::pg::Column::new("id", 0);
            impl<T: Into<i32>> From<T> for Row<'static> { fn from(t: T) -> Self { for x in [1] { let _ = x; } Self::new() } }
        });
        assert_eq!(
            text,
            r#"#[doc = " A row."]
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub id: i32,
    pub name: &'a str,
    pub tags: ::std::vec::Vec<::std::string::String>,
}
impl Row<'_> {
    pub fn get(&self, n: usize) -> ::core::option::Option<i32> {
        let x = if self.id > 0 && !self.name.is_empty() {
            Some(self.id)
        } else {
            None
        };
        match x {
            Some(v) => v.checked_add(-1),
            None => None
        }
    }
}
const EMPTY: [u8; 0] = [];
fn unit() {}
impl Marker for Row<'static> {}
impl ::pg::Names for (::pg::Char<'a'>, ::pg::Char<'b'>,) {}
pub const NAMES: &'static [&'static str] = &["a"];
pub const id: ::pg::Column<Table, Option<i32>> = ::pg::Column::new("id", 0);
impl<T: Into<i32>> From<T> for Row<'static> {
    fn from(t: T) -> Self {
        for x in [1] {
            let _ = x;
        }
        Self::new()
    }
}
"#
        );
    }

    #[test]
    fn tokens_that_would_join_are_kept_apart() {
        // `x: ::core` must not become `x:::core`, `a < -1` not `a<-1`, nor
        // `Vec<u8> = v` `Vec<u8>= v`.
        let text = printed(&quote! {
            fn f(x: ::core::primitive::u8, a: i32) -> bool { let v: Vec<u8> = vec![x]; a < -1 || v.len() >= 2 }
        });
        assert!(text.contains("x: ::core"), "{text}");
        assert!(!text.contains("<-"), "{text}");
        assert!(text.contains("Vec<u8> = vec![x]"), "{text}");
        assert!(text.contains(">= 2"), "{text}");
    }
}
