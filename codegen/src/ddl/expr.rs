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

use crate::model::PgType;

/// The text of a column default of type `ty`.
pub(crate) fn default(expr: &Expr, ty: &PgType) -> String {
    match expr {
        Expr::Nested(inner) => default(inner, ty),
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
pub(crate) fn generated(expr: &Expr) -> String {
    expression(expr)
}

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
            let name = f.name.to_string();
            let lower = name.to_ascii_lowercase();
            // `nextval('seq')` is stored with the argument cast to regclass.
            if lower == "nextval"
                && let FunctionArguments::List(list) = &f.args
                && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] =
                    list.args.as_slice()
                && let Value::SingleQuotedString(s) = &v.value
            {
                return format!("nextval({}::regclass)", literal(s));
            }
            expr.to_string()
        }
        _ => expr.to_string(),
    }
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
    )
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `format_type(oid, NULL)`: the type without modifiers, as casts of
/// literals print it.
fn literal_type(ty: &PgType) -> String {
    let base = match (&ty.schema, ty.name.as_str()) {
        (Some(schema), name) => format!("{}.{}", ident(schema), ident(name)),
        (None, "int2") => "smallint".to_owned(),
        (None, "int4") => "integer".to_owned(),
        (None, "int8") => "bigint".to_owned(),
        (None, "float4") => "real".to_owned(),
        (None, "float8") => "double precision".to_owned(),
        (None, "bool") => "boolean".to_owned(),
        (None, "varchar") => "character varying".to_owned(),
        (None, "timestamp") => "timestamp without time zone".to_owned(),
        (None, "timestamptz") => "timestamp with time zone".to_owned(),
        (None, "time") => "time without time zone".to_owned(),
        (None, "timetz") => "time with time zone".to_owned(),
        (None, "varbit") => "bit varying".to_owned(),
        (None, name) => name.to_owned(),
    };
    if ty.array_dims > 0 {
        format!("{base}[]")
    } else {
        base
    }
}

/// An identifier as `format_type` quotes it.
fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
