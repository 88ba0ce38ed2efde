//! Constants as `get_const_expr` prints them: the value as the type's
//! output function writes it (`interval '2 hours'` is `'02:00:00'`, a
//! `uuid` in lower case, `jsonb` with its keys in order), then a label
//! (`::bigint`) unless the type needs none (a non-negative `integer`, a
//! float-looking `numeric`, a `boolean`).

use super::deparse::{Kind, Node, format_type, without_mods};
use super::resolve::Ty;
use crate::model::PgType;

mod containers;
mod network;
mod text_search;

pub(super) fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A constant of `ty` from a literal's text (`get_const_expr`), labelled
/// with its type unless it needs none.
pub(super) fn constant(value: &str, ty: &PgType) -> String {
    let (text, labelled) = constant_text(value, ty);
    if labelled {
        format!("{text}::{}", format_type(ty))
    } else {
        text
    }
}

/// A constant as `get_const_expr` prints it before its label, and whether
/// it takes one: an `integer` (not negative), a float-looking `numeric`
/// (without modifiers) and a `boolean` do not.
fn constant_text(value: &str, ty: &PgType) -> (String, bool) {
    if ty.schema.is_none() && ty.array_dims == 0 {
        match ty.name.as_str() {
            // A name of an object: folded and quoted as the output
            // function prints it, without `pg_catalog.`, which is visible.
            "regclass" | "regconfig" | "regdictionary" | "regnamespace" | "regrole"
            | "regcollation" | "regproc" => {
                let name = super::expr::regclass(value);
                let name = name.strip_prefix("pg_catalog.").unwrap_or(&name);
                return (quote(name), true);
            }
            // A built-in type, or a signature of built-in types, as
            // `format_type` spells them.
            "regtype" => {
                if let Some(ty) = builtin_type_name(value) {
                    return (quote(&ty), true);
                }
            }
            "regprocedure" | "regoperator" => {
                if let Some(signature) = signature(value, ty.name == "regoperator") {
                    return (quote(&signature), true);
                }
            }
            "int4" => {
                if let Ok(n) = value.trim().parse::<i32>() {
                    return if n < 0 {
                        (format!("'{n}'"), true)
                    } else {
                        (n.to_string(), false)
                    };
                }
            }
            "bool" => match value.trim().to_ascii_lowercase().as_str() {
                "t" | "true" | "yes" | "on" | "1" | "y" => return ("true".to_owned(), false),
                "f" | "false" | "no" | "off" | "0" | "n" => return ("false".to_owned(), false),
                _ => {}
            },
            "numeric" => {
                if let Some(n) = numeric(value.trim()) {
                    return if n.contains('.') && !n.starts_with('-') {
                        (n, !ty.modifiers.is_empty())
                    } else {
                        (format!("'{n}'"), true)
                    };
                }
            }
            _ => {}
        }
    }
    (quote(&output(value, ty)), true)
}

/// A built-in type's name as `format_type` writes it (`int4[]` is
/// `integer[]`); `None` for any other.
fn builtin_type_name(text: &str) -> Option<String> {
    struct BuiltinsOnly(Vec<String>);
    impl super::types::TypeScope for BuiltinsOnly {
        fn path(&self) -> &[String] {
            &self.0
        }
        fn has_type(&self, _: &str, _: &str) -> bool {
            false
        }
        fn has_extension_in(&self, _: &str) -> bool {
            false
        }
    }
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let mut parser = sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(text)
        .ok()?;
    let data_type = parser.parse_data_type().ok()?;
    if parser.peek_token().token != sqlparser::tokenizer::Token::EOF {
        return None;
    }
    let ty =
        super::types::pg_type(&data_type, &BuiltinsOnly(vec!["pg_catalog".to_owned()])).ok()?;
    ty.schema.is_none().then(|| format_type(&ty))
}

/// A `regprocedure` (`pg_catalog.abs(int4)`) or `regoperator`
/// (`+(int4,int4)`, `-(NONE,int4)`) of built-in argument types as its output
/// function writes it: the name without `pg_catalog.`, each type as
/// `format_type` spells it. `None` for any other.
fn signature(text: &str, operator: bool) -> Option<String> {
    let (name, arguments) = text.trim().strip_suffix(')')?.split_once('(')?;
    // An operator's name is symbols, never quoted.
    let name = if operator {
        name.trim().to_owned()
    } else {
        super::expr::regclass(name)
    };
    let name = name.strip_prefix("pg_catalog.").unwrap_or(&name);
    let arguments = if arguments.trim().is_empty() {
        Vec::new()
    } else {
        arguments
            .split(',')
            .map(|a| {
                if a.trim().eq_ignore_ascii_case("none") {
                    Some("NONE".to_owned())
                } else {
                    builtin_type_name(a)
                }
            })
            .collect::<Option<Vec<_>>>()?
    };
    Some(format!("{name}({})", arguments.join(",")))
}

/// A value as its type's output function writes it, for the types whose
/// input and output spellings differ in ways users write; others as given.
fn output(value: &str, ty: &PgType) -> String {
    known_output(value, ty).unwrap_or_else(|| value.to_owned())
}

