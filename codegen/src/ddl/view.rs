//! Works out a view's columns from its query, where that is possible without
//! a server: plain and qualified column references, `*`, casts and literals.
//! Anything else is an error that suggests a cast.

use sqlparser::ast::{
    Expr, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, SetExpr, Spanned,
    TableFactor, TableWithJoins, Value,
};
use sqlparser::tokenizer::Span;

use super::fold::{Catalog, Scope, Source, fold_ident};
use super::types;
use crate::model::{Column, PgType};

type ViewResult<T> = Result<T, (Span, String)>;

/// The error for a `FROM` item whose columns the DDL source cannot follow.
pub(crate) const UNSUPPORTED_FROM: &str =
    "subqueries, table functions and aliased joins in a view's FROM are not supported";

struct Relation {
    alias: String,
    columns: Vec<Column>,
}

/// The columns of a view over `query`; `names` is the explicit column list.
pub(crate) fn columns(
    catalog: &Catalog,
    source: &Source<'_>,
    query: &Query,
    names: &[String],
) -> ViewResult<Vec<Column>> {
    let select = first_select(&query.body).ok_or_else(|| {
        (
            query.span(),
            "the view's query is not a plain SELECT, so its columns cannot be read from the DDL"
                .to_owned(),
        )
    })?;
    let relations = relations(catalog, source, select)?;
    let mut out: Vec<Column> = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::Wildcard(_) => {
                for r in &relations {
                    out.extend(r.columns.iter().cloned());
                }
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                    return Err((
                        item.span(),
                        "`expr.*` is not supported in a view".to_owned(),
                    ));
                };
                let alias = name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(fold_ident)
                    .unwrap_or_default();
                let r = relations.iter().find(|r| r.alias == alias).ok_or_else(|| {
                    (
                        name.span(),
                        format!("`{alias}` is not a table of this query"),
                    )
                })?;
                out.extend(r.columns.iter().cloned());
            }
            SelectItem::UnnamedExpr(expr) => {
                let (name, ty) = expression(catalog, source, &relations, expr)?;
                let name = name.ok_or_else(|| {
                    (
                        expr.span(),
                        "this view column has no name; give it one with `AS`".to_owned(),
                    )
                })?;
                out.push(view_column(name, ty));
            }
            SelectItem::ExprWithAlias { expr, alias } => {
                let (_, ty) = expression(catalog, source, &relations, expr)?;
                out.push(view_column(fold_ident(alias), ty));
            }
            other @ SelectItem::ExprWithAliases { .. } => {
                return Err((
                    other.span(),
                    format!("`{other}` is not supported in a view"),
                ));
            }
        }
    }
    if names.len() > out.len() {
        return Err((
            query.span(),
            format!(
                "the view names {} columns but its query has {}",
                names.len(),
                out.len()
            ),
        ));
    }
    for (column, name) in out.iter_mut().zip(names) {
        column.name.clone_from(name);
    }
    // PostgreSQL reports every view column as nullable, and no defaults.
    for column in &mut out {
        column.nullable = true;
        column.default = None;
        column.identity = None;
        column.generated = None;
        column.comment = None;
    }
    let mut seen = std::collections::BTreeSet::new();
    for column in &out {
        if !seen.insert(column.name.clone()) {
            return Err((
                query.span(),
                format!("the view has two columns named `{}`", column.name),
            ));
        }
    }
    Ok(out)
}

fn view_column(name: String, ty: PgType) -> Column {
    Column {
        name,
        ty,
        nullable: true,
        default: None,
        identity: None,
        generated: None,
        comment: None,
    }
}

fn first_select(body: &SetExpr) -> Option<&Select> {
    match body {
        SetExpr::Select(select) => Some(select),
        SetExpr::Query(query) => first_select(&query.body),
        // The first branch of a UNION names and types the columns.
        SetExpr::SetOperation { left, .. } => first_select(left),
        _ => None,
    }
}

fn relations(catalog: &Catalog, source: &Source<'_>, select: &Select) -> ViewResult<Vec<Relation>> {
    let mut out = Vec::new();
    for from in &select.from {
        joined(catalog, source, from, &mut out)?;
    }
    Ok(out)
}

