//! Rust source written as text, for what every table and view generates.
//!
//! A build script runs unoptimised: there, building `quote!` token trees
//! (every identifier checked, every literal escaped char by char, every
//! nested stream copied into its parent) and printing them again cost
//! most of a section's time. The items of a relation are fixed in shape,
//! so they are written straight into the file, already laid out as
//! `compact` lays out tokens (one item, field or statement per line); the
//! formatted output (`print`, the goldens) parses the same text and hands
//! it to prettyplease, so both read back as the same tokens.

use std::fmt::{self, Write as _};

/// A file's text, written line by line at a nesting depth.
pub(crate) struct Code {
    out: String,
    depth: usize,
}

/// `w!(code, "format", args…)`: one line of `code`, indented.
macro_rules! w {
    ($code:expr, $($arg:tt)*) => {
        $code.line(format_args!($($arg)*))
    };
}
pub(crate) use w;

impl Code {
    pub(crate) fn new() -> Self {
        Code {
            out: String::with_capacity(8 * 1024),
            depth: 0,
        }
    }

    /// One line at the current depth.
    pub(crate) fn line(&mut self, text: fmt::Arguments<'_>) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        match text.as_str() {
            Some(text) => self.out.push_str(text),
            None => {
                let _ = self.out.write_fmt(text);
            }
        }
        self.out.push('\n');
    }

    /// A line ending in `{`: what follows is one level deeper.
    pub(crate) fn open(&mut self, head: fmt::Arguments<'_>) {
        self.open_with(head, "{");
    }

    /// A line ending in `delimiter` (`{`, `[`): what follows is one level
    /// deeper.
    pub(crate) fn open_with(&mut self, head: fmt::Arguments<'_>, delimiter: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        let _ = self.out.write_fmt(head);
        self.out.push(' ');
        self.out.push_str(delimiter);
        self.out.push('\n');
        self.depth += 1;
    }

    /// The `}` of the last [`Code::open`].
    pub(crate) fn close(&mut self) {
        self.close_with("}");
    }

    /// The line that closes the last [`Code::open_with`] (`}`, `})`, `];`).
    pub(crate) fn close_with(&mut self, line: &str) {
        self.depth -= 1;
        w!(self, "{line}");
    }

    /// `#[doc = "…"]` per line of `text`, each line starting with a space
    /// (as `///` comments do), as `docs::doc_attrs` writes them.
    pub(crate) fn doc(&mut self, text: &str) {
        for line in text.split('\n') {
            let space = if line.is_empty() || line.starts_with(' ') {
                ""
            } else {
                " "
            };
            w!(self, "#[doc = {}]", Str(&format!("{space}{line}")));
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// A string literal: `text` quoted and escaped as `proc_macro2` escapes
/// it, so that both ways of writing a file give the same bytes.
pub(crate) struct Str<'a>(pub(crate) &'a str);

impl fmt::Display for Str<'_> {
    #[allow(
        clippy::manual_range_contains,
        reason = "a range's `contains` is a call per byte in an unoptimised build script"
    )]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        let text = self.0;
        let bytes = text.as_bytes();
        // `text[plain..at]` needs no escape: written in one piece.
        let (mut plain, mut at) = (0, 0);
        while at < bytes.len() {
            let byte = bytes[at];
            if byte >= 0x20 && byte < 0x7f && byte != b'"' && byte != b'\\' {
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().unwrap_or_default();
            let width = c.len_utf8();
            if !c.is_ascii() && c.escape_debug().len() == 1 {
                at += width;
                continue;
            }
            f.write_str(&text[plain..at])?;
            at += width;
            plain = at;
            if c == '\0' {
                let octal_next = text[at..].starts_with(|next: char| ('0'..='7').contains(&next));
                f.write_str(if octal_next { "\\x00" } else { "\\0" })?;
            } else {
                write!(f, "{}", c.escape_debug())?;
            }
        }
        f.write_str(&text[plain..])?;
        f.write_char('"')
    }
}

/// `items` written one after the other, with `sep` between them.
pub(crate) struct List<I>(pub(crate) I, pub(crate) &'static str);

impl<I> fmt::Display for List<I>
where
    I: Iterator + Clone,
    I::Item: fmt::Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.clone().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// String literals separated by `, `: a `&[&str]` constant's elements.
pub(crate) fn strs<'a, I>(items: I) -> List<impl Iterator<Item = Str<'a>> + Clone>
where
    I: Iterator<Item = &'a str> + Clone,
{
    List(items.map(Str), ", ")
}

#[cfg(test)]
mod tests {
    use proc_macro2::Literal;

    use super::{Code, Str, strs};

    #[test]
    fn string_literals_are_escaped_as_proc_macro2_escapes_them() {
        for text in [
            "",
            "plain text",
            "quote \" backslash \\ apostrophe '",
            "tab\tnewline\ncarriage\r",
            "nul\0 then nul\x007 bell\x07 del\x7f",
            "é ñ 中文 🎉 zero\u{200b}width combining\u{301}",
            "\u{feff}bom \u{2028}separator",
        ] {
            assert_eq!(
                Str(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn lines_are_indented_by_depth_and_docs_start_with_a_space() {
        let mut code = Code::new();
        code.open(format_args!("pub mod m"));
        code.doc("first\n second\n");
        w!(
            code,
            "const C: &[&str] = &[{}];",
            strs(["a", "b\"c"].into_iter())
        );
        code.close();
        assert_eq!(
            code.finish(),
            "pub mod m {\n    #[doc = \" first\"]\n    #[doc = \" second\"]\n    #[doc = \"\"]\n    const C: &[&str] = &[\"a\", \"b\\\"c\"];\n}\n"
        );
    }
}