/// A value as its type's output function writes it, for the types this
/// module knows; `None` for others and for a value it cannot read.
fn known_output(value: &str, ty: &PgType) -> Option<String> {
    if ty.schema.is_some() {
        // The one extension type whose input and output differ in ways
        // users write.
        return (ty.name == "hstore" && ty.array_dims == 0)
            .then(|| containers::hstore(value))
            .flatten();
    }
    if ty.array_dims > 0 {
        return containers::array(
            value,
            &PgType {
                array_dims: 0,
                ..without_mods(ty)
            },
        );
    }
    match ty.name.as_str() {
        "interval" => interval(value),
        "uuid" => uuid(value),
        "jsonb" => jsonb(value),
        "timestamp" => timestamp(value).or_else(|| epoch(value, " 00:00:00")),
        "timestamptz" => timestamptz(value),
        "date" => date(value),
        "bytea" => bytea(value),
        "time" => time(value),
        "float4" => float(value, true),
        "float8" => float(value, false),
        "inet" => network::inet(value, false),
        "cidr" => network::inet(value, true),
        "macaddr" => network::macaddr(value),
        "macaddr8" => network::macaddr8(value),
        "int2" => value.trim().parse::<i16>().ok().map(|n| n.to_string()),
        "int8" => value.trim().parse::<i64>().ok().map(|n| n.to_string()),
        "point" => point(value),
        "tsvector" => text_search::tsvector(value),
        "tsquery" => text_search::tsquery(value),
        name => containers::range(value, name),
    }
}

/// A value as its type's output function writes it inside an array or a
/// range: booleans as `t`/`f`, numbers normalised, text as it is; `None`
/// for a type this module does not know.
fn element_output(value: &str, ty: &PgType) -> Option<String> {
    if ty.schema.is_some() || !ty.modifiers.is_empty() {
        return None;
    }
    match ty.name.as_str() {
        "bool" => match value.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "on" | "1" | "y" => Some("t".to_owned()),
            "f" | "false" | "no" | "off" | "0" | "n" => Some("f".to_owned()),
            _ => None,
        },
        "int2" => value.trim().parse::<i16>().ok().map(|n| n.to_string()),
        "int4" => value.trim().parse::<i32>().ok().map(|n| n.to_string()),
        "int8" => value.trim().parse::<i64>().ok().map(|n| n.to_string()),
        "numeric" => numeric(value.trim()),
        "text" | "varchar" => Some(value.to_owned()),
        _ => known_output(value, ty),
    }
}

/// A `point` as `point_out` writes it: `(x,y)`, each a float.
fn point(value: &str) -> Option<String> {
    let v = value.trim();
    let inner = v
        .strip_prefix('(')
        .and_then(|v| v.strip_suffix(')'))
        .unwrap_or(v);
    let (x, y) = inner.split_once(',')?;
    Some(format!("({},{})", float(x, false)?, float(y, false)?))
}

/// A `date`: `epoch`, or `YYYY-MM-DD`.
fn date(value: &str) -> Option<String> {
    epoch(value, "").or_else(|| {
        let ts = timestamp(value)?;
        ts.strip_suffix(" 00:00:00").map(str::to_owned)
    })
}

/// A float as `float8out`/`float4out` write it: the shortest digits that
/// read back as the same value, in fixed notation for decimal exponents
/// from -4 to 14 (5 for `real`), else as `1.5e+20`.
fn float(value: &str, single: bool) -> Option<String> {
    if let Some(special) = float_special(value) {
        return Some(special);
    }
    let text = value.trim();
    let scientific = if single {
        let f: f32 = text.parse().ok()?;
        if !f.is_finite() {
            return None;
        }
        format!("{f:e}")
    } else {
        let f: f64 = text.parse().ok()?;
        if !f.is_finite() {
            return None;
        }
        format!("{f:e}")
    };
    let (mantissa, exponent) = scientific.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if digits.bytes().all(|d| d == b'0') {
        return Some(format!("{sign}0"));
    }
    let limit = if single { 6 } else { 15 };
    if (-4..limit).contains(&exponent) {
        let n = digits.len();
        let text = if exponent < 0 {
            let zeros = usize::try_from(-exponent - 1).ok()?;
            format!("0.{}{digits}", "0".repeat(zeros))
        } else {
            let point = usize::try_from(exponent).ok()? + 1;
            if point >= n {
                format!("{digits}{}", "0".repeat(point - n))
            } else {
                format!("{}.{}", &digits[..point], &digits[point..])
            }
        };
        Some(format!("{sign}{text}"))
    } else {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        Some(format!(
            "{sign}{first}{point}{rest}e{exponent_sign}{:02}",
            exponent.abs()
        ))
    }
}

/// `'epoch'` as a date (`1970-01-01`) and a timestamp, followed by `clock`.
fn epoch(value: &str, clock: &str) -> Option<String> {
    value
        .trim()
        .eq_ignore_ascii_case("epoch")
        .then(|| format!("1970-01-01{clock}"))
}

/// A float's special values as `float8out` writes them.
fn float_special(value: &str) -> Option<String> {
    Some(
        match value.trim().to_ascii_lowercase().as_str() {
            "infinity" | "+infinity" | "inf" | "+inf" => "Infinity",
            "-infinity" | "-inf" => "-Infinity",
            "nan" => "NaN",
            _ => return None,
        }
        .to_owned(),
    )
}

