//! Default and generation expressions, spelled the way PostgreSQL's
//! `pg_get_expr` spells them back (with `search_path = pg_catalog`), so that
//! the DDL and live sources agree on the common forms: literals cast to the
//! column's type, `nextval(…::regclass)`, parenthesised operators.
//!
//! Forms not listed here keep sqlparser's spelling; the README documents
//! that a default written unusually may read differently from the live
//! database.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value,
};

use super::deparse::Deparser;

/// Where a default expression uses, outside parentheses, what PostgreSQL's
/// grammar takes in a `DEFAULT` only inside them (a default is a
/// `b_expr`: no `NOT`, `AND`, `OR`, `BETWEEN`, `IN`, `LIKE`, `IS NULL`,
/// `ANY` or `AT TIME ZONE` at its top or in its operands), and
/// which word it is. The server refuses such a default with a syntax
/// error, so the DDL source does too.
pub(crate) fn needs_parentheses(expr: &Expr) -> Option<(sqlparser::tokenizer::Span, &'static str)> {
    use sqlparser::ast::{CastKind, Spanned as _};
    let word = match expr {
        Expr::Nested(_) => return None,
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => "NOT",
        Expr::UnaryOp { expr, .. }
        | Expr::Cast {
            kind: CastKind::DoubleColon,
            expr,
            ..
        } => return needs_parentheses(expr),
        Expr::BinaryOp {
            op: BinaryOperator::And,
            ..
        } => "AND",
        Expr::BinaryOp {
            op: BinaryOperator::Or,
            ..
        } => "OR",
        Expr::BinaryOp { left, right, .. }
        | Expr::IsDistinctFrom(left, right)
        | Expr::IsNotDistinctFrom(left, right) => {
            return needs_parentheses(left).or_else(|| needs_parentheses(right));
        }
        Expr::Between { .. } => "BETWEEN",
        Expr::InList { .. } | Expr::InSubquery { .. } | Expr::InUnnest { .. } => "IN",
        Expr::Like { .. } => "LIKE",
        Expr::ILike { .. } => "ILIKE",
        Expr::SimilarTo { .. } => "SIMILAR TO",
        Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsNotTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsNotFalse(_)
        | Expr::IsUnknown(_)
        | Expr::IsNotUnknown(_)
        | Expr::IsNormalized { .. }
        | Expr::IsJson { .. } => "IS",
        Expr::AnyOp { .. } => "ANY",
        Expr::AllOp { .. } => "ALL",
        Expr::AtTimeZone { .. } => "AT TIME ZONE",
        // `DEFAULT 'a' COLLATE "C"` is the column's collation after its
        // default, which the server takes.
        Expr::Collate { expr, .. } => return needs_parentheses(expr),
        _ => return None,
    };
    Some((expr.span(), word))
}
use crate::model::PgType;

/// The text of a column default of type `ty`: as the server prints it
/// back where the expression can be typed, else close to it. `None` for
/// a `NULL` the server stores as no default (see
/// [`Deparser::null_default`]).
pub(crate) fn default(expr: &Expr, ty: &PgType, deparser: &Deparser<'_>) -> Option<String> {
    match deparser.null_default(expr, ty) {
        Some(super::deparse::NullDefault::NotStored) => return None,
        Some(super::deparse::NullDefault::Stored(text)) => return Some(text),
        None => {}
    }
    if is_null(expr) {
        return None;
    }
    Some(
        deparser
            .default(expr, ty)
            .unwrap_or_else(|| requote(&default_text(expr, ty))),
    )
}

/// The special date and time input a default of type `ty` holds (`'now'`,
/// `'today'`, `'tomorrow'`, `'yesterday'`): the server reads it once, when
/// the statement runs, and stores that instant as a constant, which no
/// migration file says. `None` for any other default.
pub(crate) fn evaluated_when_created(expr: &Expr, ty: &PgType) -> Option<String> {
    let (value, ty) = match expr {
        Expr::Nested(inner) => return evaluated_when_created(inner, ty),
        Expr::Cast {
            expr: inner,
            data_type,
            ..
        } => (inner.as_ref(), data_type.to_string().to_ascii_lowercase()),
        Expr::TypedString(typed) => match &typed.value.value {
            Value::SingleQuotedString(s) => {
                return special_instant(s, &typed.data_type.to_string().to_ascii_lowercase());
            }
            _ => return None,
        },
        // Inside an operation (`date 'today' + 0`), where it is no longer
        // the column's own value.
        Expr::BinaryOp { left, right, .. } => {
            return inside(left).or_else(|| inside(right));
        }
        Expr::UnaryOp { expr: inner, .. } => return inside(inner),
        Expr::Function(f) => {
            let FunctionArguments::List(list) = &f.args else {
                return None;
            };
            return list.args.iter().find_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => inside(e),
                _ => None,
            });
        }
        other => (other, ty.name.clone()),
    };
    match value {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => special_instant(s, &ty),
            _ => None,
        },
        _ => None,
    }
}

