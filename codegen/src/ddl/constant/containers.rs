//! Arrays and ranges as `array_out` and `range_out` write them: each
//! element or bound as its type's output function writes it, quoted where
//! the format needs it; ranges of a discrete type in canonical form
//! (`[1,5]` is `[1,6)`).

use std::cmp::Ordering;

use super::{days_from_civil, element_output};
use crate::model::PgType;

/// A one-dimensional array literal (`'{1, 2}'`, `'{"a b", c, NULL}'`) as
/// `array_out` writes it; `None` for one it cannot read (nested, with
/// bounds) or whose element type it does not know.
pub(super) fn array(value: &str, element: &PgType) -> Option<String> {
    let inner = value.trim().strip_prefix('{')?.strip_suffix('}')?;
    if inner.trim().is_empty() {
        return Some("{}".to_owned());
    }
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(char::is_ascii_whitespace).is_some() {}
        let (text, quoted) = if chars.next_if_eq(&'"').is_some() {
            let mut text = String::new();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => text.push(chars.next()?),
                    c => text.push(c),
                }
            }
            while chars.next_if(char::is_ascii_whitespace).is_some() {}
            (text, true)
        } else {
            let mut text = String::new();
            while let Some(c) = chars.next_if(|c| *c != ',') {
                match c {
                    '{' | '}' | '"' => return None,
                    '\\' => text.push(chars.next()?),
                    c => text.push(c),
                }
            }
            (
                text.trim_end_matches(|c: char| c.is_ascii_whitespace())
                    .to_owned(),
                false,
            )
        };
        if !quoted && text.eq_ignore_ascii_case("null") {
            items.push("NULL".to_owned());
        } else {
            if !quoted && text.is_empty() {
                return None;
            }
            items.push(array_quoted(&element_output(&text, element)?));
        }
        match chars.next() {
            None => break,
            Some(',') => {}
            Some(_) => return None,
        }
    }
    Some(format!("{{{}}}", items.join(",")))
}

/// An element as `array_out` quotes it.
fn array_quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.eq_ignore_ascii_case("null")
        && !text
            .chars()
            .any(|c| matches!(c, '"' | '\\' | '{' | '}' | ',') || c.is_ascii_whitespace());
    if plain {
        return text.to_owned();
    }
    let mut out = String::from('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A built-in range type's element type, and whether it is discrete (its
/// canonical form has an inclusive lower and exclusive upper bound).
fn range_subtype(range: &str) -> Option<(&'static str, bool)> {
    Some(match range {
        "int4range" => ("int4", true),
        "int8range" => ("int8", true),
        "daterange" => ("date", true),
        "numrange" => ("numeric", false),
        "tsrange" => ("timestamp", false),
        "tstzrange" => ("timestamptz", false),
        _ => return None,
    })
}

/// A range literal of the built-in range type `range` as `range_out`
/// writes it; `None` for another type, or a value it cannot read.
pub(super) fn range(value: &str, range: &str) -> Option<String> {
    let (subtype, discrete) = range_subtype(range)?;
    let subtype = PgType::builtin(subtype);
    let v = value.trim();
    if v.eq_ignore_ascii_case("empty") {
        return Some("empty".to_owned());
    }
    let mut lower_inclusive = match v.chars().next()? {
        '[' => true,
        '(' => false,
        _ => return None,
    };
    let mut upper_inclusive = match v.chars().last()? {
        ']' => true,
        ')' => false,
        _ => return None,
    };
    let (lower, upper) = bounds(&v[1..v.len() - 1])?;
    let bound = |b: Option<String>| -> Option<Option<String>> {
        b.map(|b| element_output(&b, &subtype))
            .map_or(Some(None), |b| b.map(Some))
    };
    let (mut lower, mut upper) = (bound(lower)?, bound(upper)?);
    if discrete {
        if let Some(l) = lower.as_mut().filter(|_| !lower_inclusive) {
            *l = next(l, &subtype.name)?;
        }
        if let Some(u) = upper.as_mut().filter(|_| upper_inclusive) {
            *u = next(u, &subtype.name)?;
        }
        lower_inclusive = lower.is_some();
        upper_inclusive = false;
    }
    // An infinite bound is never inclusive.
    lower_inclusive &= lower.is_some();
    upper_inclusive &= upper.is_some();
    if let (Some(l), Some(u)) = (&lower, &upper) {
        match compare(l, u, &subtype.name)? {
            Ordering::Greater => return None,
            Ordering::Equal if !(lower_inclusive && upper_inclusive) => {
                return Some("empty".to_owned());
            }
            _ => {}
        }
    }
    Some(format!(
        "{}{},{}{}",
        if lower_inclusive { '[' } else { '(' },
        lower.as_deref().map(range_quoted).unwrap_or_default(),
        upper.as_deref().map(range_quoted).unwrap_or_default(),
        if upper_inclusive { ']' } else { ')' },
    ))
}

/// The two bounds between the brackets as `range_parse` reads them: `None`
/// for an infinite (empty) bound; quoted ones with `""` and `\` escapes.
fn bounds(inner: &str) -> Option<(Option<String>, Option<String>)> {
    let mut chars = inner.chars().peekable();
    let mut read = |end: Option<char>| -> Option<Option<String>> {
        let mut text = String::new();
        let mut any = false;
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                ',' if !quoted && end == Some(',') => return Some(any.then_some(text)),
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    text.push('"');
                }
                '"' => {
                    quoted = !quoted;
                    any = true;
                }
                '\\' => {
                    text.push(chars.next()?);
                    any = true;
                }
                ',' | '(' | ')' | '[' | ']' if !quoted => return None,
                c => {
                    text.push(c);
                    any = true;
                }
            }
        }
        (end.is_none() && !quoted).then_some(any.then_some(text))
    };
    let lower = read(Some(','))?;
    let upper = read(None)?;
    Some((lower, upper))
}