/// `'a0EEBC99-9c0b…'` and `'{a0eebc99…}'` as `a0eebc99-9c0b-4ef8-…`.
fn uuid(value: &str) -> Option<String> {
    let hex: String = value
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .chars()
        .filter(|c| *c != '-')
        .collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

/// `jsonb_out`: keys shortest first (then by bytes), the last of equal keys
/// kept, `": "` and `", "` between.
fn jsonb(value: &str) -> Option<String> {
    fn write(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                    out.push_str(": ");
                    write(&map[*k], out);
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    // Numbers other than integers keep their digits in `jsonb` (`1.50`),
    // which serde_json would not: those are left as written.
    let parsed: serde_json::Value = serde_json::from_str(value).ok()?;
    if has_non_integer_numbers(&parsed) {
        return None;
    }
    let mut out = String::new();
    write(&parsed, &mut out);
    Some(out)
}

fn has_non_integer_numbers(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => !(n.is_i64() || n.is_u64()),
        serde_json::Value::Array(items) => items.iter().any(has_non_integer_numbers),
        serde_json::Value::Object(map) => map.values().any(has_non_integer_numbers),
        _ => false,
    }
}

/// A `timestamp` given as a date alone: midnight.
fn timestamp(value: &str) -> Option<String> {
    let v = value.trim();
    // The time of day is the last word when it has a colon (`Jan 1 2020
    // 10:00`), or follows a `T`.
    let (date, clock) = match v.rsplit_once(' ') {
        Some((date, clock)) if clock.contains(':') => (date, Some(clock)),
        _ => match v.split_once('T').filter(|(d, _)| d.len() == 10) {
            Some((date, clock)) => (date, Some(clock)),
            None => (v, None),
        },
    };
    let (y, m, d) = calendar_date(date)?;
    let date = format!("{y:04}-{m:02}-{d:02}");
    match clock {
        None => Some(format!("{date} 00:00:00")),
        Some(clock) => Some(format!("{date} {}", self::clock(clock)?)),
    }
}

/// A date as `date_in` reads it under the default `DateStyle` (`ISO,
/// MDY`): `2020-01-02`, `2020-1-2`, `20200102`, `1/2/2020` (month first),
/// `January 2, 2020`, `2 Jan 2020`. A year of one or two digits is the
/// nearest to 2020 (`1/2/99` is 1999, `1/2/69` 2069). `None` for any other
/// form, or a day that does not exist.
fn calendar_date(text: &str) -> Option<(i64, i64, i64)> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let fields: Vec<&str> = text
        .split(['-', '/', ' ', ',', '.'])
        .filter(|f| !f.is_empty())
        .collect();
    let number = |f: &str| {
        f.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| f.parse::<i64>().ok())
            .flatten()
    };
    let month_of = |f: &str| {
        let lower = f.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| {
                lower.len() >= 3 && m.starts_with(&lower[..3]) && {
                    let full = [
                        "january",
                        "february",
                        "march",
                        "april",
                        "may",
                        "june",
                        "july",
                        "august",
                        "september",
                        "october",
                        "november",
                        "december",
                    ];
                    full.iter().any(|name| name.starts_with(&lower)) || lower == "sept"
                }
            })
            .map(|i| i64::try_from(i).unwrap_or(0) + 1)
    };
    let (y, m, d) = match fields.as_slice() {
        [digits] if digits.len() == 8 => (
            number(&digits[..4])?,
            number(&digits[4..6])?,
            number(&digits[6..])?,
        ),
        [first, second, third] => match (number(first), number(second), number(third)) {
            (Some(year), Some(month), Some(day)) if first.len() >= 3 => (year, month, day),
            (Some(month), Some(day), Some(year)) if third.len() >= 3 => (year, month, day),
            (Some(month), Some(day), Some(year)) if first.len() <= 2 && second.len() <= 2 => {
                (two_digit_year(year), month, day)
            }
            _ => {
                // A month's name and two numbers: the year has 3 digits or
                // more, the other is the day.
                let fields = [first, second, third];
                let month = fields.iter().find_map(|f| month_of(f))?;
                let numbers: Vec<&&str> =
                    fields.into_iter().filter(|f| number(f).is_some()).collect();
                let [before, after] = numbers.as_slice() else {
                    return None;
                };
                if after.len() >= 3 {
                    (number(after)?, month, number(before)?)
                } else if before.len() >= 3 {
                    (number(before)?, month, number(after)?)
                } else {
                    // The day, then a short year (`Jan 8 99`, `8-Jan-99`).
                    (two_digit_year(number(after)?), month, number(before)?)
                }
            }
        },
        _ => return None,
    };
    let date = (y, m, d);
    ((1..=12).contains(&m) && civil_from_days(days_from_civil(y, m, d)) == date).then_some(date)
}

/// A year given in one or two digits, as `DecodeDate` completes it: below
/// 70 in this century, else in the last.
fn two_digit_year(year: i64) -> i64 {
    if year < 70 { year + 2000 } else { year + 1900 }
}

