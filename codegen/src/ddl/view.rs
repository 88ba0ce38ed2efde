//! Works out a view's columns from its query without a server, as
//! PostgreSQL's parser would: the relations of `FROM` (tables, views,
//! `WITH` queries, subqueries, `VALUES`, set-returning functions, `UNNEST`,
//! joins of any nesting), then each output column's name
//! (`FigureColname`) and type, with functions and operators resolved
//! against the built-ins (`resolve`). What needs the server (a user's
//! function, an extension's type inside an expression) is an error that
//! says so and suggests a cast.

use sqlparser::ast::{
    AccessExpr, BinaryOperator, CeilFloorKind, DataType, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, JoinConstraint, JoinOperator, ObjectName, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, Spanned, Subscript, TableAlias, TableFactor,
    TableWithJoins, TrimWhereField, UnaryOperator, Value,
};
use sqlparser::tokenizer::Span;

use super::builtins::Kind;
use super::fold::{Catalog, Scope as TypeScopeOf, Source, fold_ident, rewrite};
use super::resolve::{Resolver, Ty, UserTypes};
use super::types::{self, TypeScope as _};
use crate::model::{Column, PgType};

type ViewResult<T> = Result<T, ViewError>;

/// Why a view's columns cannot be read, where, and what to do.
pub(crate) struct ViewError {
    pub span: Span,
    pub message: String,
    pub help: Option<&'static str>,
}

impl ViewError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            help: None,
        }
    }
}

impl From<(Span, String)> for ViewError {
    fn from((span, message): (Span, String)) -> Self {
        Self::new(span, message)
    }
}

/// The help for what only the server can type.
const NEEDS_THE_SERVER: &str = "cast the expression to its type (`expr::numeric AS total`), or let the server type it (`source = \"shadow\"` in sections.toml: the migrations applied to a throwaway database)";

/// The name PostgreSQL gives a column it cannot name otherwise.
const NO_NAME: &str = "?column?";

/// The type of system column `name` of a table (no user column may take
/// such a name).
fn system_column(name: &str) -> Option<Ty> {
    let ty = match name {
        "tableoid" => "oid",
        "xmin" | "xmax" => "xid",
        "cmin" | "cmax" => "cid",
        "ctid" => "tid",
        _ => return None,
    };
    Some(Ty::builtin(ty))
}

/// A table's or view's `(schema, name)` from its row type, with its
/// columns' names; `None` for any other relation (its row is a `record`).
fn relation_source(row: &Ty, columns: &[Output]) -> Option<(String, String, Vec<String>)> {
    let Ty::Known(PgType {
        schema: Some(schema),
        name,
        ..
    }) = row
    else {
        return None;
    };
    let own = columns.iter().map(|c| c.name.clone()).collect();
    Some((schema.clone(), name.clone(), own))
}

/// One output column of a query: its name and type.
#[derive(Clone)]
struct Output {
    name: String,
    ty: Ty,
}

/// A relation of a `FROM` clause under its alias.
struct Relation {
    alias: String,
    columns: Vec<Output>,
    /// Columns merged into an earlier relation by `USING` or `NATURAL`:
    /// `*` shows them once, and an unqualified name finds them there.
    merged: Vec<String>,
    /// The type of its whole row (`SELECT t FROM s.t`): a table's or
    /// view's row type; `record` for any other relation.
    row: Ty,
    /// Whether it has system columns (`ctid`, `xmin`, …): a table, a
    /// materialized view or a foreign table.
    system: bool,
    /// The table or view it is, by `(schema, name)`, with its columns'
    /// own names in order (an alias may rename them): the columns read
    /// through it are the view's dependencies.
    source: Option<(String, String, Vec<String>)>,
}

/// The names a query sees: its relations, its `WITH` queries, and those of
/// the queries around it.
struct Names<'s> {
    relations: Vec<Relation>,
    /// What `*` stands for, in PostgreSQL's order: each `FROM` item's
    /// columns, a join's merged (`USING`, `NATURAL`) columns first.
    star: Vec<Output>,
    ctes: Vec<(String, Vec<Output>)>,
    outer: Option<&'s Names<'s>>,
}

impl Names<'_> {
    fn cte(&self, name: &str) -> Option<&[Output]> {
        self.ctes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_slice())
            .or_else(|| self.outer.and_then(|o| o.cte(name)))
    }
}

impl UserTypes for Catalog {
    fn domain_base(&self, ty: &PgType) -> Option<PgType> {
        let schema = ty.schema.as_ref()?;
        self.schemas
            .get(schema)?
            .domains
            .get(&ty.name)
            .map(|d| d.base.clone())
    }

    fn is_enum(&self, ty: &PgType) -> bool {
        ty.schema
            .as_ref()
            .and_then(|s| self.schemas.get(s))
            .is_some_and(|s| s.enums.contains_key(&ty.name))
    }
}

struct Typer<'c> {
    catalog: &'c Catalog,
    source: &'c Source<'c>,
    resolver: Resolver<'c>,
    /// The tables and views the query reads, and their columns.
    reads: std::cell::RefCell<Reads>,
}

/// A column read: `(schema, table or view, column)`.
type ColumnRead = (String, String, String);

/// What a view reads: tables and views by `(schema, name)`, and their
/// columns by `(schema, name, column)` (every one, for `*` and a whole
/// row), as the server records a view's dependencies.
#[derive(Clone, Default)]
pub(crate) struct Reads {
    pub relations: std::collections::BTreeSet<(String, String)>,
    pub columns: std::collections::BTreeSet<ColumnRead>,
}

/// A view's columns, and what it reads.
pub(crate) struct Typed {
    pub columns: Vec<Column>,
    pub reads: Reads,
}