/// The relations of one `FROM` item and its joins, also inside the
/// parentheses `pg_dump` writes around every join (`FROM ((a JOIN b ON …)
/// LEFT JOIN c ON …)`).
fn joined(
    catalog: &Catalog,
    source: &Source<'_>,
    from: &TableWithJoins,
    out: &mut Vec<Relation>,
) -> ViewResult<()> {
    let factors = std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation));
    for factor in factors {
        let (name, alias) = match factor {
            TableFactor::Table { name, alias, .. } => (name, alias),
            TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => {
                joined(catalog, source, table_with_joins, out)?;
                continue;
            }
            _ => {
                return Err((factor.span(), UNSUPPORTED_FROM.to_owned()));
            }
        };
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(fold_ident).unwrap_or_default())
            .collect();
        let (schema, table) = match parts.as_slice() {
            [t] => (source.default_schema.to_owned(), t.clone()),
            [s, t] | [_, s, t] => (s.clone(), t.clone()),
            _ => return Err((name.span(), format!("`{name}` is not a valid name"))),
        };
        let section = catalog.schemas.get(&schema);
        let columns = section
            .and_then(|s| {
                s.tables
                    .get(&table)
                    .map(|t| t.columns.clone())
                    .or_else(|| s.views.get(&table).map(|v| v.columns.clone()))
            })
            .ok_or_else(|| {
                (
                    name.span(),
                    format!("relation `{schema}.{table}` does not exist"),
                )
            })?;
        out.push(Relation {
            alias: alias.as_ref().map_or(table, |a| fold_ident(&a.name)),
            columns,
        });
    }
    Ok(())
}

/// The name PostgreSQL gives an unaliased expression, and its type.
fn expression(
    catalog: &Catalog,
    source: &Source<'_>,
    relations: &[Relation],
    expr: &Expr,
) -> ViewResult<(Option<String>, PgType)> {
    match expr {
        Expr::Identifier(ident) => {
            let name = fold_ident(ident);
            let mut found = relations
                .iter()
                .filter_map(|r| r.columns.iter().find(|c| c.name == name));
            let column = found
                .next()
                .ok_or_else(|| (ident.span, format!("column `{name}` does not exist")))?;
            if found.next().is_some() {
                return Err((
                    ident.span,
                    format!("column reference `{name}` is ambiguous"),
                ));
            }
            Ok((Some(name), column.ty.clone()))
        }
        Expr::CompoundIdentifier(parts) => {
            let (Some(column), Some(relation)) = (parts.last(), parts.iter().rev().nth(1)) else {
                return Err((expr.span(), "unsupported column reference".to_owned()));
            };
            let name = fold_ident(column);
            let alias = fold_ident(relation);
            let r = relations.iter().find(|r| r.alias == alias).ok_or_else(|| {
                (
                    relation.span,
                    format!("`{alias}` is not a table of this query"),
                )
            })?;
            let c = r.columns.iter().find(|c| c.name == name).ok_or_else(|| {
                (
                    column.span,
                    format!("column `{alias}.{name}` does not exist"),
                )
            })?;
            Ok((Some(name), c.ty.clone()))
        }
        Expr::Cast {
            expr: inner,
            data_type,
            ..
        } => {
            let scope = Scope {
                catalog,
                default_schema: source.default_schema,
            };
            let ty = types::pg_type(data_type, &scope)
                .map_err(|_| (expr.span(), format!("type `{data_type}` is not known")))?;
            let name = match expression(catalog, source, relations, inner) {
                Ok((name, _)) => name,
                Err(_) => None,
            };
            // PostgreSQL names `x::t` after `x` when it is a column, else after the type.
            Ok((name.or_else(|| Some(ty.name.clone())), ty))
        }
        Expr::Nested(inner) => expression(catalog, source, relations, inner),
        Expr::Value(value) => {
            let ty = match &value.value {
                Value::Number(n, _) => {
                    if n.contains(['.', 'e', 'E']) {
                        PgType::builtin("numeric")
                    } else if n.parse::<i32>().is_ok() {
                        PgType::builtin("int4")
                    } else if n.parse::<i64>().is_ok() {
                        PgType::builtin("int8")
                    } else {
                        PgType::builtin("numeric")
                    }
                }
                Value::SingleQuotedString(_) | Value::EscapedStringLiteral(_) => {
                    PgType::builtin("text")
                }
                Value::Boolean(_) => PgType::builtin("bool"),
                _ => {
                    return Err((
                        expr.span(),
                        format!("the type of `{expr}` cannot be known without a server"),
                    ));
                }
            };
            Ok((None, ty))
        }
        _ => Err((
            expr.span(),
            format!("the type of `{expr}` cannot be known without a server"),
        )),
    }
}