/// The value after `value` of a discrete type.
fn next(value: &str, subtype: &str) -> Option<String> {
    Some(match subtype {
        "date" => {
            let (y, m, d) = ymd(value)?;
            let (y, m, d) = super::civil_from_days(days_from_civil(y, m, d) + 1);
            format!("{y:04}-{m:02}-{d:02}")
        }
        "int4" => value.parse::<i32>().ok()?.checked_add(1)?.to_string(),
        _ => value.parse::<i64>().ok()?.checked_add(1)?.to_string(),
    })
}

fn ymd(value: &str) -> Option<(i64, i64, i64)> {
    let mut parts = value.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// How two bounds, as their output functions write them, compare.
fn compare(a: &str, b: &str, subtype: &str) -> Option<Ordering> {
    match subtype {
        "int4" | "int8" => Some(a.parse::<i64>().ok()?.cmp(&b.parse::<i64>().ok()?)),
        "numeric" => a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?),
        // Dates and timestamps print with fixed-width fields (a fraction
        // after the seconds sorts after none), in one zone.
        _ => Some(a.cmp(b)),
    }
}

/// A bound as `range_out` quotes it.
fn range_quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.chars().any(|c| {
            matches!(c, '"' | '\\' | '(' | ')' | '[' | ']' | ',') || c.is_ascii_whitespace()
        });
    if plain {
        return text.to_owned();
    }
    let mut out = String::from('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// An `hstore` as `hstore_out` writes it: every key and value quoted (a
/// `NULL` value bare), pairs ordered by the key's length and then its
/// bytes, the first of equal keys kept, `", "` between them. `None` for
/// what `hstore_in` would refuse.
pub(crate) fn hstore(value: &str) -> Option<String> {
    /// A key or value: quoted, or a word up to a space, `=`, `,` or `>`;
    /// a backslash escapes the next character in both. The word, and
    /// whether it was quoted.
    fn token(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<(String, bool)> {
        let mut out = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next()? {
                    '"' => return Some((out, true)),
                    '\\' => out.push(chars.next()?),
                    c => out.push(c),
                }
            }
        }
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | ',' | '>')) {
            out.push(if c == '\\' { chars.next()? } else { c });
        }
        (!out.is_empty()).then_some((out, false))
    }
    let skip = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
    };
    let mut chars = value.chars().peekable();
    let mut pairs: Vec<(String, Option<String>)> = Vec::new();
    loop {
        skip(&mut chars);
        if chars.peek().is_none() {
            break;
        }
        let (key, _) = token(&mut chars)?;
        skip(&mut chars);
        chars.next_if_eq(&'=')?;
        chars.next_if_eq(&'>')?;
        skip(&mut chars);
        // A bare `NULL` value is no value.
        let (value, quoted) = token(&mut chars)?;
        pairs.push((
            key,
            (quoted || !value.eq_ignore_ascii_case("null")).then_some(value),
        ));
        skip(&mut chars);
        if chars.next().is_some_and(|c| c != ',') {
            return None;
        }
    }
    // A stable sort keeps the first of equal keys first.
    pairs.sort_by(|(a, _), (b, _)| {
        a.len()
            .cmp(&b.len())
            .then_with(|| a.as_bytes().cmp(b.as_bytes()))
    });
    pairs.dedup_by(|later, earlier| later.0 == earlier.0);
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    Some(
        pairs
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}=>{}",
                    quoted(k),
                    v.as_deref().map_or_else(|| "NULL".to_owned(), quoted)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::{array, hstore, range};
    use crate::model::PgType;

    #[test]
    fn hstores_print_as_the_server_prints_them() {
        // Each checked against the server.
        for (given, printed) in [
            (
                r#"b=>1, a=>2, aa=>NULL, a=>3, "x y"=>"q\"z", c=>"NULL""#,
                r#""a"=>"2", "b"=>"1", "c"=>"NULL", "aa"=>NULL, "x y"=>"q\"z""#,
            ),
            ("", ""),
            (r#"a=>"b\\c""#, r#""a"=>"b\\c""#),
            ("k => v", r#""k"=>"v""#),
        ] {
            assert_eq!(hstore(given).as_deref(), Some(printed), "{given}");
        }
        for refused in ["a", "a=>", "a=>b c=>d", "\"a=>b"] {
            assert_eq!(hstore(refused), None, "{refused}");
        }
    }

    #[test]
    fn arrays_print_as_the_server_prints_them() {
        for (given, element, printed) in [
            ("{}", "text", Some("{}")),
            ("{1, 2}", "int4", Some("{1,2}")),
            ("{1, NULL}", "int4", Some("{1,NULL}")),
            ("{1.50, 2}", "numeric", Some("{1.50,2}")),
            ("{\"a b\", c, \"\"}", "text", Some("{\"a b\",c,\"\"}")),
            ("{\"null\", x\\,y}", "text", Some("{\"null\",\"x,y\"}")),
            ("{1e3, NaN, -0}", "float8", Some("{1000,NaN,-0}")),
            ("{yes, off}", "bool", Some("{t,f}")),
            ("{{1,2},{3,4}}", "int4", None),
            ("{x}", "int4", None),
            ("{a,}", "text", None),
        ] {
            assert_eq!(
                array(given, &PgType::builtin(element)).as_deref(),
                printed,
                "{given}"
            );
        }
    }

    #[test]
    fn ranges_print_as_the_server_prints_them() {
        for (given, range_type, printed) in [
            ("[1,5]", "int4range", Some("[1,6)")),
            ("(1,5)", "int8range", Some("[2,5)")),
            ("[3,3)", "int4range", Some("empty")),
            ("(,5]", "int4range", Some("(,6)")),
            ("[1.5,2.50)", "numrange", Some("[1.5,2.50)")),
            ("[1.5,1.50)", "numrange", Some("empty")),
            ("[2,1)", "numrange", None),
            (
                "[2020-01-01,2020-01-31]",
                "daterange",
                Some("[2020-01-01,2020-02-01)"),
            ),
            (
                "[2020-01-01,2021-01-01)",
                "tsrange",
                Some("[\"2020-01-01 00:00:00\",\"2021-01-01 00:00:00\")"),
            ),
            (
                "[\"2020-01-01 00:00+00\",)",
                "tstzrange",
                Some("[\"2020-01-01 00:00:00+00\",)"),
            ),
            ("EMPTY", "numrange", Some("empty")),
            ("[1,2,3]", "int4range", None),
        ] {
            assert_eq!(range(given, range_type).as_deref(), printed, "{given}");
        }
    }
}