/// A special instant inside an operand, where only a cast or a typed
/// literal says its type.
fn inside(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Cast { .. }
        | Expr::TypedString(_)
        | Expr::Nested(_)
        | Expr::BinaryOp { .. }
        | Expr::UnaryOp { .. }
        | Expr::Function(_) => evaluated_when_created(expr, &PgType::builtin("text")),
        _ => None,
    }
}

fn special_instant(value: &str, ty: &str) -> Option<String> {
    let word = value.trim().to_ascii_lowercase();
    let timely = ["date", "time", "timetz", "timestamp", "timestamptz"]
        .iter()
        .any(|t| ty == *t || ty.starts_with(&format!("{t}(")) || ty.starts_with(&format!("{t} ")));
    (timely && matches!(word.as_str(), "now" | "today" | "tomorrow" | "yesterday")).then_some(word)
}

/// The text of a column default of type `ty`, from its spelling alone.
pub(crate) fn default_without_types(expr: &Expr, ty: &PgType) -> Option<String> {
    (!is_null(expr)).then(|| requote(&default_text(expr, ty)))
}

fn is_null(expr: &Expr) -> bool {
    match expr {
        Expr::Nested(inner) | Expr::Cast { expr: inner, .. } => is_null(inner),
        Expr::Value(v) => v.value == Value::Null,
        _ => false,
    }
}

fn default_text(expr: &Expr, ty: &PgType) -> String {
    match expr {
        Expr::Nested(inner) => default_text(inner, ty),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => {
                format!("{}::{}", literal(s), literal_type(ty))
            }
            _ => expression(expr),
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr: inner,
        } if matches!(&**inner, Expr::Value(v) if matches!(v.value, Value::Number(..))) => {
            format!("{}::{}", literal(&format!("-{inner}")), literal_type(ty))
        }
        _ => expression(expr),
    }
}

/// The text of a generated column's expression.
pub(crate) fn generated(expr: &Expr, deparser: &Deparser<'_>) -> String {
    deparser
        .generated(expr)
        .unwrap_or_else(|| requote(&expression(expr)))
}

