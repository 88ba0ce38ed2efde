//! The expressions the model keeps as text (column defaults, generation
//! expressions, domain defaults) follow renames. The server stores them as
//! references to columns, types, functions, sequences and enum labels, and
//! prints them with the names of the moment; the DDL source, which keeps
//! them as the server printed them when they were made, respells them.

use std::ops::Range;

use super::super::expr::ident;
use super::Catalog;

/// A name in an expression's text, outside string literals: where it is,
/// and the name as the server folds it.
struct Name {
    range: Range<usize>,
    folded: String,
}

/// The names of `text` (unquoted, in lower case, or quoted), and the
/// string literals (their ranges, quotes included), in order.
fn scan(text: &str) -> (Vec<Name>, Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    let mut strings = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\'' {
            let start = i;
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            strings.push(start..i.min(bytes.len()));
        } else if c == b'"' {
            let start = i;
            let mut folded = String::new();
            i += 1;
            let mut from = i;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    folded.push_str(&text[from..i]);
                    if bytes.get(i + 1) == Some(&b'"') {
                        folded.push('"');
                        i += 2;
                        from = i;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            names.push(Name {
                range: start..i.min(bytes.len()),
                folded,
            });
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || matches!(bytes[i], b'_' | b'$')
                    || bytes[i] >= 0x80)
            {
                i += 1;
            }
            names.push(Name {
                range: start..i,
                folded: text[start..i].to_lowercase(),
            });
        } else if c.is_ascii_digit() {
            // A number (`1e5`, `0x1F`) holds no name.
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    (names, strings)
}

/// The first character before `at` that is not a space.
fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().rev().find(|c| !c.is_whitespace())
}

/// The first character from `at` that is not a space.
fn after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().find(|c| !c.is_whitespace())
}

/// `text` with `edits` (ranges, in order, not overlapping) made; `None`
/// when there are none.
fn edited(text: &str, edits: Vec<(Range<usize>, String)>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (range, with) in edits {
        out.push_str(&text[from..range.start]);
        out.push_str(&with);
        from = range.end;
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// A column's name in a generation expression, renamed: a name that is
/// neither qualified (`t.a`, `a.b`), a type (`::a`) nor a function (`a(`).
pub(super) fn column(text: &str, old: &str, new: &str) -> Option<String> {
    let (names, _) = scan(text);
    let edits = names
        .iter()
        .filter(|n| {
            n.folded == old
                && !matches!(before(text, n.range.start), Some('.' | ':'))
                && !matches!(after(text, n.range.end), Some('(' | '.'))
        })
        .map(|n| (n.range.clone(), ident(new)))
        .collect();
    edited(text, edits)
}

/// A qualified name (`schema.name`) renamed or moved: of a type (after
/// `::`), of a function (before `(`), wherever `kind` says.
pub(super) fn qualified(
    text: &str,
    (schema, name): (&str, &str),
    (new_schema, new_name): (&str, &str),
    kind: Kind,
) -> Option<String> {
    let (names, _) = scan(text);
    let edits = names
        .windows(2)
        .filter(|pair| {
            let [s, n] = pair else { return false };
            s.folded == schema
                && n.folded == name
                && text[s.range.end..n.range.start].trim() == "."
                && !matches!(before(text, s.range.start), Some('.'))
                && match kind {
                    Kind::Type => text[..s.range.start].trim_end().ends_with("::"),
                    Kind::Function => after(text, n.range.end) == Some('('),
                }
        })
        .map(|pair| {
            (
                pair[0].range.start..pair[1].range.end,
                format!("{}.{}", ident(new_schema), ident(new_name)),
            )
        })
        .collect();
    edited(text, edits)
}

/// What a qualified name names.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Type,
    Function,
}

/// A sequence renamed or moved, in `nextval('s.q'::regclass)`: the string
/// before `::regclass` that names it.
pub(super) fn sequence(text: &str, old: (&str, &str), new: (&str, &str)) -> Option<String> {
    let (_, strings) = scan(text);
    let spelled = |(schema, name): (&str, &str)| format!("{}.{}", ident(schema), ident(name));
    let old = format!("'{}'", spelled(old).replace('\'', "''"));
    let edits = strings
        .into_iter()
        .filter(|s| text[s.clone()] == old && text[s.end..].trim_start().starts_with("::regclass"))
        .map(|s| (s, format!("'{}'", spelled(new).replace('\'', "''"))))
        .collect();
    edited(text, edits)
}

/// An enum's label renamed, in a constant of the enum (`'a'::s.mood`) or
/// of an array of it (`'{a,b}'::s.mood[]`); `spelled` is the type as the
/// server prints it.
pub(super) fn label(text: &str, spelled: &str, old: &str, new: &str) -> Option<String> {
    let (_, strings) = scan(text);
    let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut edits = Vec::new();
    for s in strings {
        let rest = text[s.end..].trim_start();
        let Some(ty) = rest.strip_prefix("::") else {
            continue;
        };
        let Some(tail) = ty.strip_prefix(spelled) else {
            continue;
        };
        let value = text[s.start + 1..s.end - 1].replace("''", "'");
        if tail.starts_with("[]") {
            if let Some(array) = array_label(&value, old, new) {
                edits.push((s, quoted(&array)));
            }
        } else if !tail.starts_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | '"' | '$'))
            && value == old
        {
            edits.push((s, quoted(new)));
        }
    }
    edited(text, edits)
}