/// `HH:MM[:SS[.fraction]]` as `time_out` prints it: seconds always, the
/// fraction without trailing zeros. `None` for any other form.
fn clock(text: &str) -> Option<String> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let parts: Vec<&str> = whole.split(':').collect();
    let two = |p: &&str| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(two) {
        return None;
    }
    let (hours, minutes) = (parts[0].parse::<u32>().ok()?, parts[1].parse::<u32>().ok()?);
    let seconds = parts.get(2).map_or(Some(0), |s| s.parse::<u32>().ok())?;
    // `24:00:00` is the end of a day, which `time` takes.
    if hours > 24 || (hours == 24 && (minutes, seconds) != (0, 0)) || minutes > 59 || seconds > 59 {
        return None;
    }
    let mut out = format!("{hours:02}:{minutes:02}:{seconds:02}");
    if let Some(fraction) = fraction {
        if fraction.is_empty()
            || fraction.len() > 6
            || !fraction.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let fraction = fraction.trim_end_matches('0');
        if !fraction.is_empty() {
            out.push('.');
            out.push_str(fraction);
        }
    }
    Some(out)
}

/// A `timestamptz` written with its offset (`'2020-01-01 10:00+02'`), in
/// UTC as the live source's session prints it. One without an offset
/// depends on the server's `TimeZone` when the migration ran: left as
/// written.
fn timestamptz(value: &str) -> Option<String> {
    let text = value.trim();
    let (date, rest) = text.split_at(text.find([' ', 'T'])?);
    let rest = &rest[1..];
    let ymd: Vec<i64> = date
        .split('-')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [year, month, day] = ymd.as_slice() else {
        return None;
    };
    let (clock, offset_minutes) = if let Some(clock) = rest.strip_suffix('Z') {
        (clock, 0)
    } else if let Some(clock) = rest.strip_suffix(" UTC") {
        (clock, 0)
    } else {
        let (clock, zone) = rest.split_at(rest.rfind(['+', '-'])?);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let zone = &zone[1..];
        let (zone_hours, zone_minutes) = match zone.split_once(':') {
            Some((hours, minutes)) => (hours.parse::<i64>().ok()?, minutes.parse::<i64>().ok()?),
            None if zone.len() == 4 => (zone[..2].parse().ok()?, zone[2..].parse().ok()?),
            None => (zone.parse().ok()?, 0),
        };
        (clock, sign * (zone_hours * 60 + zone_minutes))
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, secs) = match parts.as_slice() {
        [hours, minutes] => (
            hours.parse::<i64>().ok()?,
            minutes.parse::<i64>().ok()?,
            "0",
        ),
        [hours, minutes, secs] => (
            hours.parse::<i64>().ok()?,
            minutes.parse::<i64>().ok()?,
            *secs,
        ),
        _ => return None,
    };
    let micros = seconds(secs)?;
    let total = days_from_civil(*year, *month, *day) * 1440 + hours * 60 + minutes - offset_minutes;
    let (days, minute) = (total.div_euclid(1440), total.rem_euclid(1440));
    let (year, month, day) = civil_from_days(days);
    let (whole, fraction) = (micros / 1_000_000, micros % 1_000_000);
    let mut out = format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{whole:02}",
        minute / 60,
        minute % 60
    );
    if fraction != 0 {
        out.push('.');
        out.push_str(format!("{fraction:06}").trim_end_matches('0'));
    }
    out.push_str("+00");
    Some(out)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// `bytea` in the hex format the server prints: `''` is `'\x'`, the
/// escape format (`'a\000'`) converted.
fn bytea(value: &str) -> Option<String> {
    use std::fmt::Write as _;
    if let Some(hex) = value.strip_prefix("\\x") {
        let hex: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
        return (hex.len().is_multiple_of(2) && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| format!("\\x{}", hex.to_ascii_lowercase()));
    }
    let bytes = value.as_bytes();
    let mut out = String::from("\\x");
    let mut i = 0;
    while i < bytes.len() {
        let b = if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'\\') {
                i += 2;
                b'\\'
            } else {
                let octal = std::str::from_utf8(bytes.get(i + 1..i + 4)?).ok()?;
                i += 4;
                u8::from_str_radix(octal, 8).ok()?
            }
        } else {
            i += 1;
            bytes[i - 1]
        };
        let _ = write!(out, "{b:02x}");
    }
    Some(out)
}

/// A `time` without seconds: `'12:00'` is `'12:00:00'`.
fn time(value: &str) -> Option<String> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("allballs") {
        return Some("00:00:00".to_owned());
    }
    clock(value)
}

/// `interval_out` in the default `postgres` style, for intervals written
/// as amounts of units (`'1 day 2 hours'`, `'90 minutes'`, `'@ 1 week
/// ago'`), `hh:mm[:ss]`, `d hh:mm:ss` and `y-m`: years and months, days,
/// then `hh:mm:ss`.
fn interval(value: &str) -> Option<String> {
    let (months, days, micros) = interval_fields(value, "second")?;
    Some(print_interval(months, days, micros))
}

