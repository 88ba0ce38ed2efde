//! Default and generation expressions printed back the way `pg_get_expr`
//! prints what the server stored (`ruleutils.c`): constants labelled by
//! their type unless an `integer`, a float-looking `numeric`, a `boolean`
//! or untyped; every operator in parentheses; the casts the parser added
//! to an operator's or function's arguments shown (`(1)::numeric + 2.5`),
//! the one to the column's own type hidden; SQL-standard functions and
//! `COALESCE`, `NULLIF`, `GREATEST`, `LEAST` in capitals; `CASE` indented.
//!
//! Types come from `resolve`, as the server's parser finds them. An
//! expression it cannot type gives `None`, and the caller keeps its
//! simpler spelling.

use std::fmt::Write as _;

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    UnaryOperator, Value,
};

use super::constant::{cast_constant, constant, number, qualified_interval, quote};
use super::fold::{Catalog, Scope, fold_ident};
use super::resolve::{Resolver, Ty};
use super::types;
use crate::model::{Column, PgType};

/// A printed expression: its text, type, and what it is (constants print
/// differently when coerced).
pub(super) struct Node {
    pub text: String,
    pub ty: Ty,
    pub kind: Kind,
}

#[derive(Clone)]
pub(super) enum Kind {
    /// An untyped string literal or `NULL`: its value (`None` for `NULL`).
    Unknown(Option<String>),
    /// A number literal, with the type its digits give it.
    Number,
    /// Anything else.
    Other,
}

/// What the server stores for a `NULL` default.
pub(crate) enum NullDefault {
    /// No default.
    NotStored,
    /// The coercion to the column's type, as the server prints it.
    Stored(String),
}

/// What a `NULL`, maybe cast, is to the parser.
enum NullCast {
    /// `NULL` of no type yet.
    Unknown,
    /// A `NULL` constant of a type.
    Constant(PgType),
    /// An expression of a type: a coercion the server keeps, as it prints
    /// it.
    Expression(String, PgType),
}

pub(crate) struct Deparser<'c> {
    resolver: Resolver<'c>,
    scope: Scope<'c>,
    columns: &'c [Column],
}

impl<'c> Deparser<'c> {
    pub fn new(catalog: &'c Catalog, path: &'c [String], columns: &'c [Column]) -> Self {
        Self {
            resolver: Resolver::new(catalog),
            scope: Scope { catalog, path },
            columns,
        }
    }

    /// A column default of type `ty`: the coercion to it is not shown.
    pub fn default(&self, expr: &Expr, ty: &PgType) -> Option<String> {
        if let Some(call) = self.own_function(expr) {
            return Some(call);
        }
        if let Some(row) = self.row_default(expr, ty) {
            return Some(row);
        }
        let node = self.node(expr, 0)?;
        Some(match node.kind {
            // A literal for a domain is a constant of its base type.
            Kind::Unknown(_) => self.coerced(
                node,
                &Ty::Known(without_mods(&self.resolver.base(ty))),
                true,
            ),
            _ => node.text,
        })
    }

    /// A `NULL` default (bare, parenthesised, or cast): not stored, as
    /// the server stores no `NULL` constant of the column's own type; or
    /// stored where the coercion to the column's type is an expression it
    /// keeps: a type modifier's
    /// (`varchar(3) DEFAULT NULL` is `NULL::character varying`), a
    /// domain's, or a cast from another type. `None` for anything else.
    pub fn null_default(&self, expr: &Expr, ty: &PgType) -> Option<NullDefault> {
        let null = self.null_cast(expr)?;
        let base = self.resolver.base(ty);
        let interval = |t: &PgType| t.name == "interval" && t.schema.is_none();
        Some(match null {
            // A domain coerces its base type's constant.
            NullCast::Unknown if base != *ty => NullDefault::Stored(self.null_constant(&base)),
            // An interval's constant takes the modifier itself.
            NullCast::Unknown if ty.modifiers.is_empty() || interval(ty) => NullDefault::NotStored,
            NullCast::Unknown => NullDefault::Stored(self.null_constant(ty)),
            NullCast::Constant(of) if of == *ty => NullDefault::NotStored,
            NullCast::Constant(of) => NullDefault::Stored(self.null_constant(&of)),
            NullCast::Expression(text, _) => NullDefault::Stored(text),
        })
    }

    /// `NULL`, maybe cast: what the parser makes of it.
    fn null_cast(&self, expr: &Expr) -> Option<NullCast> {
        match strip_nested(expr) {
            Expr::Value(v) if v.value == Value::Null => Some(NullCast::Unknown),
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => {
                let target = self.data_type(data_type)?;
                let target_base = self.resolver.base(&target);
                let shown = format_type(&self.shown(&target));
                let inner = self.null_cast(inner)?;
                Some(match inner {
                    // A domain: its base's constant, cast visibly.
                    NullCast::Unknown if target_base != target => NullCast::Expression(
                        format!("({})::{shown}", self.null_constant(&target_base)),
                        target,
                    ),
                    // `NULL::numeric(5,2)`: the modifier's coercion, shown.
                    NullCast::Unknown
                        if !target.modifiers.is_empty() && target.name != "interval" =>
                    {
                        NullCast::Expression(format!("NULL::{shown}"), target)
                    }
                    NullCast::Unknown => NullCast::Constant(target),
                    NullCast::Constant(of) if of == target => NullCast::Constant(of),
                    NullCast::Expression(text, of) if of == target => {
                        NullCast::Expression(text, of)
                    }
                    NullCast::Constant(of) => NullCast::Expression(
                        format!("({})::{shown}", self.null_constant(&of)),
                        target,
                    ),
                    NullCast::Expression(text, _) => {
                        NullCast::Expression(format!("({text})::{shown}"), target)
                    }
                })
            }
            _ => None,
        }
    }

    /// A `NULL` constant of type `of`, which holds no modifier (but an
    /// interval's), as the server prints it.
    fn null_constant(&self, of: &PgType) -> String {
        let of = if of.name == "interval" && of.schema.is_none() {
            of.clone()
        } else {
            without_mods(of)
        };
        format!("NULL::{}", format_type(&self.shown(&of)))
    }

