//! The sections manifest: the file `codegen` writes beside the code it
//! generates and the `#[section("…")]` attribute reads, to know which
//! sections the crate holds (a misspelt name then gets the nearest known
//! one) and where the generated code finds its runtime.
//!
//! This crate is the format's one owner: `codegen` renders a [`Manifest`]
//! and the attribute parses it, so neither spells the format. It is one
//! line per entry, fields separated by tabs, every field escaped
//! ([`escape`]), so any name (a tab, a line break, a backslash in it)
//! reads back as it was written (`→` is a tab):
//!
//! ```text
//! pg-sections manifest 2
//! runtime→::pg_sections
//! section→vendor
//! end
//! ```
//!
//! The last line, `end`, tells a whole file from one cut short.

use std::fmt;
use std::fmt::Write as _;

/// The manifest's file name, beside the generated code.
pub const FILE: &str = "pg-sections.manifest";

/// The environment variable that names the manifest explicitly (for code
/// committed as a file rather than generated into `OUT_DIR`).
pub const ENV: &str = "PG_SECTIONS_MANIFEST";

/// The first line: the format and its version.
pub const HEADER: &str = "pg-sections manifest 2";

/// The last line: what tells a whole manifest from one cut short.
const END: &str = "end";

/// The runtime path generated code uses unless configured otherwise.
pub const DEFAULT_RUNTIME: &str = "::pg_sections";

/// What a crate's generated code holds, as the attribute needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The path of the runtime crate in generated code (`::pg_sections`).
    pub runtime: String,
    /// The sections' names, as `#[section("…")]` spells them, in the
    /// order they are generated.
    pub sections: Vec<String>,
}

impl Default for Manifest {
    fn default() -> Self {
        Self {
            runtime: DEFAULT_RUNTIME.to_owned(),
            sections: Vec::new(),
        }
    }
}

/// Why a text is not a manifest: the line (1-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line, counting the header as 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

impl Manifest {
    /// The manifest's text: each section once, in order.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\nruntime\t{}\n", escape(&self.runtime));
        for (i, section) in self.sections.iter().enumerate() {
            if self.sections[..i].contains(section) {
                continue;
            }
            out.push_str("section\t");
            out.push_str(&escape(section));
            out.push('\n');
        }
        out.push_str(END);
        out.push('\n');
        out
    }

    /// Reads a manifest's text.
    ///
    /// # Errors
    /// The text is not a manifest of this version, or a line of it is
    /// malformed: which line, and why.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        // An editor's byte-order mark is not part of the text.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // A line's own `\r` is escaped: a raw one is a CRLF checkout's.
        let mut lines = text
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line));
        let header = lines.next().unwrap_or_default().trim_end();
        if header != HEADER {
            let found = if header.is_empty() {
                "an empty first line".to_owned()
            } else if let Some(version) = header.strip_prefix("pg-sections manifest ") {
                format!("version {}", version.escape_debug())
            } else {
                format!("`{}`", header.escape_debug())
            };
            return Err(ParseError {
                line: 1,
                message: format!(
                    "not a sections manifest of this version: expected `{HEADER}`, found {found}; regenerate it with the codegen version the crate builds with"
                ),
            });
        }
        let mut manifest = Self::default();
        let mut runtime = false;
        let mut ended = None;
        for (n, line) in lines.enumerate() {
            let bad = |message: String| ParseError {
                line: n + 2,
                message,
            };
            if line.is_empty() {
                continue;
            }
            if let Some(end) = ended {
                return Err(bad(format!("text after the `{END}` of line {end}")));
            }
            if line == END {
                ended = Some(n + 2);
                continue;
            }
            let (kind, value) = line.split_once('\t').ok_or_else(|| {
                bad(format!(
                    "expected `<kind>\\t<value>`, found `{}`",
                    line.escape_debug()
                ))
            })?;
            let value = unescape(value).map_err(bad)?;
            match kind {
                "runtime" if runtime => return Err(bad("a second `runtime` entry".to_owned())),
                "runtime" => {
                    runtime = true;
                    manifest.runtime = value;
                }
                "section" if manifest.sections.contains(&value) => {
                    return Err(bad(format!(
                        "section `{}` is listed twice",
                        value.escape_debug()
                    )));
                }
                "section" => manifest.sections.push(value),
                other => {
                    return Err(bad(format!(
                        "unknown entry `{}` (expected `runtime` or `section`)",
                        other.escape_debug()
                    )));
                }
            }
        }
        if ended.is_none() {
            return Err(ParseError {
                line: text.lines().count().max(1),
                message: format!(
                    "the manifest ends before its `{END}` line: it was cut short; regenerate it"
                ),
            });
        }
        Ok(manifest)
    }
}