/// The columns of a view over `query`; `names` is the explicit column list.
pub(crate) fn columns(
    catalog: &Catalog,
    source: &Source<'_>,
    query: &Query,
    names: &[String],
) -> ViewResult<Typed> {
    let typer = Typer {
        catalog,
        source,
        resolver: Resolver::new(catalog),
        reads: std::cell::RefCell::default(),
    };
    let outputs = typer.query(query, None)?;
    if names.len() > outputs.len() {
        return Err(ViewError::new(
            query.span(),
            format!(
                "the view names {} columns but its query has {}",
                names.len(),
                outputs.len()
            ),
        ));
    }
    let mut out: Vec<Column> = Vec::with_capacity(outputs.len());
    for (i, output) in outputs.into_iter().enumerate() {
        let mut ty = output.ty.into_column_type();
        // The catalog keeps no dimensions for a view's columns.
        ty.array_dims = ty.array_dims.min(1);
        // PostgreSQL reports every view column as nullable, without defaults.
        out.push(Column {
            name: names.get(i).cloned().unwrap_or(output.name),
            ty,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            comment: None,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for column in &out {
        if !seen.insert(column.name.clone()) {
            return Err(ViewError::new(
                query.span(),
                format!("the view has two columns named `{}`", column.name),
            ));
        }
    }
    Ok(Typed {
        columns: out,
        reads: typer.reads.into_inner(),
    })
}

/// An expression whose type needs the server.
fn unknown_type(span: Span, expr: &impl std::fmt::Display, why: &str) -> ViewError {
    ViewError {
        span,
        message: format!("the type of `{expr}` cannot be known without a server: {why}"),
        help: Some(NEEDS_THE_SERVER),
    }
}

/// The last part of a name, folded.
fn last(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(fold_ident)
        .unwrap_or_default()
}

fn rename(columns: &mut [Output], alias: Option<&TableAlias>) {
    if let Some(alias) = alias {
        for (column, name) in columns.iter_mut().zip(&alias.columns) {
            column.name = fold_ident(&name.name);
        }
    }
}

impl Typer<'_> {
    fn scope(&self) -> TypeScopeOf<'_> {
        TypeScopeOf {
            catalog: self.catalog,
            path: self.source.search_path,
        }
    }

    fn data_type(&self, data_type: &DataType, span: Span) -> ViewResult<PgType> {
        types::pg_type(data_type, &self.scope())
            .map_err(|_| ViewError::new(span, format!("type `{data_type}` is not known")))
    }

    /// The output columns of a query.
    fn query(&self, query: &Query, outer: Option<&Names<'_>>) -> ViewResult<Vec<Output>> {
        let mut names = Names {
            relations: Vec::new(),
            star: Vec::new(),
            ctes: Vec::new(),
            outer,
        };
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                let name = fold_ident(&cte.alias.name);
                if with.recursive {
                    // A recursive query's type is its first branch's.
                    let first = match cte.query.body.as_ref() {
                        SetExpr::SetOperation { left, .. } => left.as_ref(),
                        other => other,
                    };
                    let mut columns = self.body(first, &names)?;
                    rename(&mut columns, Some(&cte.alias));
                    names.ctes.push((name.clone(), columns));
                }
                let mut columns = self.query(&cte.query, Some(&names))?;
                rename(&mut columns, Some(&cte.alias));
                names.ctes.retain(|(n, _)| *n != name);
                names.ctes.push((name, columns));
            }
        }
        self.body(&query.body, &names)
    }

    fn body(&self, body: &SetExpr, outer: &Names<'_>) -> ViewResult<Vec<Output>> {
        match body {
            SetExpr::Select(select) => self.select(select, outer),
            SetExpr::Query(query) => self.query(query, Some(outer)),
            SetExpr::SetOperation { left, right, .. } => {
                let left_columns = self.body(left, outer)?;
                let right_columns = self.body(right, outer)?;
                if left_columns.len() != right_columns.len() {
                    return Err(ViewError::new(
                        body.span(),
                        "each branch of a UNION, INTERSECT or EXCEPT must have the same number of columns"
                            .to_owned(),
                    ));
                }
                left_columns
                    .into_iter()
                    .zip(right_columns)
                    .map(|(l, r)| {
                        let ty = self
                            .resolver
                            .common_type(&[l.ty, r.ty], "UNION")
                            .map_err(|e| (body.span(), e))?;
                        Ok(Output { name: l.name, ty })
                    })
                    .collect()
            }
            SetExpr::Values(values) => {
                let width = values.rows.first().map_or(0, |r| r.len());
                let mut columns = Vec::with_capacity(width);
                for i in 0..width {
                    let mut types = Vec::new();
                    for row in &values.rows {
                        let expr = row.get(i).ok_or_else(|| {
                            (
                                body.span(),
                                "VALUES lists must all be the same length".to_owned(),
                            )
                        })?;
                        types.push(self.expr(expr, outer)?);
                    }
                    let ty = self
                        .resolver
                        .common_type(&types, "VALUES")
                        .map_err(|e| (body.span(), e))?;
                    columns.push(Output {
                        name: format!("column{}", i + 1),
                        ty,
                    });
                }
                Ok(columns)
            }
            other => Err(ViewError::new(
                other.span(),
                "the view's query is not a SELECT, so its columns cannot be read from the DDL"
                    .to_owned(),
            )),
        }
    }

    fn select(&self, select: &Select, outer: &Names<'_>) -> ViewResult<Vec<Output>> {
        let mut names = Names {
            relations: Vec::new(),
            star: Vec::new(),
            ctes: Vec::new(),
            outer: Some(outer),
        };
        for from in &select.from {
            let star = self.joined(from, &mut names)?;
            names.star.extend(star);
        }
        let mut out = Vec::new();
        for item in &select.projection {
            match item {
                SelectItem::Wildcard(_) => {
                    for r in &names.relations {
                        self.read_all(r);
                    }
                    out.extend(names.star.iter().cloned());
                }
                SelectItem::QualifiedWildcard(kind, _) => {
                    let SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                        return Err(ViewError::new(
                            item.span(),
                            "`(expr).*` is not supported in a view".to_owned(),
                        ));
                    };
                    let alias = last(name);
                    let r = names
                        .relations
                        .iter()
                        .find(|r| r.alias == alias)
                        .ok_or_else(|| {
                            (
                                name.span(),
                                format!("`{alias}` is not a table of this query"),
                            )
                        })?;
                    self.read_all(r);
                    out.extend(r.columns.iter().cloned());
                }
                SelectItem::UnnamedExpr(expr) => {
                    let ty = self.expr(expr, &names)?;
                    out.push(Output {
                        name: self
                            .colname(expr, &names)
                            .unwrap_or_else(|| NO_NAME.to_owned()),
                        ty,
                    });
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let ty = self.expr(expr, &names)?;
                    out.push(Output {
                        name: fold_ident(alias),
                        ty,
                    });
                }
                other @ SelectItem::ExprWithAliases { .. } => {
                    return Err(ViewError::new(
                        other.span(),
                        format!("`{other}` is not supported in a view"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Adds the relations of one `FROM` item and its joins to `names`, also
    /// inside the parentheses `pg_dump` writes around every join; returns
    /// what `*` stands for in it.
    fn joined(&self, from: &TableWithJoins, names: &mut Names<'_>) -> ViewResult<Vec<Output>> {
        let start = names.relations.len();
        let mut star = self.factor(&from.relation, names)?;
        for join in &from.joins {
            let right = self.factor(&join.relation, names)?;
            let (JoinOperator::Join(constraint)
            | JoinOperator::Inner(constraint)
            | JoinOperator::Left(constraint)
            | JoinOperator::LeftOuter(constraint)
            | JoinOperator::Right(constraint)
            | JoinOperator::RightOuter(constraint)
            | JoinOperator::FullOuter(constraint)
            | JoinOperator::CrossJoin(constraint)) = &join.join_operator
            else {
                return Err(ViewError::new(
                    join.relation.span(),
                    "this kind of join is not PostgreSQL's".to_owned(),
                ));
            };
            let merged: Vec<String> = match constraint {
                JoinConstraint::Using(columns) => columns.iter().map(last).collect(),
                JoinConstraint::Natural => star
                    .iter()
                    .filter(|l| right.iter().any(|r| r.name == l.name))
                    .map(|l| l.name.clone())
                    .collect(),
                JoinConstraint::On(_) | JoinConstraint::None => Vec::new(),
            };
            let mut joined = Vec::with_capacity(star.len() + right.len());
            let mut merged_columns = Vec::with_capacity(merged.len());
            for name in &merged {
                let find =
                    |side: &[Output]| side.iter().find(|c| c.name == *name).map(|c| c.ty.clone());
                let (Some(l), Some(r)) = (find(&star), find(&right)) else {
                    return Err(ViewError::new(
                        join.relation.span(),
                        format!("column `{name}` of USING is not on both sides of the join"),
                    ));
                };
                let ty = self
                    .resolver
                    .common_type(&[l, r], "JOIN/USING")
                    .map_err(|e| (join.relation.span(), e))?;
                merged_columns.push(Output {
                    name: name.clone(),
                    ty,
                });
            }
            joined.extend(merged_columns.iter().cloned());
            joined.extend(star.into_iter().filter(|c| !merged.contains(&c.name)));
            joined.extend(right.into_iter().filter(|c| !merged.contains(&c.name)));
            star = joined;
            // An unqualified name of a merged column is the join's column,
            // of the common type; qualified, each side's own.
            if !merged.is_empty() {
                for r in &mut names.relations[start..] {
                    r.merged.extend(merged.iter().cloned());
                }
                names.relations.push(Relation {
                    alias: String::new(),
                    columns: merged_columns,
                    merged: Vec::new(),
                    row: Ty::builtin("record"),
                    system: false,
                    source: None,
                });
            }
        }
        Ok(star)
    }

    /// A relation named in `FROM`: a `WITH` query, a table or a view; its
    /// name and columns.
    fn named_relation(
        &self,
        name: &ObjectName,
        names: &Names<'_>,
    ) -> ViewResult<(String, Vec<Output>, Ty, bool)> {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(fold_ident).unwrap_or_default())
            .collect();
        if let [t] = parts.as_slice()
            && let Some(columns) = names.cte(t)
        {
            return Ok((t.clone(), columns.to_vec(), Ty::builtin("record"), false));
        }
        let (schema, table) = match parts.as_slice() {
            [t] => (
                self.catalog.relation_schema(t, self.source.search_path),
                t.clone(),
            ),
            [s, t] | [_, s, t] => (s.clone(), t.clone()),
            _ => {
                return Err(ViewError::new(
                    name.span(),
                    format!("`{name}` is not a valid name"),
                ));
            }
        };
        if let Some(overlay) = self.source.overlays.get(&schema) {
            return Err(ViewError {
                span: name.span(),
                message: format!(
                    "this view reads `{schema}.{table}` of section `{overlay}`, which extends this view's section; a base never depends on its overlays"
                ),
                help: Some(
                    "create the view in the overlay's migrations, or promote the table it reads into this section first",
                ),
            });
        }
        let section = self.catalog.schemas.get(&schema);
        if section.is_some_and(|s| s.tables.contains_key(&table) || s.views.contains_key(&table)) {
            self.reads
                .borrow_mut()
                .relations
                .insert((schema.clone(), table.clone()));
        }
        let system = section.is_some_and(|s| {
            s.tables.contains_key(&table) || s.views.get(&table).is_some_and(|v| v.materialized)
        }) || self.catalog.foreign_table(&schema, &table).is_some();
        let columns = section
            .and_then(|s| {
                s.tables
                    .get(&table)
                    .map(|t| &t.columns)
                    .or_else(|| s.views.get(&table).map(|v| &v.columns))
            })
            // A foreign table, which the model does not hold.
            .or_else(|| self.catalog.foreign_table(&schema, &table))
            .ok_or_else(|| {
                // A system catalog: `pg_class`, `information_schema.columns`.
                let system = matches!(schema.as_str(), "pg_catalog" | "information_schema")
                    || (parts.len() == 1 && table.starts_with("pg_"));
                if system {
                    return ViewError {
                        span: name.span(),
                        message: format!(
                            "`{name}` is a system catalog, whose columns views read from DDL do not know"
                        ),
                        help: Some(
                            "let the server type the view (`source = \"shadow\"` in sections.toml: the migrations applied to a throwaway database)",
                        ),
                    };
                }
                ViewError::new(
                    name.span(),
                    format!("relation `{schema}.{table}` does not exist"),
                )
            })?;
        let columns = columns
            .iter()
            .map(|c| Output {
                name: c.name.clone(),
                ty: Ty::Known(c.ty.clone()),
            })
            .collect();
        let row = Ty::Known(PgType {
            schema: Some(schema),
            ..PgType::builtin(&table)
        });
        Ok((table, columns, row, system))
    }

    /// Adds one `FROM` item to `names`; returns its columns.
    fn factor(&self, factor: &TableFactor, names: &mut Names<'_>) -> ViewResult<Vec<Output>> {
        let mut row = Ty::builtin("record");
        let mut system = false;
        let mut source = None;
        let (alias, columns) = match factor {
            TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let (table, columns, row_type, has_system) = self.named_relation(name, names)?;
                source = relation_source(&row_type, &columns);
                row = row_type;
                system = has_system;
                (
                    alias.as_ref().map_or(table, |a| fold_ident(&a.name)),
                    columns,
                )
            }
            TableFactor::Table {
                name,
                alias,
                args: Some(args),
                with_ordinality,
                ..
            } => self.table_function(
                name,
                &args.args,
                alias.as_ref(),
                *with_ordinality,
                names,
                factor.span(),
            )?,
            TableFactor::Function {
                name,
                args,
                alias,
                with_ordinality,
                ..
            } => self.table_function(
                name,
                args,
                alias.as_ref(),
                *with_ordinality,
                names,
                factor.span(),
            )?,
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                // A subquery sees the queries around it, and (when
                // `LATERAL`) the relations before it.
                let columns = self.query(subquery, Some(names))?;
                let alias_name = alias
                    .as_ref()
                    .map_or_else(String::new, |a| fold_ident(&a.name));
                (alias_name, columns)
            }
            TableFactor::UNNEST {
                alias,
                array_exprs,
                with_ordinality,
                ..
            } => {
                let mut columns = Vec::new();
                for expr in array_exprs {
                    // `unnest(anyarray) returns setof anyelement`: a
                    // function's result has no modifiers.
                    let ty = match self.expr(expr, names)? {
                        Ty::Known(t) if t.array_dims > 0 => Ty::Known(PgType {
                            array_dims: 0,
                            modifiers: Vec::new(),
                            ..t
                        }),
                        _ => {
                            return Err(ViewError::new(
                                expr.span(),
                                "the argument of UNNEST in a view must be an array of a known type"
                                    .to_owned(),
                            ));
                        }
                    };
                    let name = if array_exprs.len() == 1 {
                        alias
                            .as_ref()
                            .map_or_else(|| "unnest".to_owned(), |a| fold_ident(&a.name))
                    } else {
                        "unnest".to_owned()
                    };
                    columns.push(Output { name, ty });
                }
                if *with_ordinality {
                    columns.push(Output {
                        name: "ordinality".to_owned(),
                        ty: Ty::builtin("int8"),
                    });
                }
                rename(&mut columns, alias.as_ref());
                (
                    alias
                        .as_ref()
                        .map_or_else(|| "unnest".to_owned(), |a| fold_ident(&a.name)),
                    columns,
                )
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                let Some(alias) = alias else {
                    return self.joined(table_with_joins, names);
                };
                let mut inner = Names {
                    relations: Vec::new(),
                    star: Vec::new(),
                    ctes: Vec::new(),
                    outer: Some(names),
                };
                let columns = self.joined(table_with_joins, &mut inner)?;
                (fold_ident(&alias.name), columns)
            }
            _ => {
                return Err(ViewError {
                    span: factor.span(),
                    message: "this kind of FROM item is not supported in a view read from DDL"
                        .to_owned(),
                    help: Some(
                        "let the server type it (`source = \"shadow\"` in sections.toml: the migrations applied to a throwaway database), or select from tables and views joined directly",
                    ),
                });
            }
        };
        let mut columns = columns;
        let alias_ref = match factor {
            TableFactor::Table {
                alias, args: None, ..
            }
            | TableFactor::Derived { alias, .. }
            | TableFactor::NestedJoin { alias, .. } => alias.as_ref(),
            _ => None,
        };
        rename(&mut columns, alias_ref);
        names.relations.push(Relation {
            alias,
            columns: columns.clone(),
            merged: Vec::new(),
            row,
            system,
            source,
        });
        Ok(columns)
    }

    /// A function in `FROM`: its columns from a column definition list,
    /// its `OUT` arguments, or its one result.
    fn table_function(
        &self,
        name: &ObjectName,
        args: &[FunctionArg],
        alias: Option<&TableAlias>,
        with_ordinality: bool,
        names: &Names<'_>,
        span: Span,
    ) -> ViewResult<(String, Vec<Output>)> {
        let function = last(name);
        let alias_name = alias.map_or_else(|| function.clone(), |a| fold_ident(&a.name));
        let mut columns = Vec::new();
        if function == rewrite::ROWS_FROM && name.0.len() == 1 {
            // `ROWS FROM (f(…), g(…))`: each function's columns in turn.
            for arg in args {
                let FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Function(f))) = arg else {
                    return Err(ViewError::new(span, "ROWS FROM holds function calls only"));
                };
                let FunctionArguments::List(list) = &f.args else {
                    return Err(ViewError::new(
                        f.name.span(),
                        "a function call needs its arguments",
                    ));
                };
                let (_, of_one) =
                    self.table_function(&f.name, &list.args, None, false, names, f.span())?;
                columns.extend(of_one);
            }
            if with_ordinality {
                columns.push(Output {
                    name: "ordinality".to_owned(),
                    ty: Ty::builtin("int8"),
                });
            }
            rename(&mut columns, alias);
            return Ok((alias_name, columns));
        }
        let defined = alias.is_some_and(|a| {
            !a.columns.is_empty() && a.columns.iter().all(|c| c.data_type.is_some())
        });
        if defined {
            // A column definition list types the columns itself.
            for c in alias.map(|a| a.columns.as_slice()).unwrap_or_default() {
                let data_type = c
                    .data_type
                    .as_ref()
                    .unwrap_or_else(|| unreachable!("checked"));
                columns.push(Output {
                    name: fold_ident(&c.name),
                    ty: Ty::Known(self.data_type(data_type, c.name.span)?),
                });
            }
        } else if function == "unnest" && name.0.len() == 1 && args.len() > 1 {
            // `unnest(a, b, …)` in `FROM`: a column per array, of its
            // element type, without modifiers.
            for (i, ty) in self
                .arguments(name, args, names, span)?
                .types
                .into_iter()
                .enumerate()
            {
                let Ty::Known(ty) = ty else {
                    return Err(ViewError::new(
                        span,
                        "the arguments of UNNEST must be arrays of known types".to_owned(),
                    ));
                };
                if ty.array_dims == 0 {
                    return Err(ViewError::new(
                        span,
                        format!("argument {} of UNNEST is not an array", i + 1),
                    ));
                }
                columns.push(Output {
                    name: "unnest".to_owned(),
                    ty: Ty::Known(PgType {
                        array_dims: 0,
                        modifiers: Vec::new(),
                        ..ty
                    }),
                });
            }
            if with_ordinality {
                columns.push(Output {
                    name: "ordinality".to_owned(),
                    ty: Ty::builtin("int8"),
                });
            }
        } else {
            let call = self.arguments(name, args, names, span)?;
            let resolved = self
                .resolver
                .call(&function, &call.types, &call.names(), call.variadic)
                .map(|(resolved, _)| resolved)
                .map_err(|e| ViewError {
                    span,
                    message: format!(
                        "the columns of `{name}(…)` cannot be known without a server: {e}"
                    ),
                    help: Some(NEEDS_THE_SERVER),
                })?;
            if resolved.function.columns.is_empty() {
                if resolved.result.name == "record" && resolved.result.schema.is_none() {
                    return Err(ViewError::new(
                        span,
                        format!(
                            "`{name}(…)` returns records: give its columns with a column definition list (`AS t(a int, b text)`)"
                        ),
                    ));
                }
                columns.push(Output {
                    name: alias_name.clone(),
                    ty: Ty::Known(resolved.result),
                });
            } else {
                for (column, ty) in &resolved.function.columns {
                    columns.push(Output {
                        name: (*column).to_owned(),
                        ty: Ty::Known(key_type(ty)),
                    });
                }
            }
        }
        if with_ordinality {
            columns.push(Output {
                name: "ordinality".to_owned(),
                ty: Ty::builtin("int8"),
            });
        }
        if !defined {
            rename(&mut columns, alias);
        }
        Ok((alias_name, columns))
    }

    /// The types of a built-in function's arguments; refuses a function of
    /// the user's or an extension's.
    fn arguments(
        &self,
        name: &ObjectName,
        args: &[FunctionArg],
        names: &Names<'_>,
        span: Span,
    ) -> ViewResult<Arguments> {
        if name.0.len() > 1 {
            let schema = name.0[0].as_ident().map(fold_ident).unwrap_or_default();
            if schema != "pg_catalog" {
                return Err(unknown_type(
                    span,
                    &format!("{name}(…)"),
                    &if self.scope().has_extension_in(&schema) {
                        format!(
                            "`{name}` is a function of the database's own or of an extension created in schema `{schema}`"
                        )
                    } else {
                        format!("`{name}` is a function of the database's own (schema `{schema}`)")
                    },
                ));
            }
        }
        let mut call = Arguments {
            types: Vec::with_capacity(args.len()),
            names: Vec::with_capacity(args.len()),
            variadic: false,
            rows: Vec::new(),
        };
        for arg in args {
            let mut name = None;
            // `VARIADIC array`, as `rewrite` writes it.
            if let Some(array) = rewrite::variadic_argument(arg) {
                call.variadic = true;
                call.types.push(self.expr(array, names)?);
                call.names.push(None);
                continue;
            }
            let ty = match arg {
                // A relation's name where no column has it: the whole row
                // (`row_to_json(t)`), a record to the functions that take one.
                FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(i)))
                    if Self::column(names, None, &fold_ident(i)).is_none()
                        && let Some(row) = Self::whole_row(names, &fold_ident(i)) =>
                {
                    call.rows.push((call.types.len(), row));
                    Ty::builtin("record")
                }
                // `t.*` as an argument, as `pg_dump` writes a whole row.
                FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(relation))
                    if let Some(row) = Self::whole_row(names, &last(relation)) =>
                {
                    call.rows.push((call.types.len(), row));
                    Ty::builtin("record")
                }
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.expr(e, names)?,
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => continue,
                // `days => 2`.
                FunctionArg::Named {
                    name: n,
                    arg: FunctionArgExpr::Expr(e),
                    ..
                }
                | FunctionArg::ExprNamed {
                    name: Expr::Identifier(n),
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => {
                    name = Some(fold_ident(n));
                    self.expr(e, names)?
                }
                other => {
                    return Err(unknown_type(
                        span,
                        other,
                        "this form of argument is not resolved from DDL",
                    ));
                }
            };
            call.types.push(ty);
            call.names.push(name);
        }
        Ok(call)
    }

    /// Notes every column of `r` read (`*`).
    fn read_all(&self, r: &Relation) {
        if let Some((schema, table, own)) = &r.source {
            let mut reads = self.reads.borrow_mut();
            for c in own {
                reads
                    .columns
                    .insert((schema.clone(), table.clone(), c.clone()));
            }
        }
    }

    /// The row type of the relation of the query (or of one around it)
    /// called `alias`.
    fn whole_row(names: &Names<'_>, alias: &str) -> Option<Ty> {
        let mut scope = Some(names);
        while let Some(s) = scope {
            if let Some(r) = s.relations.iter().find(|r| r.alias == alias) {
                return Some(r.row.clone());
            }
            scope = s.outer;
        }
        None
    }

    /// The type of `column` (of the relation called `relation`), and the
    /// table's or view's column it is, if it is one.
    fn column(
        names: &Names<'_>,
        relation: Option<&str>,
        column: &str,
    ) -> Option<Result<(Ty, Option<ColumnRead>), String>> {
        let mut scope = Some(names);
        while let Some(s) = scope {
            let found: Vec<(Ty, Option<ColumnRead>)> = s
                .relations
                .iter()
                .filter(|r| relation.is_none_or(|a| r.alias == a))
                .filter(|r| relation.is_some() || !r.merged.iter().any(|m| m == column))
                .filter_map(|r| {
                    let Some(i) = r.columns.iter().position(|c| c.name == column) else {
                        return r
                            .system
                            .then(|| system_column(column))
                            .flatten()
                            .map(|t| (t, None));
                    };
                    let read = r.source.as_ref().and_then(|(schema, table, own)| {
                        Some((schema.clone(), table.clone(), own.get(i)?.clone()))
                    });
                    Some((r.columns[i].ty.clone(), read))
                })
                .collect();
            match found.as_slice() {
                [one] => return Some(Ok(one.clone())),
                [_, _, ..] => {
                    return Some(Err(format!("column reference `{column}` is ambiguous")));
                }
                [] => {}
            }
            if relation.is_some_and(|a| s.relations.iter().any(|r| r.alias == a)) {
                return Some(Err(format!(
                    "column `{}.{column}` does not exist",
                    relation.unwrap_or_default()
                )));
            }
            scope = s.outer;
        }
        None
    }

    /// PostgreSQL's name for an unaliased output column (`FigureColname`).
    fn colname(&self, expr: &Expr, names: &Names<'_>) -> Option<String> {
        Some(match expr {
            Expr::Identifier(ident) => fold_ident(ident),
            Expr::CompoundIdentifier(parts) => fold_ident(parts.last()?),
            Expr::CompoundFieldAccess { root, access_chain } => {
                match access_chain
                    .iter()
                    .rev()
                    .find(|a| matches!(a, AccessExpr::Dot(Expr::Identifier(_))))
                {
                    Some(AccessExpr::Dot(Expr::Identifier(field))) => fold_ident(field),
                    _ => return self.colname(root, names),
                }
            }
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => {
                return self.colname(inner, names).or_else(|| {
                    self.data_type(data_type, Span::empty())
                        .ok()
                        .map(|t| t.name)
                });
            }
            Expr::TypedString(typed) => self.data_type(&typed.data_type, Span::empty()).ok()?.name,
            Expr::Value(v) if matches!(v.value, Value::Boolean(_)) => "bool".to_owned(),
            Expr::Interval(_) => "interval".to_owned(),
            Expr::Collate { expr: inner, .. } | Expr::Nested(inner) => {
                return self.colname(inner, names);
            }
            Expr::Function(f) => {
                let name = last(&f.name);
                match name.as_str() {
                    "array" if matches!(f.args, FunctionArguments::Subquery(_)) => {
                        "array".to_owned()
                    }
                    // `XMLELEMENT(…)` is named `xmlelement`.
                    _ => name
                        .strip_prefix(rewrite::XML_FUNCTION)
                        .map_or_else(|| name.clone(), str::to_owned),
                }
            }
            Expr::Case { .. } => "case".to_owned(),
            Expr::Tuple(_) => "row".to_owned(),
            Expr::Array(_) => "array".to_owned(),
            Expr::Exists { .. } => "exists".to_owned(),
            Expr::Subquery(query) => {
                return self
                    .query(query, Some(names))
                    .ok()?
                    .into_iter()
                    .next()
                    .map(|c| c.name);
            }
            Expr::Extract { .. } => "extract".to_owned(),
            Expr::Position { .. } => "position".to_owned(),
            Expr::Substring { .. } => "substring".to_owned(),
            Expr::Overlay { .. } => "overlay".to_owned(),
            Expr::Ceil { .. } => "ceil".to_owned(),
            Expr::Floor { .. } => "floor".to_owned(),
            Expr::AtTimeZone { .. } => "timezone".to_owned(),
            Expr::Trim { trim_where, .. } => match trim_where {
                Some(TrimWhereField::Leading) => "ltrim",
                Some(TrimWhereField::Trailing) => "rtrim",
                _ => "btrim",
            }
            .to_owned(),
            _ => return None,
        })
    }

    fn function_call(&self, name: &str, args: &[Ty], expr: &Expr) -> ViewResult<Ty> {
        self.resolver
            .function(name, args)
            .map(|r| Ty::Known(r.result))
            .map_err(|e| unknown_type(expr.span(), expr, &e))
    }

    fn operator(&self, name: &str, left: Option<&Ty>, right: &Ty, expr: &Expr) -> ViewResult<Ty> {
        self.resolver
            .operator(name, left, right)
            .map(Ty::Known)
            .map_err(|e| unknown_type(expr.span(), expr, &e))
    }

    /// An expression's type.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per form of expression, each short, in the order of sqlparser's `Expr`"
    )]
    fn expr(&self, expr: &Expr, names: &Names<'_>) -> ViewResult<Ty> {
        let boolean = || Ok(Ty::builtin("bool"));
        match expr {
            // A relation's name where no column has it: its whole row.
            Expr::Identifier(ident)
                if Self::column(names, None, &fold_ident(ident)).is_none()
                    && let Some(row) = Self::whole_row(names, &fold_ident(ident)) =>
            {
                // The server records the table, not its columns: dropping
                // one changes the row type, and keeps the view.
                Ok(row)
            }
            // `CURRENT_SCHEMA`, `SESSION_USER`: SQL's functions without
            // parentheses, where no column has the name.
            Expr::Identifier(ident)
                if ident.quote_style.is_none()
                    && Self::column(names, None, &fold_ident(ident)).is_none()
                    && let Some(ty) = super::builtins::sql_value_function(&fold_ident(ident)) =>
            {
                Ok(Ty::builtin(ty))
            }
            Expr::Identifier(ident) => self.column_ref(names, None, ident),
            Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [column] => self.column_ref(names, None, column),
                [.., relation, column] => self.column_ref(names, Some(relation), column),
                [] => Err(ViewError::new(
                    expr.span(),
                    "an empty column reference".to_owned(),
                )),
            },
            Expr::CompoundFieldAccess { root, access_chain } => {
                // `t.column[1]`: the names before the first subscript are
                // a column reference.
                let mut parts: Vec<Ident> = match root.as_ref() {
                    Expr::Identifier(i) => vec![i.clone()],
                    Expr::CompoundIdentifier(p) => p.clone(),
                    _ => Vec::new(),
                };
                let mut rest = access_chain.as_slice();
                if !parts.is_empty() {
                    while let Some((AccessExpr::Dot(Expr::Identifier(i)), tail)) =
                        rest.split_first()
                    {
                        parts.push(i.clone());
                        rest = tail;
                    }
                }
                let mut ty = if parts.is_empty() {
                    self.expr(root, names)?
                } else {
                    self.expr(&Expr::CompoundIdentifier(parts), names)?
                };
                for access in rest {
                    // A domain over an array is subscripted as its base type.
                    if matches!(access, AccessExpr::Subscript(_))
                        && let Ty::Known(t) = &ty
                    {
                        ty = Ty::Known(self.resolver.base(t));
                    }
                    ty = match (access, ty) {
                        (AccessExpr::Subscript(Subscript::Index { .. }), Ty::Known(t))
                            if t.array_dims > 0 =>
                        {
                            Ty::Known(PgType { array_dims: 0, ..t })
                        }
                        (AccessExpr::Subscript(Subscript::Slice { .. }), Ty::Known(t))
                            if t.array_dims > 0 =>
                        {
                            Ty::Known(t)
                        }
                        (AccessExpr::Subscript(_), Ty::Known(t))
                            if t.schema.is_none() && t.name == "jsonb" =>
                        {
                            Ty::Known(t)
                        }
                        // `(x).field` of a composite or row type.
                        (AccessExpr::Dot(Expr::Identifier(field)), Ty::Known(t))
                            if let Some(fields) = self.catalog.fields(&t) =>
                        {
                            let field_name = fold_ident(field);
                            let Some((_, ty)) = fields.into_iter().find(|(f, _)| *f == field_name)
                            else {
                                return Err(ViewError::new(
                                    field.span,
                                    format!("type `{t}` has no field `{field_name}`"),
                                ));
                            };
                            Ty::Known(ty)
                        }
                        _ => {
                            return Err(unknown_type(
                                expr.span(),
                                expr,
                                "only arrays and jsonb are subscripted in a view read from DDL",
                            ));
                        }
                    };
                }
                Ok(ty)
            }
            Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::IsJson { .. }
            | Expr::IsNormalized { .. }
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. }
            | Expr::AnyOp { .. }
            | Expr::AllOp { .. }
            | Expr::Exists { .. } => boolean(),
            Expr::BinaryOp { left, op, right } => {
                let name = match op {
                    BinaryOperator::And | BinaryOperator::Or | BinaryOperator::Overlaps => {
                        return boolean();
                    }
                    BinaryOperator::PGCustomBinaryOperator(parts) => match parts.as_slice() {
                        [schema, op] if schema == "pg_catalog" => op.clone(),
                        [op] => op.clone(),
                        _ => {
                            return Err(unknown_type(
                                expr.span(),
                                expr,
                                "an operator outside pg_catalog",
                            ));
                        }
                    },
                    other => other.to_string(),
                };
                let l = self.expr(left, names)?;
                let r = self.expr(right, names)?;
                self.operator(&name, Some(&l), &r, expr)
            }
            Expr::UnaryOp { op, expr: inner } => {
                let name = match op {
                    UnaryOperator::Not => return boolean(),
                    UnaryOperator::Minus => "-",
                    UnaryOperator::Plus => "+",
                    UnaryOperator::BitwiseNot => "~",
                    UnaryOperator::PGSquareRoot => "|/",
                    UnaryOperator::PGCubeRoot => "||/",
                    UnaryOperator::PGAbs => "@",
                    _ => {
                        return Err(unknown_type(
                            expr.span(),
                            expr,
                            "this operator is not PostgreSQL's",
                        ));
                    }
                };
                // The grammar negates a number in place (`doNegate`), also
                // inside parentheses: `-2147483648` is an `int4`.
                let mut literal = inner.as_ref();
                while let Expr::Nested(nested) = literal {
                    literal = nested;
                }
                if let (UnaryOperator::Minus, Expr::Value(value)) = (op, literal)
                    && let Value::Number(n, _) = &value.value
                {
                    return Ok(super::constant::number(&format!("-{n}")).ty);
                }
                let t = self.expr(inner, names)?;
                self.operator(name, None, &t, expr)
            }
            Expr::Cast { data_type, .. } => Ok(Ty::Known(self.data_type(data_type, expr.span())?)),
            Expr::TypedString(typed) => Ok(Ty::Known(super::deparse::literal_type(
                self.data_type(&typed.data_type, expr.span())?,
                &typed.data_type,
            ))),
            Expr::Interval(_) => Ok(Ty::builtin("interval")),
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
                let zone = self.expr(time_zone, names)?;
                let ts = self.expr(timestamp, names)?;
                self.function_call("timezone", &[zone, ts], expr)
            }
            Expr::Extract { .. } => Ok(Ty::builtin("numeric")),
            Expr::Ceil { expr: inner, field } | Expr::Floor { expr: inner, field } => {
                let name = if matches!(expr, Expr::Ceil { .. }) {
                    "ceil"
                } else {
                    "floor"
                };
                if !matches!(
                    field,
                    CeilFloorKind::DateTimeField(sqlparser::ast::DateTimeField::NoDateTime)
                ) {
                    return Err(unknown_type(
                        expr.span(),
                        expr,
                        "CEIL/FLOOR with a field is not PostgreSQL's",
                    ));
                }
                let t = self.expr(inner, names)?;
                self.function_call(name, &[t], expr)
            }
            Expr::Position { .. } => Ok(Ty::builtin("int4")),
            Expr::Substring {
                expr: inner,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.expr(inner, names)?];
                for part in [substring_from, substring_for].into_iter().flatten() {
                    args.push(self.expr(part, names)?);
                }
                self.function_call("substring", &args, expr)
            }
            Expr::Trim {
                trim_where,
                trim_what,
                expr: inner,
                trim_characters,
            } => {
                let name = match trim_where {
                    Some(TrimWhereField::Leading) => "ltrim",
                    Some(TrimWhereField::Trailing) => "rtrim",
                    _ => "btrim",
                };
                let mut args = vec![self.expr(inner, names)?];
                for part in trim_what
                    .iter()
                    .map(AsRef::as_ref)
                    .chain(trim_characters.iter().flatten())
                {
                    args.push(self.expr(part, names)?);
                }
                self.function_call(name, &args, expr)
            }
            Expr::Overlay {
                expr: inner,
                overlay_what,
                overlay_from,
                overlay_for,
            } => {
                let mut args = vec![
                    self.expr(inner, names)?,
                    self.expr(overlay_what, names)?,
                    self.expr(overlay_from, names)?,
                ];
                if let Some(f) = overlay_for {
                    args.push(self.expr(f, names)?);
                }
                self.function_call("overlay", &args, expr)
            }
            Expr::Collate { expr: inner, .. } | Expr::Nested(inner) => self.expr(inner, names),
            Expr::Value(value) => Ok(match &value.value {
                Value::Number(n, _) => super::constant::number(n).ty,
                Value::SingleQuotedString(_)
                | Value::EscapedStringLiteral(_)
                | Value::DollarQuotedString(_)
                | Value::UnicodeStringLiteral(_)
                | Value::Null => Ty::Unknown,
                Value::Boolean(_) => Ty::builtin("bool"),
                // `B'1010'`, `X'1F'`: bit strings.
                Value::SingleQuotedByteStringLiteral(_) | Value::HexStringLiteral(_) => {
                    Ty::builtin("bit")
                }
                _ => {
                    return Err(unknown_type(
                        expr.span(),
                        expr,
                        "this literal is not PostgreSQL's",
                    ));
                }
            }),
            // `ROW(a, b)` and `(a, b)`: a record.
            Expr::Tuple(items) => {
                for item in items {
                    self.expr(item, names)?;
                }
                Ok(Ty::builtin("record"))
            }
            Expr::Function(f)
                if last(&f.name) == "row"
                    && f.name.0.len() == 1
                    && f.name.0[0]
                        .as_ident()
                        .is_some_and(|i| i.quote_style.is_none()) =>
            {
                if let FunctionArguments::List(list) = &f.args {
                    for arg in &list.args {
                        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg {
                            self.expr(e, names)?;
                        }
                    }
                }
                Ok(Ty::builtin("record"))
            }
            Expr::Function(f) => self.function(f, expr, names),
            Expr::Case {
                conditions,
                else_result,
                ..
            } => {
                // The `ELSE` comes first, as the server lists them
                // (`transformCaseExpr`): its type is the preferred one. A
                // missing `ELSE` is a `NULL` of unknown type, so a domain
                // of the branches reduces to its base type and the result
                // keeps no modifiers.
                let mut types = Vec::with_capacity(conditions.len() + 1);
                types.push(match else_result {
                    Some(e) => self.expr(e, names)?,
                    None => Ty::Unknown,
                });
                for when in conditions {
                    types.push(self.expr(&when.result, names)?);
                }
                self.resolver
                    .common_type(&types, "CASE")
                    .map_err(|e| ViewError::new(expr.span(), e))
            }
            Expr::Subquery(query) => {
                let columns = self.query(query, Some(names))?;
                match columns.as_slice() {
                    [one] => Ok(one.ty.clone()),
                    _ => Err(ViewError::new(
                        expr.span(),
                        "a subquery used as a value must return one column".to_owned(),
                    )),
                }
            }
            Expr::Array(array) => {
                let mut types = Vec::with_capacity(array.elem.len());
                for e in &array.elem {
                    types.push(self.expr(e, names)?);
                }
                let nested = array
                    .elem
                    .first()
                    .is_some_and(|e| matches!(e, Expr::Array(_)));
                if array.elem.is_empty() {
                    return Err(unknown_type(
                        expr.span(),
                        expr,
                        "an empty ARRAY[] needs a cast",
                    ));
                }
                let common = self
                    .resolver
                    .common_type(&types, "ARRAY")
                    .map_err(|e| (expr.span(), e))?;
                let mut t = common.into_column_type();
                if !nested {
                    t.array_dims = 1;
                }
                Ok(Ty::Known(t))
            }
            _ => Err(unknown_type(
                expr.span(),
                expr,
                "this form of expression is not read from DDL",
            )),
        }
    }

    fn column_ref(
        &self,
        names: &Names<'_>,
        relation: Option<&Ident>,
        column: &Ident,
    ) -> ViewResult<Ty> {
        let relation_name = relation.map(fold_ident);
        let name = fold_ident(column);
        match Self::column(names, relation_name.as_deref(), &name) {
            Some(Ok((ty, read))) => {
                if let Some(read) = read {
                    self.reads.borrow_mut().columns.insert(read);
                }
                Ok(ty)
            }
            Some(Err(message)) => Err(ViewError::new(column.span, message)),
            None => Err(match (relation, relation_name) {
                (Some(r), Some(alias)) => {
                    ViewError::new(r.span, format!("`{alias}` is not a table of this query"))
                }
                _ => ViewError::new(column.span, format!("column `{name}` does not exist")),
            }),
        }
    }

    fn function(
        &self,
        f: &sqlparser::ast::Function,
        expr: &Expr,
        names: &Names<'_>,
    ) -> ViewResult<Ty> {
        let name = last(&f.name);
        // `NORMALIZE(x, NFC)`: SQL's syntax, whose form is a word.
        if name == "normalize"
            && f.name.0.len() == 1
            && let FunctionArguments::List(list) = &f.args
            && let [
                FunctionArg::Unnamed(FunctionArgExpr::Expr(text)),
                FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(_))),
            ] = list.args.as_slice()
        {
            self.expr(text, names)?;
            return Ok(Ty::builtin("text"));
        }
        // The XML functions of their own syntax, as `rewrite` writes them:
        // `XMLSERIALIZE(… AS type)` is of `type`, `XMLEXISTS(…)` a
        // boolean, the others `xml`.
        if let Some(xml) = name.strip_prefix(rewrite::XML_FUNCTION)
            && f.name.0.len() == 1
        {
            return match (xml, &f.args) {
                ("xmlserialize", FunctionArguments::List(list)) => match list.args.as_slice() {
                    [FunctionArg::Unnamed(FunctionArgExpr::Expr(cast))] => self.expr(cast, names),
                    _ => Err(ViewError::new(expr.span(), "XMLSERIALIZE needs `AS type`")),
                },
                ("xmlexists", _) => Ok(Ty::builtin("bool")),
                _ => Ok(Ty::builtin("xml")),
            };
        }
        let args: &[FunctionArg] = match &f.args {
            FunctionArguments::None => {
                // The SQL-standard functions written without parentheses.
                return super::builtins::sql_value_function(&name)
                    .map(Ty::builtin)
                    .ok_or_else(|| {
                        ViewError::new(
                            expr.span(),
                            format!("column or function `{name}` does not exist"),
                        )
                    });
            }
            FunctionArguments::Subquery(query) => {
                let columns = self.query(query, Some(names))?;
                return match (name.as_str(), columns.as_slice()) {
                    ("array", [one]) => {
                        let mut t = one.ty.clone().into_column_type();
                        t.array_dims = 1;
                        Ok(Ty::Known(t))
                    }
                    _ => Err(unknown_type(expr.span(), expr, "a subquery as an argument")),
                };
            }
            FunctionArguments::List(list) => &list.args,
        };
        if f.name.0.len() == 1 {
            // `current_timestamp(2)`: the SQL-standard function with a
            // precision, which becomes the result's modifier.
            if let (Some(ty), [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))]) =
                (super::builtins::sql_value_function(&name), args)
                && let Value::Number(n, _) = &v.value
                && let Ok(precision) = n.parse::<i32>()
                && matches!(ty, "timetz" | "timestamptz" | "time" | "timestamp")
            {
                return Ok(Ty::Known(PgType {
                    modifiers: vec![precision.min(6)],
                    ..PgType::builtin(ty)
                }));
            }
            // `GROUPING(a, b)` is a bit mask of its arguments: an `int4`.
            if name == "grouping" {
                return Ok(Ty::builtin("int4"));
            }
        }
        let call = self.arguments(&f.name, args, names, expr.span())?;
        let argument_names = call.names();
        let mut types = call.types.clone();
        match name.as_str() {
            "coalesce" | "greatest" | "least" if f.name.0.len() == 1 => {
                // A whole row is of its row type here.
                for (i, row) in &call.rows {
                    if matches!(row, Ty::Known(t) if t.schema.is_some()) {
                        types[*i] = row.clone();
                    }
                }
                return self
                    .resolver
                    .common_type(&types, &name.to_uppercase())
                    .map(|common| match common {
                        Ty::Known(t) => Ty::Known(call.row_bound(t)),
                        unknown @ Ty::Unknown => unknown,
                    })
                    .map_err(|e| ViewError::new(expr.span(), e));
            }
            // `NULLIF(a, b)` is `a = b` whose result is the type `a` is
            // passed to the operator as: `text` for a `varchar`; `a`'s own
            // type, modifiers included, when it is passed as it is.
            "nullif" if f.name.0.len() == 1 && types.len() == 2 => {
                let (_, passed) = self
                    .resolver
                    .operator_with_arguments("=", Some(&types[0]), &types[1])
                    .map_err(|e| (expr.span(), e))?;
                let passed = passed.into_iter().next().unwrap_or(Ty::Unknown);
                return Ok(match (&types[0], &passed) {
                    (Ty::Known(given), Ty::Known(as_passed))
                        if given.schema == as_passed.schema
                            && given.name == as_passed.name
                            && given.array_dims == as_passed.array_dims =>
                    {
                        types[0].clone()
                    }
                    _ => passed,
                });
            }
            _ => {}
        }
        // An ordered-set aggregate takes its direct arguments, then those
        // of `WITHIN GROUP (ORDER BY …)`.
        for order in &f.within_group {
            types.push(self.expr(&order.expr, names)?);
        }
        let mut argument_names = argument_names;
        argument_names.resize(types.len(), None);
        let resolved = self
            .resolver
            .call(&name, &types, &argument_names, call.variadic)
            .map(|(resolved, _)| resolved)
            .map_err(|e| unknown_type(expr.span(), expr, &e))?;
        if resolved.function.kind == Kind::Window && f.over.is_none() {
            return Err(ViewError::new(
                expr.span(),
                format!("window function `{name}` requires an OVER clause"),
            ));
        }
        Ok(Ty::Known(call.row_bound(resolved.result)))
    }
}