    /// A composite column's `ROW(…)` or `(a, b)` default, maybe cast to
    /// the column's type: each field cast to its attribute's type, shown
    /// (`ROW((1)::bigint, 'x'::text)`), as `coerce_record_to_complex`
    /// builds it; the cast of the whole shown only where it was written
    /// (`ROW(…)::s.pair`).
    fn row_default(&self, expr: &Expr, ty: &PgType) -> Option<String> {
        let row_items = |expr: &Expr| -> Option<Vec<Expr>> {
            match strip_nested(expr) {
                Expr::Tuple(items) => Some(items.clone()),
                Expr::Function(f)
                    if f.over.is_none()
                        && matches!(f.name.0.as_slice(), [part]
                        if part.as_ident().is_some_and(|i| {
                            i.quote_style.is_none() && i.value.eq_ignore_ascii_case("row")
                        })) =>
                {
                    match &f.args {
                        FunctionArguments::List(list)
                            if list.duplicate_treatment.is_none() && list.clauses.is_empty() =>
                        {
                            list.args
                                .iter()
                                .map(|a| match a {
                                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                                        Some(e.clone())
                                    }
                                    _ => None,
                                })
                                .collect()
                        }
                        FunctionArguments::None => Some(Vec::new()),
                        _ => None,
                    }
                }
                _ => None,
            }
        };
        let (items, cast) = match strip_nested(expr) {
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => {
                let target = self.data_type(data_type)?;
                if target != *ty {
                    return None;
                }
                (row_items(inner)?, true)
            }
            other => (row_items(other)?, false),
        };
        let fields = self.scope.catalog.fields(ty)?;
        if fields.len() != items.len() {
            return None;
        }
        let shown = items
            .iter()
            .zip(&fields)
            .map(|(item, (_, field))| {
                let node = self.node(item, 0)?;
                let base = self.resolver.base(field);
                Some(match node.kind {
                    // A `NULL` for a domain is one of its base type first.
                    Kind::Unknown(None) if base != *field => format!(
                        "(NULL::{})::{}",
                        format_type(&without_mods(&base)),
                        format_type(&self.shown(field))
                    ),
                    _ => self.cast_node(node, field),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let row = format!("ROW({})", shown.join(", "));
        Some(if cast {
            format!("{row}::{}", format_type(&self.shown(ty)))
        } else {
            row
        })
    }

    /// A generated column's expression.
    pub fn generated(&self, expr: &Expr) -> Option<String> {
        if let Some(call) = self.own_function(expr) {
            return Some(call);
        }
        Some(self.node(expr, 0)?.text)
    }

    /// A call of a function of the database's own (or an extension's) as
    /// the whole expression: qualified with the schema it resolves to, as
    /// the server prints it (`public.uuid_generate_v4()`). A literal
    /// argument is cast to its parameter's type where the migrations
    /// created the function (one overload of that many arguments): `None`
    /// for one of a function whose types are not known.
    fn own_function(&self, expr: &Expr) -> Option<String> {
        let Expr::Function(f) = strip_nested(expr) else {
            return None;
        };
        self.own_call(f, 0).map(|(text, _)| text)
    }

    /// A call of a function that is no built-in, and its result type
    /// where the migrations created the function.
    /// The signature of the database's own function `schema.name` a call
    /// with `args` goes to: the one of that many arguments, or between
    /// overloads the one whose parameters take the arguments as they are
    /// (a string literal a string, a typed argument its type; a named one
    /// by its name).
    fn own_signature(
        &self,
        schema: &str,
        name: &str,
        args: &[FunctionArg],
        indent: usize,
    ) -> Option<&'c super::fold::Signature> {
        // Each argument: its parameter's name when named, and its node.
        let given: Vec<(Option<String>, Option<Node>)> = args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => (None, self.node(e, indent)),
                FunctionArg::Named {
                    name,
                    arg: FunctionArgExpr::Expr(e),
                    ..
                }
                | FunctionArg::ExprNamed {
                    name: Expr::Identifier(name),
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => (Some(super::fold::fold_ident(name)), self.node(e, indent)),
                _ => (None, None),
            })
            .collect();
        let fits = |s: &super::fold::Signature| {
            given.iter().enumerate().all(|(i, (named, node))| {
                let at = match named {
                    Some(n) => s
                        .names
                        .iter()
                        .position(|m| m.as_deref() == Some(n.as_str())),
                    None => Some(i),
                };
                let Some(declared) = at.and_then(|at| s.arguments.get(at)) else {
                    // A name it has no parameter of; a positional argument
                    // past its parameters is a variadic one.
                    return named.is_none();
                };
                let Some(node) = node else { return true };
                match (&node.kind, &node.ty) {
                    (Kind::Unknown(Some(_)), _) => {
                        declared.schema.is_none()
                            && matches!(
                                declared.name.as_str(),
                                "text" | "varchar" | "bpchar" | "name"
                            )
                    }
                    (_, Ty::Known(t)) => {
                        t.schema == declared.schema
                            && t.name == declared.name
                            && t.array_dims == declared.array_dims
                    }
                    _ => true,
                }
            })
        };
        self.scope
            .catalog
            .function_signature(schema, name, args.len(), fits)
    }

    fn own_call(
        &self,
        f: &sqlparser::ast::Function,
        indent: usize,
    ) -> Option<(String, Option<PgType>)> {
        if f.over.is_some() || f.filter.is_some() || !f.within_group.is_empty() {
            return None;
        }
        let name_of = |part: &sqlparser::ast::ObjectNamePart| part.as_ident().map(fold_ident);
        let (schema, name) = match f.name.0.as_slice() {
            [part] => {
                let name = name_of(part)?;
                let unquoted = part.as_ident().is_some_and(|i| i.quote_style.is_none());
                if !super::builtins::builtins().functions(&name).is_empty()
                    || super::builtins::sql_value_function(&name).is_some()
                    || (unquoted && super::expr::is_keyword(&name))
                {
                    return None;
                }
                (
                    self.scope.catalog.function_schema(&name, self.scope.path)?,
                    name,
                )
            }
            [schema, part] => {
                let schema = name_of(schema)?;
                if schema == "pg_catalog" {
                    return None;
                }
                (schema, name_of(part)?)
            }
            _ => return None,
        };
        let FunctionArguments::List(list) = &f.args else {
            return None;
        };
        if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
            return None;
        }
        // With the function's argument types known (it was created in the
        // migrations, once with this many arguments), each argument is cast
        // to its parameter's type as the server shows it.
        let signature = self.own_signature(&schema, &name, &list.args, indent);
        let declared = signature.map(|s| s.arguments.as_slice());
        // A variadic function's trailing arguments are one array:
        // `f(1, 2)` is `f(VARIADIC ARRAY[1, 2])`.
        let spread = signature
            .filter(|s| s.variadic)
            .map(|s| s.arguments.len() - 1);
        let mut args = Vec::with_capacity(list.args.len());
        let mut variadic = Vec::new();
        for (i, arg) in list.args.iter().enumerate() {
            // `VARIADIC array`, as `rewrite` writes it: passed as it is.
            if let Some(e) = super::fold::rewrite::variadic_argument(arg) {
                let array = declared?.last()?;
                let node = self.node(e, indent)?;
                return Some((
                    format!(
                        "{}.{}({}VARIADIC {})",
                        super::expr::ident(&schema),
                        super::expr::ident(&name),
                        args.iter().fold(String::new(), |mut all, a| {
                            let _ = write!(all, "{a}, ");
                            all
                        }),
                        self.coerced(node, &Ty::Known(array.clone()), false)
                    ),
                    signature.and_then(|s| s.result.clone()),
                ));
            }
            if let (Some(from), Some(declared)) = (spread, declared)
                && i >= from
            {
                let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg else {
                    return None;
                };
                let element = PgType {
                    array_dims: 0,
                    ..declared.last()?.clone()
                };
                variadic.push(self.coerced(self.node(e, indent)?, &Ty::Known(element), false));
                continue;
            }
            // `p => value`: the parameter of that name's type.
            if let FunctionArg::Named {
                name: param,
                arg: FunctionArgExpr::Expr(e),
                ..
            }
            | FunctionArg::ExprNamed {
                name: Expr::Identifier(param),
                arg: FunctionArgExpr::Expr(e),
                ..
            } = arg
            {
                let wanted = super::fold::fold_ident(param);
                let s = signature?;
                let at = s
                    .names
                    .iter()
                    .position(|n| n.as_deref() == Some(wanted.as_str()))?;
                let node = self.node(e, indent)?;
                args.push(format!(
                    "{} => {}",
                    super::expr::ident(&wanted),
                    self.coerced(node, &Ty::Known(s.arguments.get(at)?.clone()), false)
                ));
                continue;
            }
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg else {
                return None;
            };
            let node = self.node(e, indent)?;
            match declared.and_then(|d| d.get(i)) {
                Some(ty) => args.push(self.coerced(node, &Ty::Known(ty.clone()), false)),
                // An extension's function, whose parameters are not known:
                // text for a string, an integer as it is, as most take.
                None if !self.scope.catalog.created_function(&schema, &name) => match node.kind {
                    Kind::Unknown(Some(value)) => {
                        args.push(constant(&value, &PgType::builtin("text")));
                    }
                    Kind::Number if node.ty == Ty::builtin("int4") => args.push(node.text),
                    Kind::Unknown(None) | Kind::Number => return None,
                    Kind::Other => args.push(node.text),
                },
                None if matches!(node.kind, Kind::Unknown(_) | Kind::Number) => return None,
                None => args.push(node.text),
            }
        }
        if spread.is_some() && declared.is_some() {
            args.push(format!("VARIADIC ARRAY[{}]", variadic.join(", ")));
        }
        Some((
            format!(
                "{}.{}({})",
                super::expr::ident(&schema),
                super::expr::ident(&name),
                args.join(", ")
            ),
            signature.and_then(|s| s.result.clone()),
        ))
    }