/// An array literal of labels (`{a,"b c"}`) with `old` renamed.
fn array_label(value: &str, old: &str, new: &str) -> Option<String> {
    let inner = value.strip_prefix('{')?.strip_suffix('}')?;
    if inner.contains(['{', '\\']) {
        return None;
    }
    let mut changed = false;
    let items: Vec<String> = inner
        .split(',')
        .map(|item| {
            let bare = item.trim();
            let label = bare
                .strip_prefix('"')
                .and_then(|b| b.strip_suffix('"'))
                .unwrap_or(bare);
            if label == old {
                changed = true;
                array_item(new)
            } else {
                item.to_owned()
            }
        })
        .collect();
    changed.then(|| format!("{{{}}}", items.join(",")))
}

/// An array element as `array_out` writes it: quoted where it must be.
fn array_item(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.eq_ignore_ascii_case("null")
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '{' | '}' | ',' | '"' | '\\'));
    if plain {
        value.to_owned()
    } else {
        format!("\"{value}\"")
    }
}

impl Catalog {
    /// Respells every expression the model keeps as text with `f`.
    pub(super) fn respell(&mut self, f: impl Fn(&str) -> Option<String>) {
        for section in self.schemas.values_mut() {
            for table in section.tables.values_mut() {
                for column in &mut table.columns {
                    for text in [&mut column.default, &mut column.generated]
                        .into_iter()
                        .flatten()
                    {
                        if let Some(new) = f(text) {
                            *text = new;
                        }
                    }
                }
            }
            for domain in section.domains.values_mut() {
                if let Some(text) = &mut domain.default
                    && let Some(new) = f(text)
                {
                    *text = new;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, column, label, qualified, sequence};

    #[test]
    fn expressions_follow_renames() {
        assert_eq!(
            column("(qty * price)", "qty", "amount").as_deref(),
            Some("(amount * price)")
        );
        // Not a qualified name, a function, a type or a string.
        assert_eq!(
            column("(t.qty + qty(x) + 'qty'::text + (1)::qty)", "qty", "n"),
            None
        );
        assert_eq!(
            column("\"Qty\" * 2", "Qty", "total").as_deref(),
            Some("total * 2")
        );
        assert_eq!(
            qualified(
                "('x'::text)::app.dm",
                ("app", "dm"),
                ("app", "Dm2"),
                Kind::Type
            )
            .as_deref(),
            Some("('x'::text)::app.\"Dm2\"")
        );
        assert_eq!(
            qualified(
                "app.f() + app.f",
                ("app", "f"),
                ("lib", "g"),
                Kind::Function
            )
            .as_deref(),
            Some("lib.g() + app.f")
        );
        assert_eq!(
            sequence("nextval('app.s'::regclass)", ("app", "s"), ("other", "S2")).as_deref(),
            Some("nextval('other.\"S2\"'::regclass)")
        );
        assert_eq!(
            label("'a'::app.mood", "app.mood", "a", "z").as_deref(),
            Some("'z'::app.mood")
        );
        assert_eq!(
            label("'{a,b}'::app.mood[]", "app.mood", "a", "z y").as_deref(),
            Some("'{\"z y\",b}'::app.mood[]")
        );
        assert_eq!(label("'a'::app.moods", "app.mood", "a", "z"), None);
    }
}