/// `text` with every quoted identifier that needs no quotes written bare,
/// as `pg_get_expr` writes it (`quote_identifier`): `pg_dump`
/// `--quote-all-identifiers` writes `"now"()` and `'{}'::"text"[]` where
/// the server reads back `now()` and `'{}'::text[]`. String literals are
/// left as they are.
fn requote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                out.push(c);
                while let Some(c) = chars.next() {
                    out.push(c);
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push(chars.next().expect("peeked"));
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' => {
                let mut name = String::new();
                while let Some(c) = chars.next() {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            name.push(chars.next().expect("peeked"));
                        } else {
                            break;
                        }
                    } else {
                        name.push(c);
                    }
                }
                out.push_str(&ident(&name));
            }
            // sqlparser writes a cast's type in capitals (`::TEXT`,
            // `::DOUBLE PRECISION`); the server in lower case.
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                out.push_str("::");
                let rest: String = chars.clone().collect();
                let word_len = |from: &str| {
                    from.find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                        .unwrap_or(from.len())
                };
                let mut len = word_len(&rest);
                if len > 0 {
                    // Multi-word types keep their following words.
                    for words in [
                        "DOUBLE PRECISION",
                        "CHARACTER VARYING",
                        "BIT VARYING",
                        "TIMESTAMP WITH TIME ZONE",
                        "TIMESTAMP WITHOUT TIME ZONE",
                        "TIME WITH TIME ZONE",
                        "TIME WITHOUT TIME ZONE",
                    ] {
                        if rest.starts_with(words)
                            && !rest[words.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
                        {
                            len = len.max(words.len());
                        }
                    }
                    out.push_str(&rest[..len].to_lowercase());
                    for _ in 0..rest[..len].chars().count() {
                        chars.next();
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// PostgreSQL's keywords that are not `UNRESERVED_KEYWORD`s: quoted as
/// identifiers by `quote_identifier` (PostgreSQL 15's
/// `src/include/parser/kwlist.h`).
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

fn expression(expr: &Expr) -> String {
    match expr {
        Expr::Nested(inner) => expression(inner),
        Expr::BinaryOp { left, op, right } if is_operator(op) => {
            format!("({} {op} {})", operand(left), operand(right))
        }
        Expr::Cast {
            expr: inner,
            data_type,
            ..
        } => {
            let ty = data_type.to_string().to_ascii_lowercase();
            match &**inner {
                Expr::Value(v) => match &v.value {
                    Value::SingleQuotedString(s) => format!("{}::{ty}", literal(s)),
                    _ => format!("{inner}::{ty}"),
                },
                other => format!("({})::{ty}", expression(other)),
            }
        }
        Expr::Function(f) => {
            let lower = match f.name.0.as_slice() {
                [part] => part
                    .as_ident()
                    .map(crate::ddl::fold::fold_ident)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            // `nextval('seq')` is stored with the argument cast to regclass;
            // pg_dump writes that cast (`nextval('s'::regclass)`).
            if lower == "nextval"
                && let FunctionArguments::List(list) = &f.args
                && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice()
            {
                let arg = match arg {
                    Expr::Cast {
                        expr, data_type, ..
                    } if requote(&data_type.to_string()).eq_ignore_ascii_case("regclass") => {
                        &**expr
                    }
                    other => other,
                };
                if let Expr::Value(v) = arg
                    && let Value::SingleQuotedString(s) = &v.value
                {
                    return format!("nextval({}::regclass)", literal(&regclass(s)));
                }
            }
            expr.to_string()
        }
        _ => expr.to_string(),
    }
}

/// A relation name in a `regclass` literal as the server prints it back:
/// each part folded (`"catalog"."part_seq"` and `Catalog.Part_Seq` are
/// `catalog.part_seq`), then quoted only where it must be. Text that is
/// not a name is kept as written.
pub(crate) fn regclass(text: &str) -> String {
    let mut parts = Vec::new();
    let text = text.trim();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return text.to_owned(),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' || c == '"' {
                    break;
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
        }
        if part.is_empty() {
            return text.to_owned();
        }
        parts.push(ident(&part));
        match chars.next() {
            None => break,
            Some('.') => {}
            Some(_) => return text.to_owned(),
        }
    }
    parts.join(".")
}

fn operand(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Value(_) => expr.to_string(),
        other => expression(other),
    }
}

fn is_operator(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Plus
            | BinaryOperator::Minus
            | BinaryOperator::Multiply
            | BinaryOperator::Divide
            | BinaryOperator::Modulo
            | BinaryOperator::StringConcat
            // `OPERATOR(public.=)`, as pg_dump writes an extension's.
            | BinaryOperator::PGCustomBinaryOperator(_)
    )
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `format_type(oid, NULL)`: the type without modifiers, as casts of
/// literals print it.
fn literal_type(ty: &PgType) -> String {
    super::deparse::format_type(&super::deparse::without_mods(ty))
}

/// Whether `name` is one of PostgreSQL's keywords that are no plain
/// identifiers (`coalesce`, `greatest`): unquoted, such a call is SQL's
/// own syntax, never a function of the database's.
pub(crate) fn is_keyword(name: &str) -> bool {
    QUOTED_KEYWORDS.contains(&name)
}

/// An identifier as `format_type` and `quote_identifier` quote it.
pub(crate) fn ident(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !QUOTED_KEYWORDS.contains(&name);
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::{regclass, requote};

    #[test]
    fn quotes_are_kept_only_where_the_server_keeps_them() {
        assert_eq!(requote(r#""now"()"#), "now()");
        assert_eq!(requote(r#"'{}'::"text"[]"#), "'{}'::text[]");
        assert_eq!(
            requote(r#"("quantity" * "Unit")"#),
            r#"(quantity * "Unit")"#
        );
        assert_eq!(requote(r#""order"."user""#), r#""order"."user""#);
        assert_eq!(requote(r#"'say "hi"'::"text""#), r#"'say "hi"'::text"#);
        assert_eq!(requote(r#"'it''s "x"'"#), r#"'it''s "x"'"#);
    }

    #[test]
    fn regclass_literals_are_folded_and_quoted_like_the_server() {
        assert_eq!(regclass(r#""shop"."tag_id_seq""#), "shop.tag_id_seq");
        assert_eq!(regclass("Shop.Tag_Seq"), "shop.tag_seq");
        assert_eq!(regclass(r#"shop."Tag Seq""#), r#"shop."Tag Seq""#);
        assert_eq!(regclass("seq"), "seq");
        assert_eq!(regclass(r#"bad"name"#), r#"bad"name"#);
    }
}