    /// `ty` as the server names it: `citext`, which the model treats as
    /// built in, with the schema its extension lives in.
    fn shown(&self, ty: &PgType) -> PgType {
        if ty.schema.is_none()
            && ty.name == "citext"
            && let Some(schema) = self.scope.catalog.extension_schema("citext")
        {
            return PgType {
                schema: Some(schema.to_owned()),
                ..ty.clone()
            };
        }
        ty.clone()
    }

    fn data_type(&self, data_type: &DataType) -> Option<PgType> {
        types::pg_type(data_type, &self.scope).ok()
    }

    /// `node` where `target` is declared: an untyped literal becomes a
    /// constant of `target`; another type is cast, visibly unless `hidden`.
    fn coerced(&self, node: Node, target: &Ty, hidden: bool) -> String {
        let Ty::Known(target) = target else {
            return node.text;
        };
        if is_pseudo(target) {
            return node.text;
        }
        let target = &self.shown(target);
        match node.kind {
            Kind::Unknown(None) => format!("NULL::{}", format_type(target)),
            // A relation's name (`nextval('q')`) is stored as the relation,
            // which the server prints qualified with its schema.
            Kind::Unknown(Some(value)) if target.schema.is_none() && target.name == "regclass" => {
                let name = super::expr::regclass(&value);
                let qualified = if name.contains('.') {
                    name
                } else {
                    let folded = match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
                        Some(quoted) => quoted.replace("\"\"", "\""),
                        None => name.clone(),
                    };
                    let schema = self.scope.catalog.relation_schema(&folded, self.scope.path);
                    if folded.starts_with("pg_")
                        && !self.scope.catalog.relation_name_taken(&schema, &folded)
                    {
                        // A system catalog (`'pg_class'::regclass`): found in
                        // `pg_catalog`, which the server leaves unqualified.
                        return constant(&name, target);
                    }
                    format!("{}.{name}", super::expr::ident(&schema))
                };
                constant(&qualified, target)
            }
            Kind::Unknown(Some(value)) => constant(&value, target),
            _ if hidden || same_type(&node.ty, target) => node.text,
            _ => format!("({})::{}", node.text, format_type(target)),
        }
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per form of expression, each short"
    )]
    fn node(&self, expr: &Expr, indent: usize) -> Option<Node> {
        match expr {
            Expr::Nested(inner) => self.node(inner, indent),
            Expr::Value(v) => Some(match &v.value {
                Value::Number(n, _) => number(n),
                Value::SingleQuotedString(s)
                | Value::EscapedStringLiteral(s)
                | Value::UnicodeStringLiteral(s) => Node {
                    text: quote(s),
                    ty: Ty::Unknown,
                    kind: Kind::Unknown(Some(s.clone())),
                },
                // `$$…$$` and `$tag$…$tag$` are string constants too.
                Value::DollarQuotedString(d) => Node {
                    text: quote(&d.value),
                    ty: Ty::Unknown,
                    kind: Kind::Unknown(Some(d.value.clone())),
                },
                Value::Null => Node {
                    text: "NULL".to_owned(),
                    ty: Ty::Unknown,
                    kind: Kind::Unknown(None),
                },
                Value::Boolean(b) => Node {
                    text: b.to_string(),
                    ty: Ty::builtin("bool"),
                    kind: Kind::Other,
                },
                Value::SingleQuotedByteStringLiteral(digits) => bit_string(digits, false)?,
                Value::HexStringLiteral(digits) => bit_string(digits, true)?,
                _ => return None,
            }),
            Expr::Identifier(name) => self.column(name),
            Expr::UnaryOp { op, expr: inner } => match op {
                UnaryOperator::Minus => {
                    // The parser folds the sign into the number it
                    // precedes (`- - 1` is `1`): negate the literal as
                    // written, which keeps its type (`-1e3` is a `numeric`).
                    if let Some(literal) = signed_literal(expr) {
                        return Some(number(&literal));
                    }
                    let node = self.node(inner, indent)?;
                    self.prefix("-", node)
                }
                UnaryOperator::Not => {
                    let node = self.node(inner, indent)?;
                    let bool_ty = Ty::builtin("bool");
                    Some(Node {
                        text: format!("(NOT {})", self.coerced(node, &bool_ty, false)),
                        ty: bool_ty,
                        kind: Kind::Other,
                    })
                }
                UnaryOperator::Plus => {
                    let node = self.node(inner, indent)?;
                    self.prefix("+", node)
                }
                UnaryOperator::PGAbs
                | UnaryOperator::PGSquareRoot
                | UnaryOperator::PGCubeRoot
                | UnaryOperator::BitwiseNot => {
                    let name = match op {
                        UnaryOperator::PGAbs => "@",
                        UnaryOperator::PGSquareRoot => "|/",
                        UnaryOperator::PGCubeRoot => "||/",
                        _ => "~",
                    };
                    let node = self.node(inner, indent)?;
                    self.prefix(name, node)
                }
                _ => None,
            },
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, indent),
            Expr::InList {
                expr: left,
                list,
                negated,
            } => self.in_list(left, list, *negated, indent),
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => self.scalar_array_op(
                self.node(left, indent)?,
                &operator_name(compare_op)?,
                true,
                self.node(right, indent)?,
            ),
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => self.scalar_array_op(
                self.node(left, indent)?,
                &operator_name(compare_op)?,
                false,
                self.node(right, indent)?,
            ),
            // `a IS DISTINCT FROM b` compares with `=`, its operands passed
            // as that operator takes them; `IS NOT` is its negation.
            Expr::IsDistinctFrom(left, right) | Expr::IsNotDistinctFrom(left, right) => {
                let (l, r) = (self.node(left, indent)?, self.node(right, indent)?);
                let (_, declared) = self
                    .resolver
                    .operator_with_arguments("=", Some(&l.ty), &r.ty)
                    .ok()?;
                let distinct = format!(
                    "({} IS DISTINCT FROM {})",
                    self.coerced(l, &declared[0], false),
                    self.coerced(r, &declared[1], false)
                );
                Some(Node {
                    text: if matches!(expr, Expr::IsDistinctFrom(..)) {
                        distinct
                    } else {
                        format!("(NOT {distinct})")
                    },
                    ty: Ty::builtin("bool"),
                    kind: Kind::Other,
                })
            }
            Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
                let node = self.node(inner, indent)?;
                let what = if matches!(expr, Expr::IsNull(_)) {
                    "IS NULL"
                } else {
                    "IS NOT NULL"
                };
                // A `NULL` of no type shows that it has none.
                let text = match node.kind {
                    Kind::Unknown(None) => "NULL::unknown".to_owned(),
                    _ => node.text,
                };
                Some(Node {
                    text: format!("({text} {what})"),
                    ty: Ty::builtin("bool"),
                    kind: Kind::Other,
                })
            }
            Expr::IsNormalized { .. } | Expr::Collate { .. } => {
                self.normalized_or_collated(expr, indent)
            }
            Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_) => self.boolean_test(expr, indent),
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => self.cast(inner, data_type, indent),
            Expr::TypedString(typed) => {
                let target = literal_type(self.data_type(&typed.data_type)?, &typed.data_type);
                let value = match &typed.value.value {
                    Value::SingleQuotedString(s) => s.clone(),
                    _ => return None,
                };
                Some(Node {
                    text: constant(&value, &self.shown(&target)),
                    ty: Ty::Known(target),
                    kind: Kind::Other,
                })
            }
            Expr::Function(f) => self.function(f, indent),
            // `floor(x)` and `ceil(x)`, which sqlparser reads apart.
            Expr::Ceil { .. } | Expr::Floor { .. } => self.ceil_floor(expr, indent),
            Expr::Substring { .. }
            | Expr::Position { .. }
            | Expr::Extract { .. }
            | Expr::Overlay { .. }
            | Expr::Trim { .. } => self.sql_syntax(expr, indent),
            // `a SIMILAR TO p` is a regular expression match with the
            // pattern translated by `similar_to_escape`.
            Expr::SimilarTo {
                negated,
                expr: inner,
                pattern,
                escape_char,
            } => {
                let mut args = vec![self.node(pattern, indent)?];
                if let Some(escape) = escape_char {
                    args.push(self.node(escape, indent)?);
                }
                let (ty, items) = self.call("similar_to_escape", args)?;
                let translated = Node {
                    text: format!("similar_to_escape({})", items.join(", ")),
                    ty,
                    kind: Kind::Other,
                };
                let l = self.node(inner, indent)?;
                self.operator(if *negated { "!~" } else { "~" }, l, translated)
            }
            // `a BETWEEN b AND c` is `a >= b AND a <= c`; `NOT BETWEEN` is
            // `a < b OR a > c`.
            Expr::Between {
                expr: inner,
                negated,
                low,
                high,
            } => {
                let (lower_op, upper_op, word) = if *negated {
                    ("<", ">", "OR")
                } else {
                    (">=", "<=", "AND")
                };
                let lower =
                    self.operator(lower_op, self.node(inner, indent)?, self.node(low, indent)?)?;
                let upper = self.operator(
                    upper_op,
                    self.node(inner, indent)?,
                    self.node(high, indent)?,
                )?;
                Some(Node {
                    text: format!("({} {word} {})", lower.text, upper.text),
                    ty: Ty::builtin("bool"),
                    kind: Kind::Other,
                })
            }
            // `ts AT TIME ZONE zone` is `timezone(zone, ts)`.
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
                let args = vec![self.node(time_zone, indent)?, self.node(timestamp, indent)?];
                let (ty, items) = self.sql_call("timezone", args)?;
                let [zone, ts] = items.as_slice() else {
                    return None;
                };
                Some(Node {
                    text: format!("({ts} AT TIME ZONE {zone})"),
                    ty,
                    kind: Kind::Other,
                })
            }
            // `interval '2' day`, `interval '1-2' year to month`.
            Expr::Interval(interval)
                if interval.leading_field.is_some()
                    && interval.fractional_seconds_precision.is_none()
                    && interval.leading_precision.is_none() =>
            {
                let Expr::Value(v) = interval.value.as_ref() else {
                    return None;
                };
                let Value::SingleQuotedString(value) = &v.value else {
                    return None;
                };
                let field = |f: &sqlparser::ast::DateTimeField| f.to_string();
                let printed = qualified_interval(
                    value,
                    &field(interval.leading_field.as_ref()?),
                    interval.last_field.as_ref().map(field).as_deref(),
                )?;
                let ty = PgType::builtin("interval");
                Some(Node {
                    text: format!("{}::interval", quote(&printed)),
                    ty: Ty::Known(ty),
                    kind: Kind::Other,
                })
            }
            Expr::Like {
                negated,
                any: false,
                expr: inner,
                pattern,
                escape_char: None,
            }
            | Expr::ILike {
                negated,
                any: false,
                expr: inner,
                pattern,
                escape_char: None,
            } => {
                let op = match (matches!(expr, Expr::ILike { .. }), negated) {
                    (false, false) => "~~",
                    (false, true) => "!~~",
                    (true, false) => "~~*",
                    (true, true) => "!~~*",
                };
                let (l, r) = (self.node(inner, indent)?, self.node(pattern, indent)?);
                self.operator(op, l, r)
            }
            // `a LIKE b ESCAPE c` is `a ~~ like_escape(b, c)`.
            Expr::Like {
                any: false,
                escape_char: Some(_),
                ..
            }
            | Expr::ILike {
                any: false,
                escape_char: Some(_),
                ..
            } => self.like_escape(expr, indent),
            Expr::Interval(interval)
                if interval.leading_field.is_none()
                    && interval.last_field.is_none()
                    && interval.fractional_seconds_precision.is_none() =>
            {
                let Expr::Value(v) = interval.value.as_ref() else {
                    return None;
                };
                let Value::SingleQuotedString(value) = &v.value else {
                    return None;
                };
                let ty = PgType::builtin("interval");
                Some(Node {
                    text: constant(value, &ty),
                    ty: Ty::Known(ty),
                    kind: Kind::Other,
                })
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let mut results = Vec::new();
                let mut whens = Vec::new();
                // `CASE x WHEN v` compares `x = v`: each value is passed as
                // `=` takes it, and `x` as it is (a cast of it would be on
                // the placeholder the server compares, which it does not
                // show).
                // An untyped subject is `text` (`transformCaseExpr`).
                let subject = match operand {
                    Some(e) => {
                        let node = self.node(e, indent)?;
                        Some(match node.kind {
                            Kind::Unknown(_) => {
                                let text = Ty::builtin("text");
                                Node {
                                    text: self.coerced(node, &text, false),
                                    ty: text,
                                    kind: Kind::Other,
                                }
                            }
                            _ => node,
                        })
                    }
                    None => None,
                };
                for when in conditions {
                    let condition = self.node(&when.condition, indent + 4)?;
                    match &subject {
                        None => whens.push(self.coerced(condition, &Ty::builtin("bool"), false)),
                        Some(subject) => {
                            let (_, declared) = self
                                .resolver
                                .operator_with_arguments("=", Some(&subject.ty), &condition.ty)
                                .ok()?;
                            whens.push(self.coerced(condition, &declared[1], false));
                        }
                    }
                    results.push(self.node(&when.result, indent + 4)?);
                }
                // A missing `ELSE` is a `NULL` of the result type, listed
                // first as the server lists the `ELSE`.
                let otherwise = match else_result {
                    Some(e) => self.node(e, indent + 4)?,
                    None => Node {
                        text: "NULL".to_owned(),
                        ty: Ty::Unknown,
                        kind: Kind::Unknown(None),
                    },
                };
                let types: Vec<Ty> = std::iter::once(&otherwise)
                    .chain(&results)
                    .map(|n| n.ty.clone())
                    .collect();
                let common = self.resolver.common_type(&types, "CASE").ok()?;
                let pad = " ".repeat(indent);
                let inner = " ".repeat(indent + 4);
                let mut text = match subject {
                    Some(subject) => format!("\n{pad}CASE {}", subject.text),
                    None => format!("\n{pad}CASE"),
                };
                for (when, result) in whens.into_iter().zip(results) {
                    let _ = write!(
                        text,
                        "\n{inner}WHEN {when} THEN {}",
                        self.coerced(result, &common, false)
                    );
                }
                let _ = write!(
                    text,
                    "\n{inner}ELSE {}",
                    self.coerced(otherwise, &common, false)
                );
                let _ = write!(text, "\n{pad}END");
                Some(Node {
                    text,
                    ty: common,
                    kind: Kind::Other,
                })
            }
            Expr::Array(array) => {
                let nodes = array
                    .elem
                    .iter()
                    .map(|e| self.node(e, indent))
                    .collect::<Option<Vec<_>>>()?;
                let types: Vec<Ty> = nodes.iter().map(|n| n.ty.clone()).collect();
                let common = self.resolver.common_type(&types, "ARRAY").ok()?;
                let items: Vec<String> = nodes
                    .into_iter()
                    .map(|n| self.coerced(n, &common, false))
                    .collect();
                let Ty::Known(element) = common else {
                    return None;
                };
                Some(array_node(&items, element))
            }
            _ => None,
        }
    }

    /// `expr::type`. Kept out of `node` so that its frame, which deep
    /// expressions stack thousands of, stays small.
    #[inline(never)]
    fn cast(&self, inner: &Expr, data_type: &DataType, indent: usize) -> Option<Node> {
        let target = self.data_type(data_type)?;
        // `'5'::interval minute`: read with the qualifier.
        if let Some(text) = interval_literal(inner, data_type) {
            return Some(Node {
                text,
                ty: Ty::Known(target),
                kind: Kind::Other,
            });
        }
        let shown = self.shown(&target);
        // An empty `ARRAY[]` has no type but the cast's.
        if let Expr::Array(array) = strip_nested(inner)
            && array.elem.is_empty()
            && target.array_dims > 0
        {
            return Some(Node {
                text: format!("ARRAY[]::{}", format_type(&shown)),
                ty: Ty::Known(target),
                kind: Kind::Other,
            });
        }
        // `ARRAY[1, 2]::bigint[]`: the parser casts each element, as it
        // would cast it alone (`ARRAY['a']::varchar(1)[]` holds
        // `'a'::character varying(1)`). Nested arrays are not followed.
        if let Expr::Array(array) = strip_nested(inner)
            && target.array_dims == 1
            && !array
                .elem
                .iter()
                .any(|e| matches!(strip_nested(e), Expr::Array(_)))
        {
            let element = PgType {
                array_dims: 0,
                ..target.clone()
            };
            let items = array
                .elem
                .iter()
                .map(|e| Some(self.cast_node(self.node(e, indent)?, &element)))
                .collect::<Option<Vec<_>>>()?;
            return Some(array_node(&items, element));
        }
        let node = self.node(inner, indent)?;
        Some(Node {
            text: self.cast_node(node, &target),
            ty: Ty::Known(target),
            kind: Kind::Other,
        })
    }

    /// `node` cast to `target`, as the server prints the cast.
    fn cast_node(&self, node: Node, target: &PgType) -> String {
        // `'seq'::regclass`: the relation, printed qualified, as for
        // `nextval('seq')`.
        if matches!(node.kind, Kind::Unknown(Some(_)))
            && target.schema.is_none()
            && target.name == "regclass"
            && target.array_dims == 0
        {
            return self.coerced(node, &Ty::Known(target.clone()), false);
        }
        let shown = self.shown(target);
        let base = self.resolver.base(target);
        match &node.kind {
            Kind::Unknown(None) => format!("NULL::{}", format_type(&shown)),
            // A literal for a domain is a constant of its base type,
            // then the cast to the domain.
            Kind::Unknown(Some(value)) if base != *target => format!(
                "({})::{}",
                constant(value, &without_mods(&base)),
                format_type(&shown)
            ),
            Kind::Unknown(Some(value)) => cast_constant(value, &shown),
            _ if node.ty == Ty::Known(target.clone()) => node.text,
            // A number cast to its own type with modifiers
            // (`1.5::numeric(5,2)`): the constant as it is, then the
            // modifiers (`get_coercion_expr`).
            Kind::Number
                if matches!(&node.ty, Ty::Known(t)
                    if t.schema.is_none() && t.name == target.name
                        && t.array_dims == target.array_dims && t.modifiers.is_empty()) =>
            {
                let label = format!("::{}", format_type(&without_mods(target)));
                format!(
                    "{}::{}",
                    node.text.strip_suffix(&label).unwrap_or(&node.text),
                    format_type(&shown)
                )
            }
            _ => format!("({})::{}", node.text, format_type(&shown)),
        }
    }

    /// `a [NOT] [I]LIKE b ESCAPE c`: the pattern through `like_escape`.
    #[inline(never)]
    fn like_escape(&self, expr: &Expr, indent: usize) -> Option<Node> {
        let (Expr::Like {
            negated,
            expr: inner,
            pattern,
            escape_char: Some(escape),
            ..
        }
        | Expr::ILike {
            negated,
            expr: inner,
            pattern,
            escape_char: Some(escape),
            ..
        }) = expr
        else {
            return None;
        };
        let op = match (matches!(expr, Expr::ILike { .. }), negated) {
            (false, false) => "~~",
            (false, true) => "!~~",
            (true, false) => "~~*",
            (true, true) => "!~~*",
        };
        let l = self.node(inner, indent)?;
        let args = vec![self.node(pattern, indent)?, self.node(escape, indent)?];
        let (ty, items) = self.call("like_escape", args)?;
        let pattern = Node {
            text: format!("like_escape({})", items.join(", ")),
            ty,
            kind: Kind::Other,
        };
        self.operator(op, l, pattern)
    }

    /// `NORMALIZE(x [, form])`, SQL's syntax for `normalize(text, text)`.
    #[inline(never)]
    fn normalize(&self, f: &sqlparser::ast::Function, indent: usize) -> Option<Node> {
        let [part] = f.name.0.as_slice() else {
            return None;
        };
        if part.as_ident().map(fold_ident).as_deref() != Some("normalize") {
            return None;
        }
        let FunctionArguments::List(list) = &f.args else {
            return None;
        };
        let (text, form) = match list.args.as_slice() {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))] => (e, None),
            [
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)),
                FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(form))),
            ] => (e, Some(form.value.to_uppercase())),
            _ => return None,
        };
        let node = self.node(text, indent)?;
        let text = self.coerced(node, &Ty::builtin("text"), false);
        Some(Node {
            text: match form {
                Some(form) => format!("NORMALIZE({text}, {form})"),
                None => format!("NORMALIZE({text})"),
            },
            ty: Ty::builtin("text"),
            kind: Kind::Other,
        })
    }

    /// `x IS [NOT] [form] NORMALIZED` and `x COLLATE "C"`, parenthesised
    /// as the server prints them.
    #[inline(never)]
    fn normalized_or_collated(&self, expr: &Expr, indent: usize) -> Option<Node> {
        match expr {
            Expr::IsNormalized {
                expr: inner,
                form,
                negated,
            } => {
                let node = self.node(inner, indent)?;
                let text = self.coerced(node, &Ty::builtin("text"), false);
                let form = form.as_ref().map(|f| format!("{f} ")).unwrap_or_default();
                let predicate = format!("({text} IS {form}NORMALIZED)");
                // `IS NOT NORMALIZED` is `NOT (… IS NORMALIZED)`.
                Some(Node {
                    text: if *negated {
                        format!("(NOT {predicate})")
                    } else {
                        predicate
                    },
                    ty: Ty::builtin("bool"),
                    kind: Kind::Other,
                })
            }
            Expr::Collate {
                expr: inner,
                collation,
            } => {
                let node = self.node(inner, indent)?;
                let collation: Vec<String> = collation
                    .0
                    .iter()
                    .map(|p| p.as_ident().map(|i| super::expr::ident(&fold_ident(i))))
                    .collect::<Option<_>>()?;
                let collation = match collation.as_slice() {
                    // `"C"` and `"default"` are always quoted.
                    [name] => format!("\"{}\"", name.trim_matches('"')),
                    _ => collation.join("."),
                };
                Some(Node {
                    text: format!("({} COLLATE {collation})", node.text),
                    ty: node.ty,
                    kind: Kind::Other,
                })
            }
            _ => None,
        }
    }

    /// `x IS [NOT] TRUE | FALSE | UNKNOWN`, its operand a boolean.
    #[inline(never)]
    fn boolean_test(&self, expr: &Expr, indent: usize) -> Option<Node> {
        let (inner, what) = match expr {
            Expr::IsTrue(e) => (e, "IS TRUE"),
            Expr::IsNotTrue(e) => (e, "IS NOT TRUE"),
            Expr::IsFalse(e) => (e, "IS FALSE"),
            Expr::IsNotFalse(e) => (e, "IS NOT FALSE"),
            Expr::IsUnknown(e) => (e, "IS UNKNOWN"),
            Expr::IsNotUnknown(e) => (e, "IS NOT UNKNOWN"),
            _ => return None,
        };
        let bool_ty = Ty::builtin("bool");
        let node = self.node(inner, indent)?;
        Some(Node {
            text: format!("({} {what})", self.coerced(node, &bool_ty, false)),
            ty: bool_ty,
            kind: Kind::Other,
        })
    }

    /// `floor(x)` and `ceil(x)`.
    #[inline(never)]
    fn ceil_floor(&self, expr: &Expr, indent: usize) -> Option<Node> {
        let (Expr::Ceil { expr: inner, field } | Expr::Floor { expr: inner, field }) = expr else {
            return None;
        };
        if !matches!(
            field,
            sqlparser::ast::CeilFloorKind::DateTimeField(sqlparser::ast::DateTimeField::NoDateTime)
        ) {
            return None;
        }
        let name = if matches!(expr, Expr::Ceil { .. }) {
            "ceil"
        } else {
            "floor"
        };
        let (ty, items) = self.call(name, vec![self.node(inner, indent)?])?;
        Some(Node {
            text: format!("{name}({})", items.first()?),
            ty,
            kind: Kind::Other,
        })
    }

    fn column(&self, ident: &Ident) -> Option<Node> {
        let name = fold_ident(ident);
        let Some(column) = self.columns.iter().find(|c| c.name == name) else {
            // `CURRENT_SCHEMA`, `CURRENT_ROLE`: SQL's functions without
            // parentheses, which sqlparser reads as names.
            let ty = super::builtins::sql_value_function(&name)
                .filter(|_| ident.quote_style.is_none())?;
            return Some(Node {
                text: name.to_uppercase(),
                ty: Ty::builtin(ty),
                kind: Kind::Other,
            });
        };
        Some(Node {
            text: super::expr::ident(&name),
            ty: Ty::Known(column.ty.clone()),
            kind: Kind::Other,
        })
    }

    fn prefix(&self, op: &str, node: Node) -> Option<Node> {
        let (result, declared) = self
            .resolver
            .operator_with_arguments(op, None, &node.ty)
            .ok()?;
        Some(Node {
            text: format!("({op} {})", self.coerced(node, &declared[0], false)),
            ty: Ty::Known(result),
            kind: Kind::Other,
        })
    }

    fn binary(
        &self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        indent: usize,
    ) -> Option<Node> {
        let (l, r) = (self.node(left, indent)?, self.node(right, indent)?);
        let name = match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let word = if matches!(op, BinaryOperator::And) {
                    "AND"
                } else {
                    "OR"
                };
                let bool_ty = Ty::builtin("bool");
                // `a AND b AND c` is one list.
                let flatten = |n: Node, e: &Expr| -> String {
                    let text = self.coerced(n, &bool_ty, false);
                    match e {
                        Expr::BinaryOp { op: inner, .. } if inner == op => {
                            text[1..text.len() - 1].to_owned()
                        }
                        _ => text,
                    }
                };
                return Some(Node {
                    text: format!("({} {word} {})", flatten(l, left), flatten(r, right)),
                    ty: bool_ty,
                    kind: Kind::Other,
                });
            }
            other => operator_name(other)?,
        };
        self.operator(&name, l, r)
    }

    /// `x [NOT] IN (a, b, …)` as the parser turns it
    /// (`transformAExprIn`): two or more elements that name no column
    /// become `x = ANY (ARRAY[a, b])` over their common type (`<> ALL`
    /// when negated); every other element is compared on its own, the
    /// comparisons joined by `OR` (`AND`).
    fn in_list(&self, left: &Expr, list: &[Expr], negated: bool, indent: usize) -> Option<Node> {
        let op = if negated { "<>" } else { "=" };
        let left_node = || self.node(left, indent);
        let (constants, columns): (Vec<&Expr>, Vec<&Expr>) =
            list.iter().partition(|e| !self.names_a_column(e));
        let mut result = None;
        let mut each: Vec<&Expr> = list.iter().collect();
        if constants.len() > 1 {
            let left = left_node()?;
            let elements = constants
                .iter()
                .map(|e| self.node(e, indent))
                .collect::<Option<Vec<_>>>()?;
            let types: Vec<Ty> = std::iter::once(&left)
                .chain(&elements)
                .map(|n| n.ty.clone())
                .collect();
            if let Ok(Ty::Known(common)) = self.resolver.common_type(&types, "IN")
                && !(common.name == "record" && common.schema.is_none())
            {
                let element = Ty::Known(common.clone());
                let items: Vec<String> = elements
                    .into_iter()
                    .map(|n| self.coerced(n, &element, false))
                    .collect();
                let array = array_node(&items, common);
                result = Some(self.scalar_array_op(left, op, !negated, array)?);
                each = columns;
            }
        }
        let word = if negated { "AND" } else { "OR" };
        for element in each {
            let compared = self.operator(op, left_node()?, self.node(element, indent)?)?;
            result = Some(match result {
                None => compared,
                Some(before) => Node {
                    text: format!("({} {word} {})", before.text, compared.text),
                    ty: Ty::builtin("bool"),
                    kind: Kind::Other,
                },
            });
        }
        result
    }

    /// `left op ANY (right)` (`ALL` unless `any`): the operator resolved
    /// against `right`'s element type, then the array cast to the array of
    /// the operator's right type where that differs.
    fn scalar_array_op(&self, left: Node, op: &str, any: bool, right: Node) -> Option<Node> {
        let element = match &right.ty {
            Ty::Unknown => Ty::Unknown,
            Ty::Known(ty) if ty.array_dims > 0 => Ty::Known(PgType {
                array_dims: 0,
                ..without_mods(ty)
            }),
            Ty::Known(_) => return None,
        };
        let (result, declared) = self
            .resolver
            .operator_with_arguments(op, Some(&left.ty), &element)
            .ok()?;
        if result.name != "bool" || result.schema.is_some() {
            return None;
        }
        let array = match &declared[1] {
            Ty::Known(ty) if !is_pseudo(ty) => Ty::Known(PgType {
                array_dims: 1,
                ..without_mods(ty)
            }),
            _ => right.ty.clone(),
        };
        let word = if any { "ANY" } else { "ALL" };
        Some(Node {
            text: format!(
                "({} {op} {word} ({}))",
                self.coerced(left, &declared[0], false),
                self.coerced(right, &array, false)
            ),
            ty: Ty::Known(result),
            kind: Kind::Other,
        })
    }

    /// Whether `expr` may name one of the table's columns (a generated
    /// column's expression): any word spelled like one counts.
    fn names_a_column(&self, expr: &Expr) -> bool {
        if self.columns.is_empty() {
            return false;
        }
        let text = expr.to_string();
        let Ok(tokens) =
            sqlparser::tokenizer::Tokenizer::new(&sqlparser::dialect::PostgreSqlDialect {}, &text)
                .tokenize()
        else {
            return true;
        };
        tokens.iter().any(|t| {
            matches!(t, sqlparser::tokenizer::Token::Word(w)
            if self.columns.iter().any(|c| c.name == fold_ident(&Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: sqlparser::tokenizer::Span::empty(),
            })))
        })
    }

    fn operator(&self, name: &str, l: Node, r: Node) -> Option<Node> {
        let (result, declared) = self
            .resolver
            .operator_with_arguments(name, Some(&l.ty), &r.ty)
            .ok()?;
        Some(Node {
            text: format!(
                "({} {name} {})",
                self.coerced(l, &declared[0], false),
                self.coerced(r, &declared[1], false)
            ),
            ty: Ty::Known(result),
            kind: Kind::Other,
        })
    }

    fn function(&self, f: &sqlparser::ast::Function, indent: usize) -> Option<Node> {
        if let Some(node) = self.normalize(f, indent) {
            return Some(node);
        }
        // A function the migrations created, whose result type is known.
        if let Some((text, Some(result))) = self.own_call(f, indent) {
            return Some(Node {
                text,
                ty: Ty::Known(result),
                kind: Kind::Other,
            });
        }
        if f.over.is_some() || f.filter.is_some() || !f.within_group.is_empty() {
            return None;
        }
        // The server shows a built-in by its bare name (its session's
        // `search_path` is `pg_catalog`).
        let part = match f.name.0.as_slice() {
            [part] => part,
            [schema, part]
                if schema.as_ident().map(fold_ident).as_deref() == Some("pg_catalog") =>
            {
                part
            }
            _ => return None,
        };
        let name = fold_ident(part.as_ident()?);
        let args: Vec<Node> = match &f.args {
            FunctionArguments::None => {
                let ty = super::builtins::sql_value_function(&name)?;
                return Some(Node {
                    text: name.to_uppercase(),
                    ty: Ty::builtin(ty),
                    kind: Kind::Other,
                });
            }
            FunctionArguments::List(list) => {
                if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
                    return None;
                }
                list.args
                    .iter()
                    .map(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.node(e, indent),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?
            }
            FunctionArguments::Subquery(_) => return None,
        };
        // `CURRENT_TIMESTAMP(3)`: SQL's function with a precision.
        if let Some(ty) = super::builtins::sql_value_function(&name)
            && let [precision] = args.as_slice()
            && matches!(precision.kind, Kind::Number)
        {
            let mut ty = PgType::builtin(ty);
            ty.modifiers = vec![precision.text.parse().ok()?];
            return Some(Node {
                text: format!("{}({})", name.to_uppercase(), precision.text),
                ty: Ty::Known(ty),
                kind: Kind::Other,
            });
        }
        let types: Vec<Ty> = args.iter().map(|a| a.ty.clone()).collect();
        match name.as_str() {
            "coalesce" | "greatest" | "least" => {
                let common = self.resolver.common_type(&types, &name).ok()?;
                let items: Vec<String> = args
                    .into_iter()
                    .map(|a| self.coerced(a, &common, false))
                    .collect();
                return Some(Node {
                    text: format!("{}({})", name.to_uppercase(), items.join(", ")),
                    ty: common,
                    kind: Kind::Other,
                });
            }
            "nullif" => {
                let [a, b] = <[Node; 2]>::try_from(args).ok()?;
                let (_, declared) = self
                    .resolver
                    .operator_with_arguments("=", Some(&a.ty), &b.ty)
                    .ok()?;
                let ty = declared[0].clone();
                return Some(Node {
                    text: format!(
                        "NULLIF({}, {})",
                        self.coerced(a, &declared[0], false),
                        self.coerced(b, &declared[1], false)
                    ),
                    ty,
                    kind: Kind::Other,
                });
            }
            _ => {}
        }
        let (result, items) = self.call(&name, args)?;
        Some(Node {
            text: format!("{}({})", super::expr::ident(&name), items.join(", ")),
            ty: result,
            kind: Kind::Other,
        })
    }

    /// A built-in function called with `args`: its result, and each
    /// argument as it is passed.
    fn call(&self, name: &str, args: Vec<Node>) -> Option<(Ty, Vec<String>)> {
        self.call_shown(name, args, true)
    }

    /// A function of SQL's own syntax (`SUBSTRING(a FROM b)`, `a AT TIME
    /// ZONE b`): the server prints its arguments without the casts the
    /// parser added.
    fn sql_call(&self, name: &str, args: Vec<Node>) -> Option<(Ty, Vec<String>)> {
        self.call_shown(name, args, false)
    }

    fn call_shown(&self, name: &str, args: Vec<Node>, casts: bool) -> Option<(Ty, Vec<String>)> {
        let types: Vec<Ty> = args.iter().map(|a| a.ty.clone()).collect();
        let (resolved, declared) = self.resolver.function_with_arguments(name, &types).ok()?;
        let items: Vec<String> = args
            .into_iter()
            .zip(&declared)
            .map(|(a, d)| self.coerced(a, d, !casts))
            .collect();
        Some((Ty::Known(resolved.result), items))
    }

    /// The functions with an SQL-standard syntax of their own, as the server
    /// prints them: `SUBSTRING(a FROM b FOR c)`, `POSITION((a) IN (b))`,
    /// `EXTRACT(year FROM a)`.
    fn sql_syntax(&self, expr: &Expr, indent: usize) -> Option<Node> {
        let (ty, text) = match expr {
            // `substr(a, b)` and `substring(a, b)` are plain calls, which
            // the server prints as such (`"substring"`, a keyword, quoted).
            Expr::Substring {
                expr: inner,
                substring_from: Some(from),
                substring_for,
                special: true,
                shorthand,
            } => {
                let mut args = vec![self.node(inner, indent)?, self.node(from, indent)?];
                if let Some(length) = substring_for {
                    args.push(self.node(length, indent)?);
                }
                let name = if *shorthand { "substr" } else { "substring" };
                let (ty, items) = self.call(name, args)?;
                let shown = if *shorthand {
                    "substr"
                } else {
                    "\"substring\""
                };
                (ty, format!("{shown}({})", items.join(", ")))
            }
            Expr::Substring {
                expr: inner,
                substring_from,
                substring_for,
                special: false,
                ..
            } => {
                // `SUBSTRING(a FOR n)` starts at 1.
                let from = match substring_from {
                    Some(from) => self.node(from, indent)?,
                    None => number("1"),
                };
                let mut args = vec![self.node(inner, indent)?, from];
                if let Some(length) = substring_for {
                    args.push(self.node(length, indent)?);
                }
                // By a position, the syntax; by a pattern
                // (`substring(text, text)`), a call.
                let types: Vec<Ty> = args.iter().map(|a| a.ty.clone()).collect();
                let (_, declared) = self
                    .resolver
                    .function_with_arguments("substring", &types)
                    .ok()?;
                if declared.get(1) != Some(&Ty::builtin("int4")) {
                    let (ty, items) = self.call("substring", args)?;
                    return Some(Node {
                        text: format!("\"substring\"({})", items.join(", ")),
                        ty,
                        kind: Kind::Other,
                    });
                }
                let (ty, items) = self.sql_call("substring", args)?;
                let text = match items.as_slice() {
                    [a, b] => format!("SUBSTRING({a} FROM {b})"),
                    [a, b, c] => format!("SUBSTRING({a} FROM {b} FOR {c})"),
                    _ => return None,
                };
                (ty, text)
            }
            Expr::Position { expr: needle, r#in } => {
                let args = vec![self.node(r#in, indent)?, self.node(needle, indent)?];
                let (ty, items) = self.sql_call("position", args)?;
                let [haystack, needle] = items.as_slice() else {
                    return None;
                };
                (ty, format!("POSITION(({needle}) IN ({haystack}))"))
            }
            Expr::Extract {
                field,
                syntax: sqlparser::ast::ExtractSyntax::From,
                expr: inner,
            } => {
                let field = match field {
                    sqlparser::ast::DateTimeField::Custom(_) => return None,
                    other => other.to_string().to_lowercase(),
                };
                let node = self.node(inner, indent)?;
                let field_node = Node {
                    text: quote(&field),
                    ty: Ty::Unknown,
                    kind: Kind::Unknown(Some(field.clone())),
                };
                let (ty, items) = self.sql_call("extract", vec![field_node, node])?;
                (ty, format!("EXTRACT({field} FROM {})", items.get(1)?))
            }
            Expr::Overlay {
                expr: inner,
                overlay_what,
                overlay_from,
                overlay_for,
            } => {
                let mut args = vec![
                    self.node(inner, indent)?,
                    self.node(overlay_what, indent)?,
                    self.node(overlay_from, indent)?,
                ];
                if let Some(length) = overlay_for {
                    args.push(self.node(length, indent)?);
                }
                let (ty, items) = self.sql_call("overlay", args)?;
                let text = match items.as_slice() {
                    [a, b, c] => format!("OVERLAY({a} PLACING {b} FROM {c})"),
                    [a, b, c, d] => format!("OVERLAY({a} PLACING {b} FROM {c} FOR {d})"),
                    _ => return None,
                };
                (ty, text)
            }
            // `TRIM(BOTH 'x' FROM s)` is `btrim(s, 'x')`, and so on.
            Expr::Trim {
                trim_where,
                trim_what: Some(what),
                expr: inner,
                trim_characters: None,
            } => {
                let (function, word) = match trim_where {
                    None | Some(sqlparser::ast::TrimWhereField::Both) => ("btrim", "BOTH"),
                    Some(sqlparser::ast::TrimWhereField::Leading) => ("ltrim", "LEADING"),
                    Some(sqlparser::ast::TrimWhereField::Trailing) => ("rtrim", "TRAILING"),
                };
                let args = vec![self.node(inner, indent)?, self.node(what, indent)?];
                let (ty, items) = self.sql_call(function, args)?;
                let [string, characters] = items.as_slice() else {
                    return None;
                };
                (ty, format!("TRIM({word} {characters} FROM {string})"))
            }
            // `TRIM(x)` and `TRIM(BOTH FROM x)` are `btrim(x)`.
            Expr::Trim {
                trim_where,
                trim_what: None,
                expr: inner,
                trim_characters: None,
            } => {
                let (function, word) = match trim_where {
                    None | Some(sqlparser::ast::TrimWhereField::Both) => ("btrim", "BOTH"),
                    Some(sqlparser::ast::TrimWhereField::Leading) => ("ltrim", "LEADING"),
                    Some(sqlparser::ast::TrimWhereField::Trailing) => ("rtrim", "TRAILING"),
                };
                let (ty, items) = self.sql_call(function, vec![self.node(inner, indent)?])?;
                let [string] = items.as_slice() else {
                    return None;
                };
                (ty, format!("TRIM({word} FROM {string})"))
            }
            _ => return None,
        };
        Some(Node {
            text,
            ty,
            kind: Kind::Other,
        })
    }
}

/// A string literal default of an `interval` column with a qualifier or a
/// precision (`interval minute DEFAULT '5'`), which the server reads with
/// them: `None` for any other column or default.
pub(super) fn interval_literal(
    expr: &Expr,
    data_type: &sqlparser::ast::DataType,
) -> Option<String> {
    use sqlparser::ast::{DataType, IntervalFields as F, Value};
    let DataType::Interval { fields, precision } = data_type else {
        return None;
    };
    if fields.is_none() && precision.is_none() {
        return None;
    }
    let mut literal = expr;
    while let Expr::Nested(inner) = literal {
        literal = inner;
    }
    let Expr::Value(v) = literal else {
        return None;
    };
    let (Value::SingleQuotedString(value) | Value::EscapedStringLiteral(value)) = &v.value else {
        return None;
    };
    let fields = fields.as_ref().map(|f| match f {
        F::Year => ("YEAR", None),
        F::Month => ("MONTH", None),
        F::Day => ("DAY", None),
        F::Hour => ("HOUR", None),
        F::Minute => ("MINUTE", None),
        F::Second => ("SECOND", None),
        F::YearToMonth => ("YEAR", Some("MONTH")),
        F::DayToHour => ("DAY", Some("HOUR")),
        F::DayToMinute => ("DAY", Some("MINUTE")),
        F::DayToSecond => ("DAY", Some("SECOND")),
        F::HourToMinute => ("HOUR", Some("MINUTE")),
        F::HourToSecond => ("HOUR", Some("SECOND")),
        F::MinuteToSecond => ("MINUTE", Some("SECOND")),
    });
    let precision = precision.and_then(|p| u32::try_from(p).ok());
    super::constant::interval_for_typmod(value, fields, precision)
}

/// `ARRAY[items]` of `element`s: an array of one dimension, without
/// modifiers (the server keeps none for an array's type).
fn array_node(items: &[String], element: PgType) -> Node {
    Node {
        text: format!("ARRAY[{}]", items.join(", ")),
        ty: Ty::Known(PgType {
            array_dims: 1,
            modifiers: Vec::new(),
            ..element
        }),
        kind: Kind::Other,
    }
}

/// The type of a typed literal (`char 'ab'`): as the type name says, but
/// `char` and `character` without a length are `bpchar`, of any length
/// (`makeTypeCast` over a `Typename` without modifiers).
pub(super) fn literal_type(ty: PgType, data_type: &DataType) -> PgType {
    match data_type {
        DataType::Char(None) | DataType::Character(None) => PgType::builtin("bpchar"),
        _ => ty,
    }
}

/// The number a chain of minus signs before a number literal is, as the
/// parser folds it (`- - 1` is `1`, `-(1.5)` is `-1.5`); `None` for any
/// other expression.
fn signed_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Nested(inner) => signed_literal(inner),
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(n.clone()),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr: inner,
        } => {
            let n = signed_literal(inner)?;
            Some(match n.strip_prefix('-') {
                Some(positive) => positive.to_owned(),
                None => format!("-{n}"),
            })
        }
        _ => None,
    }
}