/// `interval 'value' leading [TO last]`: a bare number counts in the last
/// (rightmost) unit, and what is finer than that unit is cut off
/// (`interval '1.5' hour` is one hour), as `AdjustIntervalForTypmod` does.
/// `None` for `MINUTE TO SECOND`, where `m:s` reads differently.
pub(super) fn qualified_interval(value: &str, leading: &str, last: Option<&str>) -> Option<String> {
    let unit = last.unwrap_or(leading).to_ascii_lowercase();
    // `MINUTE TO SECOND` reads `m:s[.f]` as minutes and seconds.
    let minutes_seconds = leading.eq_ignore_ascii_case("minute") && unit == "second";
    let (mut months, mut days, mut micros) = match value.trim().split_once(':') {
        Some((m, sec)) if minutes_seconds && !sec.contains(':') && !m.contains(' ') => {
            let negative = m.starts_with('-');
            let total = i128::from(m.trim_start_matches(['-', '+']).parse::<i64>().ok()?)
                * 60_000_000
                + seconds(sec)?;
            (0, 0, if negative { -total } else { total })
        }
        _ => interval_fields(value, &unit)?,
    };
    match unit.as_str() {
        "year" => {
            months = months / 12 * 12;
            days = 0;
            micros = 0;
        }
        "month" => {
            days = 0;
            micros = 0;
        }
        "day" => micros = 0,
        "hour" => micros = micros / 3_600_000_000 * 3_600_000_000,
        "minute" => micros = micros / 60_000_000 * 60_000_000,
        "second" => {}
        _ => return None,
    }
    Some(print_interval(months, days, micros))
}

/// A literal for a column of type `interval fields(precision)`, which
/// the server reads with the column's modifier: the value as
/// `qualified_interval` reads it, its seconds rounded to `precision`
/// digits (`AdjustIntervalForTypmod`), then the type with its modifier
/// (`'00:00:02'::interval(0)`). `None` where it cannot say.
pub(crate) fn interval_for_typmod(
    value: &str,
    fields: Option<(&str, Option<&str>)>,
    precision: Option<u32>,
) -> Option<String> {
    let printed = match fields {
        Some((leading, last)) => qualified_interval(value, leading, last)?,
        None => interval(value)?,
    };
    let printed = match precision {
        Some(p) if p < 6 => {
            let (months, days, micros) = interval_fields(&printed, "second")?;
            let scale = 10_i128.pow(6 - p);
            let rounded = (micros.abs() + scale / 2) / scale * scale;
            print_interval(months, days, if micros < 0 { -rounded } else { rounded })
        }
        _ => printed,
    };
    let fields = fields.map_or_else(String::new, |(leading, last)| match last {
        Some(last) => format!(" {} to {}", leading.to_lowercase(), last.to_lowercase()),
        None => format!(" {}", leading.to_lowercase()),
    });
    let precision = precision.map_or_else(String::new, |p| format!("({p})"));
    Some(format!("{}::interval{fields}{precision}", quote(&printed)))
}

/// An interval's months, days and microseconds; a number without a unit
/// counts in `bare` (or in days before a time of day).
fn interval_fields(value: &str, bare: &str) -> Option<(i64, i64, i128)> {
    const MICROS_PER_DAY: i128 = 86_400_000_000;
    const ONE: i128 = 1_000_000;
    if let Some(iso) = iso8601_interval(value) {
        return interval_fields(&iso, "second");
    }
    let mut months: i64 = 0;
    let mut days: i64 = 0;
    let mut micros: i128 = 0;
    let text = value
        .trim()
        .trim_start_matches('@')
        .trim()
        .to_ascii_lowercase();
    let (text, ago) = match text.strip_suffix("ago") {
        Some(rest) => (rest.trim().to_owned(), true),
        None => (text, false),
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut at = 0;
    while at < words.len() {
        let word = words[at];
        if word.contains(':') {
            let negative = word.starts_with('-');
            let parts: Vec<&str> = word.trim_start_matches(['-', '+']).split(':').collect();
            let (hours, minutes, secs) = match parts.as_slice() {
                [hours, minutes] => (*hours, *minutes, "0"),
                [hours, minutes, secs] => (*hours, *minutes, *secs),
                _ => return None,
            };
            let time = i128::from(hours.parse::<i64>().ok()?) * 3_600_000_000
                + i128::from(minutes.parse::<i64>().ok()?) * 60_000_000
                + seconds(secs)?;
            micros += if negative { -time } else { time };
            at += 1;
            continue;
        }
        // The SQL standard's `years-months`.
        if let Some((years, rest)) = word.split_once('-')
            && [years, rest]
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            months = months
                .checked_add(years.parse::<i64>().ok()?.checked_mul(12)?)?
                .checked_add(rest.parse::<i64>().ok()?)?;
            at += 1;
            continue;
        }
        // The amount in millionths, exactly: `1.5` is 1 500 000.
        let amount = millionths(word)?;
        let (unit, width) = match words.get(at + 1) {
            None => (bare, 1),
            Some(next) if next.contains(':') => ("day", 1),
            Some(next) => (next.trim_end_matches(','), 2),
        };
        // What a fraction of a day leaves, in microseconds.
        let day_rest = |scaled: i128| (scaled % ONE) * (MICROS_PER_DAY / ONE);
        match unit {
            // A fraction of a year is rounded to months (`AdjustFractYears`).
            "year" | "years" | "yr" | "yrs" | "y" => {
                months += i64::try_from(rint_div(amount * 12, ONE)).ok()?;
            }
            "mon" | "mons" | "month" | "months" => {
                months += i64::try_from(amount / ONE).ok()?;
                let in_days = (amount % ONE) * 30;
                days += i64::try_from(in_days / ONE).ok()?;
                micros += day_rest(in_days);
            }
            "week" | "weeks" | "w" => {
                let in_days = amount * 7;
                days += i64::try_from(in_days / ONE).ok()?;
                micros += day_rest(in_days);
            }
            "day" | "days" | "d" => {
                days += i64::try_from(amount / ONE).ok()?;
                micros += day_rest(amount);
            }
            "hour" | "hours" | "hr" | "hrs" | "h" => micros += amount * 3600,
            "minute" | "minutes" | "min" | "mins" | "m" => micros += amount * 60,
            "second" | "seconds" | "sec" | "secs" | "s" => micros += amount,
            _ => return None,
        }
        at += width;
    }
    if ago {
        months = -months;
        days = -days;
        micros = -micros;
    }
    Some((months, days, micros))
}