/// A call's arguments: their types, the name of each one written in named
/// notation, and whether the last is written `VARIADIC array`.
struct Arguments {
    types: Vec<Ty>,
    names: Vec<Option<String>>,
    variadic: bool,
    /// The whole rows passed (`array_agg(t)`), by their index in `types`
    /// (where they are `record`), with their row types.
    rows: Vec<(usize, Ty)>,
}

impl Arguments {
    /// `result` with a `record` bound from whole rows of one table or view
    /// as that row type (`array_agg(t)` is `t[]`, as the server binds
    /// `anyelement` to the row type).
    fn row_bound(&self, result: PgType) -> PgType {
        if result.schema.is_some() || result.name != "record" {
            return result;
        }
        match self.rows.first().map(|(_, row)| row) {
            Some(Ty::Known(row))
                if row.schema.is_some() && self.rows.iter().all(|(_, r)| *r == self.rows[0].1) =>
            {
                PgType {
                    array_dims: result.array_dims,
                    ..row.clone()
                }
            }
            _ => result,
        }
    }
}

impl Arguments {
    fn names(&self) -> Vec<Option<&str>> {
        self.names.iter().map(Option::as_deref).collect()
    }
}

/// A type named as the built-ins table names it.
fn key_type(key: &str) -> PgType {
    match key.strip_prefix('_') {
        Some(element) => PgType {
            array_dims: 1,
            ..PgType::builtin(element)
        },
        None => PgType::builtin(key),
    }
}