/// `B'1010'` and `X'1F'`: constants of type `bit`, printed in binary.
fn bit_string(digits: &str, hex: bool) -> Option<Node> {
    let bits = if hex {
        digits
            .chars()
            .map(|c| c.to_digit(16).map(|d| format!("{d:04b}")))
            .collect::<Option<String>>()?
    } else if digits.chars().all(|c| matches!(c, '0' | '1')) {
        digits.to_owned()
    } else {
        return None;
    };
    Some(Node {
        text: format!("'{bits}'::\"bit\""),
        ty: Ty::builtin("bit"),
        kind: Kind::Other,
    })
}

/// The name of the operator a binary operator of sqlparser's is.
fn operator_name(op: &BinaryOperator) -> Option<String> {
    Some(match op {
        BinaryOperator::NotEq => "<>".to_owned(),
        BinaryOperator::PGLikeMatch => "~~".to_owned(),
        BinaryOperator::PGNotLikeMatch => "!~~".to_owned(),
        BinaryOperator::PGILikeMatch => "~~*".to_owned(),
        BinaryOperator::PGNotILikeMatch => "!~~*".to_owned(),
        // `OPERATOR(pg_catalog.+)` is `+`.
        BinaryOperator::PGCustomBinaryOperator(parts) => match parts.as_slice() {
            [schema, op] if schema == "pg_catalog" => op.clone(),
            _ => return None,
        },
        BinaryOperator::And | BinaryOperator::Or => return None,
        other => other.to_string(),
    })
}

