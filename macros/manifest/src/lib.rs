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
//! ```

use std::fmt;
use std::fmt::Write as _;

/// The manifest's file name, beside the generated code.
pub const FILE: &str = "pg-sections.manifest";

/// The environment variable that names the manifest explicitly (for code
/// committed as a file rather than generated into `OUT_DIR`).
pub const ENV: &str = "PG_SECTIONS_MANIFEST";

/// The first line: the format and its version.
pub const HEADER: &str = "pg-sections manifest 2";

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
    /// The line, counting the header as 1; 0 for an empty text.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

impl Manifest {
    /// The manifest's text.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\nruntime\t{}\n", escape(&self.runtime));
        for section in &self.sections {
            out.push_str("section\t");
            out.push_str(&escape(section));
            out.push('\n');
        }
        out
    }

    /// Reads a manifest's text.
    ///
    /// # Errors
    /// The text is not a manifest of this version, or a line of it is
    /// malformed: which line, and why.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        // A line's own `\r` is escaped: a raw one is a CRLF checkout's.
        let mut lines = text
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line));
        let header = lines.next().unwrap_or_default();
        if header != HEADER {
            return Err(ParseError {
                line: 1,
                message: format!(
                    "not a sections manifest of this version (expected `{HEADER}`); regenerate it with the codegen version the crate builds with"
                ),
            });
        }
        let mut manifest = Self::default();
        let mut runtime = false;
        for (n, line) in lines.enumerate() {
            let bad = |message: String| ParseError {
                line: n + 2,
                message,
            };
            if line.is_empty() {
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
            let mut sections: Vec<String> = (0..rng.below(5)).map(|_| rng.name()).collect();
            sections.dedup();
            sections.sort();
            sections.dedup();
            let manifest = Manifest {
                runtime: rng.name(),
                sections,
            };
            let text = manifest.render();
            assert_eq!(Manifest::parse(&text), Ok(manifest.clone()), "{text:?}");
            // One line per entry whatever the names hold.
            assert_eq!(
                text.lines().count(),
                2 + manifest.sections.len(),
                "{text:?}"
            );
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
        assert!(error("").contains("not a sections manifest"));
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
    fn a_manifest_without_a_runtime_entry_uses_the_default() {
        let manifest = Manifest::parse(&format!("{HEADER}\nsection\tvendor\n")).unwrap();
        assert_eq!(manifest.runtime, "::pg_sections");
        assert_eq!(manifest.sections, ["vendor"]);
    }
}