/// `n / d` rounded to the nearest integer, ties to even, as `rint` rounds.
fn rint_div(n: i128, d: i128) -> i128 {
    let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

/// An ISO 8601 duration as `DecodeISO8601Interval` reads it, spelled as
/// amounts of units for [`interval_fields`]: the designator format
/// (`P1Y2M3W4DT5H6M7.5S`, each amount signed and possibly fractional) and
/// the alternative formats (`P0001-02-03T04:05:06`, `P00010203T040506`).
/// `None` for anything else: the server reads only an upper-case `P` that
/// starts the value, with no space around it.
fn iso8601_interval(value: &str) -> Option<String> {
    let rest = value.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let number_end = |s: &str| {
        let signed = usize::from(s.starts_with(['-', '+']));
        signed
            + s[signed..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len() - signed)
    };
    let mut out = Vec::new();
    let mut push = |amount: &str, unit: &str| {
        if amount.is_empty() || amount == "-" || amount == "+" {
            return false;
        }
        out.push(format!("{amount} {unit}"));
        true
    };
    // The date part.
    let mut s = date;
    let mut first = true;
    while !s.is_empty() {
        let end = number_end(s);
        let (amount, after) = s.split_at(end);
        let unit = match after.chars().next() {
            Some('Y') => "year",
            Some('M') => "mon",
            Some('W') => "week",
            Some('D') => "day",
            None if first && amount.len() == 8 && amount.bytes().all(|b| b.is_ascii_digit()) => {
                // `YYYYMMDD`.
                let (y, md) = amount.split_at(4);
                let (m, d) = md.split_at(2);
                return iso_time(
                    time,
                    vec![format!("{y} year"), format!("{m} mon"), format!("{d} day")],
                );
            }
            None => "day",
            Some('-') if first => {
                // `Y-M[-D]`.
                let mut fields = s.split('-');
                let mut parts = Vec::new();
                for unit in ["year", "mon", "day"] {
                    match fields.next() {
                        Some(f) if !f.is_empty() && number_end(f) == f.len() => {
                            parts.push(format!("{f} {unit}"));
                        }
                        Some(_) => return None,
                        None => break,
                    }
                }
                if fields.next().is_some() {
                    return None;
                }
                return iso_time(time, parts);
            }
            Some(_) => return None,
        };
        if !push(amount, unit) {
            return None;
        }
        s = after.get(1..).unwrap_or("");
        first = false;
    }
    iso_time(time, out)
}

/// The time part of an ISO 8601 duration (after `T`), added to `date`'s
/// amounts: designators (`5H6M7.5S`), `hh:mm[:ss]`, or `hhmmss`.
fn iso_time(time: Option<&str>, mut parts: Vec<String>) -> Option<String> {
    let Some(mut s) = time else {
        return Some(parts.join(" "));
    };
    if s.contains(':') {
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '-' | '+'))
        {
            return None;
        }
        parts.push(s.to_owned());
        return Some(parts.join(" "));
    }
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        parts.push(format!("{}:{}:{}", &s[..2], &s[2..4], &s[4..]));
        return Some(parts.join(" "));
    }
    while !s.is_empty() {
        let signed = usize::from(s.starts_with(['-', '+']));
        let end = signed
            + s[signed..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len() - signed);
        let (amount, after) = s.split_at(end);
        if amount.len() == signed {
            return None;
        }
        let unit = match after.chars().next() {
            Some('H') => "hour",
            Some('M') => "minute",
            Some('S') | None => "second",
            Some(_) => return None,
        };
        parts.push(format!("{amount} {unit}"));
        s = after.get(1..).unwrap_or("");
    }
    Some(parts.join(" "))
}

/// An interval as `interval_out` writes it in the `postgres` style.
fn print_interval(months: i64, days: i64, micros: i128) -> String {
    // `EncodeInterval`: a positive field after a negative one gets a `+`.
    let mut parts = Vec::new();
    let mut before = false;
    for (n, unit) in [(months / 12, "year"), (months % 12, "mon"), (days, "day")] {
        if n != 0 {
            let plus = if before && n > 0 { "+" } else { "" };
            let s = if n == 1 { "" } else { "s" };
            parts.push(format!("{plus}{n} {unit}{s}"));
            before = n < 0;
        }
    }
    if micros != 0 || parts.is_empty() {
        let sign = if micros < 0 {
            "-"
        } else if before {
            "+"
        } else {
            ""
        };
        let m = micros.abs();
        let (h, rest) = (m / 3_600_000_000, m % 3_600_000_000);
        let (min, rest) = (rest / 60_000_000, rest % 60_000_000);
        let (sec, frac) = (rest / 1_000_000, rest % 1_000_000);
        let mut t = format!("{sign}{h:02}:{min:02}:{sec:02}");
        if frac != 0 {
            let f = format!("{frac:06}");
            t.push('.');
            t.push_str(f.trim_end_matches('0'));
        }
        parts.push(t);
    }
    parts.join(" ")
}