/// `expr` without the parentheses around it.
fn strip_nested(mut expr: &Expr) -> &Expr {
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr
}

pub(super) fn without_mods(ty: &PgType) -> PgType {
    PgType {
        modifiers: Vec::new(),
        ..ty.clone()
    }
}

fn same_type(a: &Ty, b: &PgType) -> bool {
    match a {
        Ty::Known(a) => {
            a.schema == b.schema
                && a.name == b.name
                && a.array_dims == b.array_dims
                && (b.modifiers.is_empty() || a.modifiers == b.modifiers)
        }
        Ty::Unknown => false,
    }
}

/// Pseudo-types an argument keeps its own type for (`"any"`, `anyelement`).
fn is_pseudo(ty: &PgType) -> bool {
    ty.schema.is_none()
        && super::builtins::builtins()
            .type_info(&ty.name)
            .is_some_and(|i| i.category == b'P')
        && ty.array_dims == 0
}

/// `format_type_with_typemod`: SQL's names for the built-ins, modifiers,
/// user types qualified.
pub(crate) fn format_type(ty: &PgType) -> String {
    let base = match (&ty.schema, ty.name.as_str()) {
        (Some(schema), name) => {
            format!(
                "{}.{}",
                super::expr::ident(schema),
                super::expr::ident(name)
            )
        }
        (None, "int2") => "smallint".to_owned(),
        (None, "int4") => "integer".to_owned(),
        (None, "int8") => "bigint".to_owned(),
        (None, "float4") => "real".to_owned(),
        (None, "float8") => "double precision".to_owned(),
        (None, "bool") => "boolean".to_owned(),
        (None, "varchar") => "character varying".to_owned(),
        // `character` alone would mean `character(1)`.
        (None, "bpchar") if ty.modifiers.is_empty() => "bpchar".to_owned(),
        (None, "bpchar") => "character".to_owned(),
        (None, "varbit") => "bit varying".to_owned(),
        // `bit` alone would mean `bit(1)`.
        (None, "bit") if ty.modifiers.is_empty() => "\"bit\"".to_owned(),
        (None, "timestamp") => "timestamp without time zone".to_owned(),
        (None, "timestamptz") => "timestamp with time zone".to_owned(),
        (None, "time") => "time without time zone".to_owned(),
        (None, "timetz") => "time with time zone".to_owned(),
        (None, "char") => "\"char\"".to_owned(),
        // Built-in names print as they are.
        (None, name) => name.to_owned(),
    };
    let mods = if ty.modifiers.is_empty() {
        String::new()
    } else {
        let m: Vec<String> = ty.modifiers.iter().map(i32::to_string).collect();
        format!("({})", m.join(","))
    };
    // The precision of the time types goes before `with(out) time zone`.
    let with_mods = match (ty.schema.as_ref(), ty.name.as_str()) {
        (None, "timestamp" | "timestamptz" | "time" | "timetz") if !mods.is_empty() => {
            let (head, zone) = base.split_once(' ').unwrap_or((&base, ""));
            format!("{head}{mods} {zone}")
        }
        _ => format!("{base}{mods}"),
    };
    if ty.array_dims > 0 {
        format!("{with_mods}[]")
    } else {
        with_mods
    }
}
