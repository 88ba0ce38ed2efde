//! SQL names and comments as Markdown for doc comments: text that shows
//! what the database holds and does nothing else.
//!
//! A comment comes from whoever can run `COMMENT ON` (the live source reads
//! it from the server), and rustdoc runs fenced and indented code blocks as
//! doctests: so nothing from the database may become a code block, a link,
//! HTML or any other markup.

use proc_macro2::TokenStream;
use quote::quote;

/// `text` inside a Markdown code span: shown verbatim, whatever it holds.
/// Backticks in it get a longer fence; line breaks and other control
/// characters are shown escaped (`\n`), so the span stays on one line.
pub(crate) fn code(text: &str) -> String {
    let visible = visible(text);
    let mut longest = 0;
    let mut run = 0;
    for c in visible.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || visible.starts_with(' ') || visible.ends_with(' ') || visible.is_empty() {
        format!("{fence} {visible} {fence}")
    } else {
        format!("{fence}{visible}{fence}")
    }
}

/// A comment as Markdown paragraphs that render its text as written: every
/// character that could start markup is backslash-escaped, and indentation
/// (an indented code block) is dropped. Each line starts with a space, as
/// `///` comments do.
pub(crate) fn prose(comment: &str) -> String {
    comment
        .lines()
        .map(|line| {
            let line = visible_keeping_tabs(line);
            let line = line.trim_start();
            let mut out = String::with_capacity(line.len() + 8);
            out.push(' ');
            let leading_digits = line.chars().take_while(char::is_ascii_digit).count();
            for (i, c) in line.chars().enumerate() {
                let at_start = i == 0;
                let escape = match c {
                    // Code spans, emphasis, links, HTML, entities, tables,
                    // strikethrough; `:` so that no URL is left bare.
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | ':' => true,
                    // Block markers: list items, headings, thematic breaks.
                    '-' | '+' | '=' | '#' => at_start,
                    // An ordered list item (`1.`, `1)`).
                    '.' | ')' => leading_digits > 0 && i == leading_digits,
                    _ => false,
                };
                if escape {
                    out.push('\\');
                }
                out.push(if c == '\t' { ' ' } else { c });
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Control characters written as escapes, so a name stays on one line.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`visible`], but tabs stay (they are spaces in prose).
fn visible_keeping_tabs(text: &str) -> String {
    text.split('\t').map(visible).collect::<Vec<_>>().join("\t")
}

/// One `#[doc]` attribute per line, so that prettyplease prints `///` lines.
pub(super) fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.split('\n').map(|line| {
        if line.is_empty() || line.starts_with(' ') {
            line.to_owned()
        } else {
            format!(" {line}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// A summary line, then the SQL comment as prose.
pub(super) fn doc_with_comment(summary: &str, comment: Option<&str>) -> String {
    match comment {
        Some(comment) => format!("{summary}\n\n{}", prose(comment)),
        None => summary.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{code, prose};

    #[test]
    fn names_become_code_spans_whatever_they_hold() {
        assert_eq!(code("vendor.part"), "`vendor.part`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("``"), "``` `` ```");
        assert_eq!(code("line\nbreak"), "`line\\nbreak`");
        assert_eq!(code(""), "`  `");
    }

    #[test]
    fn comments_cannot_become_code_links_or_html() {
        let fenced = prose("```\nstd::process::exit(1);\n```");
        assert!(!fenced.contains("\n ```"), "{fenced}");
        assert_eq!(prose("    indented code"), " indented code");
        assert_eq!(prose("[link](http://x)"), r" \[link\](http\://x)");
        assert_eq!(prose("<script>"), r" \<script\>");
        assert_eq!(prose("- item\n1. first"), " \\- item\n 1\\. first");
        assert_eq!(prose("it's a part"), " it's a part");
    }
}