/// A decimal amount (`"1.5"`, `"-2"`) in millionths.
fn millionths(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = seconds(digits)?;
    Some(if negative { -value } else { value })
}

/// Seconds (`"05"`, `"5.25"`) in microseconds, a finer fraction rounded.
fn seconds(text: &str) -> Option<i128> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole: i128 = whole.parse().ok()?;
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut f: String = frac.chars().take(6).collect();
    while f.len() < 6 {
        f.push('0');
    }
    let round_up = frac.chars().nth(6).is_some_and(|d| d >= '5');
    Some(whole * 1_000_000 + f.parse::<i128>().ok()? + i128::from(round_up))
}

/// A literal cast to `ty` (`'x'::varchar(5)`): a constant of the type
/// without its modifiers, then the cast that applies them.
pub(super) fn cast_constant(value: &str, ty: &PgType) -> String {
    if ty.modifiers.is_empty() {
        return constant(value, ty);
    }
    let (text, _) = constant_text(value, &without_mods(ty));
    format!("{text}::{}", format_type(ty))
}

/// A number literal: `integer` when it fits, else `bigint`, else
/// `numeric`, printed as `get_const_expr` prints each.
pub(super) fn number(text: &str) -> Node {
    let (text, ty) = if let Ok(n) = text.parse::<i32>() {
        let shown = if n < 0 {
            format!("'{n}'::integer")
        } else {
            n.to_string()
        };
        (shown, "int4")
    } else if !text.contains(['.', 'e', 'E'])
        && let Ok(n) = text.parse::<i64>()
    {
        (format!("'{n}'::bigint"), "int8")
    } else {
        let value = numeric(text).unwrap_or_else(|| text.to_owned());
        let shown = if value.contains('.') && !value.starts_with('-') {
            value
        } else {
            format!("'{value}'::numeric")
        };
        (shown, "numeric")
    };
    Node {
        text,
        ty: Ty::builtin(ty),
        kind: Kind::Number,
    }
}

/// `numeric_out(numeric_in(text))`: exponents applied, the scale kept.
fn numeric(text: &str) -> Option<String> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let digits: String = format!("{whole}{fraction}");
    let scale = i32::try_from(fraction.len()).ok()? - exponent;
    let (int_part, frac_part) = if scale <= 0 {
        let zeros = usize::try_from(-scale).ok()?;
        (format!("{digits}{}", "0".repeat(zeros)), String::new())
    } else {
        let scale = usize::try_from(scale).ok()?;
        let padded = if digits.len() <= scale {
            format!("{}{digits}", "0".repeat(scale - digits.len() + 1))
        } else {
            digits
        };
        let split = padded.len() - scale;
        (padded[..split].to_owned(), padded[split..].to_owned())
    };
    let int_part = int_part.trim_start_matches('0');
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    let zero = int_part == "0" && frac_part.chars().all(|c| c == '0');
    let sign = if negative && !zero { "-" } else { "" };
    Some(if frac_part.is_empty() {
        format!("{sign}{int_part}")
    } else {
        format!("{sign}{int_part}.{frac_part}")
    })
}

#[cfg(test)]
mod tests {
    use super::{
        bytea, date, interval, interval_for_typmod, jsonb, numeric, qualified_interval,
        timestamptz, uuid,
    };

    #[test]
    fn dates_print_as_the_server_prints_them() {
        // Each checked against the server, under `DateStyle` `ISO, MDY`.
        for (given, printed) in [
            ("2020-01-02", "2020-01-02"),
            ("1/8/1999", "1999-01-08"),
            ("1/8/99", "1999-01-08"),
            ("1/8/20", "2020-01-08"),
            ("1/8/9", "2009-01-08"),
            ("Jan 8 99", "1999-01-08"),
            ("8 Jan 99", "1999-01-08"),
            ("January 8, 69", "2069-01-08"),
            ("08-Jan-99", "1999-01-08"),
            ("1999-Jan-08", "1999-01-08"),
            ("Jan-08-1999", "1999-01-08"),
        ] {
            assert_eq!(date(given).as_deref(), Some(printed), "{given}");
        }
        // Out of range under `MDY`: the server refuses it too.
        assert_eq!(date("13/1/99"), None);
    }