/// A field as the manifest writes it: backslash, tab, line break and every
/// other control character escaped (`\\`, `\t`, `\n`, `\r`, `\u{7f}`), so
/// it holds no separator.
#[must_use]
pub fn escape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A field as [`escape`] wrote it.
///
/// # Errors
/// An unescaped tab or control character, or an escape `escape` does not
/// write.
pub fn unescape(field: &str) -> Result<String, String> {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c.is_control() {
                return Err(format!(
                    "unescaped control character in `{}`",
                    field.escape_debug()
                ));
            }
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let rest = chars.as_str();
                let code = rest
                    .strip_prefix('{')
                    .and_then(|r| r.split_once('}'))
                    .filter(|(hex, _)| {
                        !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
                    })
                    .and_then(|(hex, _)| u32::from_str_radix(hex, 16).ok().map(|n| (hex.len(), n)))
                    .and_then(|(len, n)| char::from_u32(n).map(|c| (len, c)));
                let Some((len, c)) = code else {
                    return Err(format!(
                        "malformed `\\u{{…}}` escape in `{}`",
                        field.escape_debug()
                    ));
                };
                out.push(c);
                chars = rest[len + 2..].chars();
            }
            _ => return Err(format!("unknown escape in `{}`", field.escape_debug())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{HEADER, Manifest, escape, unescape};

    /// Every character that matters to the format, and some that do not.
    const ALPHABET: &[char] = &[
        'a', 'Z', '_', ' ', '\t', '\n', '\r', '\\', 't', 'n', 'u', '{', '}', '\u{0}', '\u{7f}',
        '\u{85}', 'é', '🦀',
    ];

    /// A deterministic stream of pseudo-random numbers (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n as u64).expect("below n")
        }

        fn name(&mut self) -> String {
            (0..self.below(8))
                .map(|_| ALPHABET[self.below(ALPHABET.len())])
                .collect()
        }
    }

    #[test]
    fn every_manifest_reads_back_as_it_was_written() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let sections: Vec<String> = (0..rng.below(5)).map(|_| rng.name()).collect();
            let manifest = Manifest {
                runtime: rng.name(),
                sections,
            };
            let text = manifest.render();
            // Each section once, in the order first given.
            let mut unique: Vec<String> = Vec::new();
            for section in &manifest.sections {
                if !unique.contains(section) {
                    unique.push(section.clone());
                }
            }
            let read = Manifest::parse(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
            assert_eq!(read.runtime, manifest.runtime, "{text:?}");
            assert_eq!(read.sections, unique, "{text:?}");
            // One line per entry whatever the names hold, and the end.
            assert_eq!(text.lines().count(), 3 + unique.len(), "{text:?}");
            // Cut anywhere before its end, it is refused, never read as less.
            let end = text.len() - "end\n".len();
            for cut in (0..end)
                .filter(|&cut| text.is_char_boundary(cut))
                .step_by(3)
            {
                assert!(Manifest::parse(&text[..cut]).is_err(), "{:?}", &text[..cut]);
            }
        }
    }

    #[test]
    fn escaped_fields_hold_no_separator() {
        for c in ALPHABET {
            let escaped = escape(&c.to_string());
            assert!(!escaped.contains(['\t', '\n', '\r']), "{escaped:?}");
            assert_eq!(unescape(&escaped).as_deref(), Ok(c.to_string().as_str()));
        }
    }

    #[test]
    fn malformed_text_is_refused_with_its_line() {
        let error = |text: &str| Manifest::parse(text).unwrap_err().to_string();
        assert!(error("").contains("found an empty first line"));
        assert!(error("pg-sections manifest 3\nend\n").contains("found version 3"));
        assert!(error(&format!("{HEADER}\n")).contains("cut short"));
        assert!(
            error(&format!("{HEADER}\nend\nsection\tv\n"))
                .starts_with("line 3: text after the `end` of line 2")
        );
        assert!(
            error("pg-sections manifest 1\nsection\tvendor\tvendor\tVendor\tvendor\n")
                .contains("this version")
        );
        assert_eq!(
            error(&format!("{HEADER}\nsection\n")),
            "line 2: expected `<kind>\\t<value>`, found `section`"
        );
        assert_eq!(
            error(&format!("{HEADER}\nsection\tvendor\ntable\tx\n")),
            "line 3: unknown entry `table` (expected `runtime` or `section`)"
        );
        assert!(
            error(&format!("{HEADER}\nsection\ta\\qb\n")).starts_with("line 2: unknown escape")
        );
        assert!(
            error(&format!("{HEADER}\nsection\ta\\u{{d800}}\n")).starts_with("line 2: malformed")
        );
        assert!(error(&format!("{HEADER}\nsection\ta\\u{{41\n")).starts_with("line 2: malformed"));
        assert!(error(&format!("{HEADER}\nsection\ta\u{1}\n")).starts_with("line 2: unescaped"));
        assert!(error(&format!("{HEADER}\nsection\tv\nsection\tv\n")).contains("listed twice"));
        assert!(error(&format!("{HEADER}\nruntime\ta\nruntime\tb\n")).contains("second `runtime`"));
    }

    #[test]
    fn a_manifest_checked_out_with_crlf_line_ends_reads_the_same() {
        let manifest = Manifest {
            runtime: "::rt".to_owned(),
            sections: vec!["a\rb".to_owned(), "vendor".to_owned()],
        };
        let crlf = manifest.render().replace('\n', "\r\n");
        assert_eq!(Manifest::parse(&crlf), Ok(manifest));
        assert!(Manifest::parse(&format!("{HEADER}\nsection\ta\\u{{+41}}\n")).is_err());
    }

    #[test]
    fn a_manifest_without_a_runtime_entry_uses_the_default_and_a_bom_is_not_text() {
        let manifest =
            Manifest::parse(&format!("\u{feff}{HEADER} \nsection\tvendor\nend")).unwrap();
        assert_eq!(manifest.runtime, "::pg_sections");
        assert_eq!(manifest.sections, ["vendor"]);
    }
}