    #[test]
    fn intervals_print_as_the_server_prints_them() {
        for (given, printed) in [
            ("1 day", "1 day"),
            ("2 hours", "02:00:00"),
            ("90 minutes", "01:30:00"),
            ("1 day 2 hours", "1 day 02:00:00"),
            ("1.5 days", "1 day 12:00:00"),
            ("2 weeks", "14 days"),
            ("1 year 2 months", "1 year 2 mons"),
            ("00:00:00", "00:00:00"),
            ("12:30", "12:30:00"),
            ("@ 1 day ago", "-1 days"),
            ("1.5 seconds", "00:00:01.5"),
            ("-1 year 2 days", "-1 years +2 days"),
            ("1.5 months", "1 mon 15 days"),
            ("3 mins 4 secs", "00:03:04"),
            ("0", "00:00:00"),
            ("1.5", "00:00:01.5"),
            ("3 4:05:06", "3 days 04:05:06"),
            ("1-2", "1 year 2 mons"),
            ("1.05 years", "1 year 1 mon"),
            // ISO 8601, each checked against the server.
            ("P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06"),
            ("P1.5Y", "1 year 6 mons"),
            ("P1.05Y", "1 year 1 mon"),
            ("P0.5M", "15 days"),
            ("P1.5D", "1 day 12:00:00"),
            ("P1W", "7 days"),
            ("P2.5W", "17 days 12:00:00"),
            ("PT1.5H", "01:30:00"),
            ("PT36H", "36:00:00"),
            ("P0001-02-03T04:05:06", "1 year 2 mons 3 days 04:05:06"),
            ("P0001-02-03", "1 year 2 mons 3 days"),
            ("P1-2", "1 year 2 mons"),
            ("PT1:30", "01:30:00"),
            ("P-1Y", "-1 years"),
            ("P1Y-2M", "10 mons"),
            ("PT-1.5S", "-00:00:01.5"),
            ("P-1.5D", "-1 days -12:00:00"),
            ("P1DT", "1 day"),
            ("PT", "00:00:00"),
            ("P1D1D", "2 days"),
            ("P1Y2M3W", "1 year 2 mons 21 days"),
            ("P1.25W", "8 days 18:00:00"),
            ("PT1.5M", "00:01:30"),
        ] {
            assert_eq!(interval(given).as_deref(), Some(printed), "{given}");
        }
        // What the server refuses stays unread.
        for given in ["P", "p1y", "P1y", " P1D", "P1Y ago", "P1Y 2D", "P1X"] {
            assert_eq!(interval(given), None, "{given}");
        }
        for (given, leading, last, printed) in [
            ("1.5", "HOUR", None, Some("01:00:00")),
            ("90", "MINUTE", None, Some("01:30:00")),
            ("2", "DAY", None, Some("2 days")),
            ("1-2", "YEAR", Some("MONTH"), Some("1 year 2 mons")),
            ("3 4:05:06", "DAY", Some("SECOND"), Some("3 days 04:05:06")),
            ("3 4:05:06", "DAY", Some("HOUR"), Some("3 days 04:00:00")),
            ("14 months", "YEAR", None, Some("1 year")),
            ("1:30", "MINUTE", Some("SECOND"), Some("00:01:30")),
        ] {
            assert_eq!(
                qualified_interval(given, leading, last).as_deref(),
                printed,
                "{given} {leading} {last:?}"
            );
        }
        for (given, fields, precision, printed) in [
            ("1.7 seconds", None, Some(0), "'00:00:02'::interval(0)"),
            (
                "1 2:03:04.5678",
                Some(("DAY", Some("SECOND"))),
                Some(3),
                "'1 day 02:03:04.568'::interval day to second(3)",
            ),
            (
                "5",
                Some(("MINUTE", None)),
                None,
                "'00:05:00'::interval minute",
            ),
            (
                "1:30:45",
                Some(("HOUR", Some("MINUTE"))),
                None,
                "'01:30:00'::interval hour to minute",
            ),
            ("-1.5 seconds", None, Some(0), "'-00:00:02'::interval(0)"),
        ] {
            assert_eq!(
                interval_for_typmod(given, fields, precision).as_deref(),
                Some(printed),
                "{given}"
            );
        }
    }

    #[test]
    fn timestamps_and_bytes_print_as_the_server_prints_them() {
        assert_eq!(
            timestamptz("2020-01-01 10:00:00+02").as_deref(),
            Some("2020-01-01 08:00:00+00")
        );
        assert_eq!(
            timestamptz("2020-01-01 01:30-02:30").as_deref(),
            Some("2020-01-01 04:00:00+00")
        );
        assert_eq!(
            timestamptz("2020-03-01T00:00:00.25Z").as_deref(),
            Some("2020-03-01 00:00:00.25+00")
        );
        assert_eq!(
            timestamptz("2020-03-01 00:30:00+01").as_deref(),
            Some("2020-02-29 23:30:00+00")
        );
        assert_eq!(timestamptz("2020-01-01 00:00:00"), None);
        assert_eq!(bytea("").as_deref(), Some("\\x"));
        assert_eq!(bytea("\\x00FF").as_deref(), Some("\\x00ff"));
        assert_eq!(bytea("a\\000\\\\").as_deref(), Some("\\x61005c"));
    }

    #[test]
    fn uuids_and_jsonb_print_as_the_server_prints_them() {
        assert_eq!(
            uuid("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}").as_deref(),
            Some("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        );
        assert_eq!(
            jsonb(r#"{"bb":1,"a":[1,2], "a":3}"#).as_deref(),
            Some(r#"{"a": 3, "bb": 1}"#)
        );
        assert_eq!(jsonb(r#"{"x": 1.50}"#), None);
    }

    #[test]
    fn numerics_print_as_the_server_prints_them() {
        assert_eq!(numeric("1.5e3").as_deref(), Some("1500"));
        assert_eq!(numeric("1.50").as_deref(), Some("1.50"));
        assert_eq!(numeric("1e-2").as_deref(), Some("0.01"));
        assert_eq!(numeric(".5").as_deref(), Some("0.5"));
        assert_eq!(numeric("-0.0").as_deref(), Some("0.0"));
        assert_eq!(numeric("007").as_deref(), Some("7"));
        assert_eq!(numeric("x"), None);
    }
}
