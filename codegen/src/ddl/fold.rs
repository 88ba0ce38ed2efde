//! Folds parsed statements, in migration order, into a catalog of schemas:
//! the same bookkeeping PostgreSQL does, limited to what the model holds.

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, AlterTypeAddValuePosition, AlterTypeOperation,
    ColumnDef, ColumnOption, CreateTable, CreateView, Expr, GeneratedAs, Ident, IndexColumn,
    ObjectName, ObjectType, ReferentialAction, RenameTableNameKind, SchemaName, Spanned,
    Statement as Ast, TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Span, Token};

use super::statements::{Statement, span_position};
use super::types::{self, TypeError, TypeScope};
use super::view;
use crate::error::{Position, SqlError};
use crate::model::{
    Action, Column, Domain, Enum, ForeignKey, Identity, Key, PgType, Section, Table, TableKind,
    View,
};

/// Every schema seen so far, with the objects in it.
#[derive(Default)]
pub(crate) struct Catalog {
    pub schemas: BTreeMap<String, Section>,
    /// Names of CHECK constraints per `(schema, table)`: not part of the
    /// model, but `DROP CONSTRAINT` must find them.
    checks: BTreeMap<(String, String), BTreeSet<String>>,
}

/// The file being folded.
pub(crate) struct Source<'a> {
    pub path: &'a std::path::Path,
    pub text: &'a str,
    /// The schema unqualified names resolve to.
    pub default_schema: &'a str,
    /// In the per-section layout: the section that owns the file, and the
    /// schema all its objects must live in.
    pub owner: Option<(&'a str, &'a str)>,
}

type Fold<T> = Result<T, SqlError>;

struct Ctx<'s, 'a> {
    source: &'s Source<'a>,
    start: Position,
}

impl Ctx<'_, '_> {
    fn at(&self, span: Span, message: impl Into<String>) -> SqlError {
        let position = if span.start.line == 0 {
            self.start
        } else {
            span_position(span)
        };
        SqlError::new(self.source.path, self.source.text, position, message)
    }

    fn qualify(&self, name: &ObjectName) -> Fold<(String, String)> {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(fold_ident).unwrap_or_default())
            .collect();
        match parts.as_slice() {
            [n] => Ok((self.source.default_schema.to_owned(), n.clone())),
            [s, n] | [_, s, n] => Ok((s.clone(), n.clone())),
            _ => Err(self.at(name.span(), format!("`{name}` is not a valid object name"))),
        }
    }

    /// In the per-section layout, refuses objects outside the section's schema.
    fn owned(&self, schema: &str, what: &str, span: Span) -> Fold<()> {
        match self.source.owner {
            Some((section, own)) if own != schema => Err(self
                .at(
                    span,
                    format!("section `{section}` touches {what} in schema `{schema}`, which is not its own schema `{own}`"),
                )
                .help(format!(
                    "each section's migrations may only create, alter or drop objects in its own schema; move this statement to the migrations of the section for `{schema}`"
                ))),
            _ => Ok(()),
        }
    }
}

/// PostgreSQL's identifier rule: unquoted names fold to lower case (ASCII
/// only, as the server does for multi-byte encodings); quoted names keep case.
pub(crate) fn fold_ident(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    }
}

/// Resolves type names against the catalog.
pub(crate) struct Scope<'c> {
    pub catalog: &'c Catalog,
    pub default_schema: &'c str,
}

impl TypeScope for Scope<'_> {
    fn default_schema(&self) -> &str {
        self.default_schema
    }
    fn has_type(&self, schema: &str, name: &str) -> bool {
        self.catalog
            .schemas
            .get(schema)
            .is_some_and(|s| s.enums.contains_key(name) || s.domains.contains_key(name))
    }
}

impl Catalog {
    fn scope<'c>(&'c self, source: &'c Source<'_>) -> Scope<'c> {
        Scope {
            catalog: self,
            default_schema: source.default_schema,
        }
    }

    /// Folds one statement that `classify` marked as changing the model.
    pub fn apply(&mut self, source: &Source<'_>, statement: &Statement) -> Fold<()> {
        let ctx = Ctx {
            source,
            start: statement.start(),
        };
        let words = statement.leading_words(3);
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["CREATE", "DOMAIN", ..] => return self.create_domain(&ctx, statement),
            ["COMMENT", ..] => return self.comment(&ctx, statement),
            _ => {}
        }
        let mut parser = parser(statement);
        let ast = match parser.parse_statement() {
            Ok(ast) => ast,
            Err(e) => {
                if w.starts_with(&["ALTER", "TABLE"])
                    && let Some(result) = self.try_set_schema(&ctx, statement)
                {
                    return result;
                }
                return Err(parse_error(&ctx, &e));
            }
        };
        expect_end(&ctx, &mut parser)?;
        match ast {
            Ast::CreateSchema {
                schema_name,
                if_not_exists,
                ..
            } => self.create_schema(&ctx, &schema_name, if_not_exists),
            Ast::CreateTable(create) => self.create_table(&ctx, &create),
            Ast::CreateType {
                name,
                representation,
            } => self.create_type(&ctx, &name, representation.as_ref()),
            Ast::CreateView(create) => self.create_view(&ctx, &create),
            Ast::AlterTable(alter) => {
                self.alter_table(&ctx, &alter.name, alter.if_exists, &alter.operations)
            }
            Ast::AlterType(alter) => self.alter_type(&ctx, &alter.name, &alter.operation),
            Ast::Drop {
                object_type,
                if_exists,
                names,
                cascade,
                ..
            } => self.drop(&ctx, object_type, if_exists, &names, cascade),
            Ast::DropDomain(drop) => self.drop_domain(
                &ctx,
                &drop.name,
                drop.if_exists,
                matches!(
                    drop.drop_behavior,
                    Some(sqlparser::ast::DropBehavior::Cascade)
                ),
            ),
            other => Err(ctx
                .at(
                    other.span(),
                    "this statement would change the schema but is not supported",
                )
                .help(unsupported_help())),
        }
    }

    fn schema_mut(&mut self, ctx: &Ctx<'_, '_>, schema: &str, span: Span) -> Fold<&mut Section> {
        if !self.schemas.contains_key(schema) {
            return Err(ctx
                .at(span, format!("schema `{schema}` does not exist"))
                .help(format!(
                    "add `CREATE SCHEMA IF NOT EXISTS {schema};` before this statement"
                )));
        }
        Ok(self.schemas.get_mut(schema).expect("checked above"))
    }

    fn table_mut(
        &mut self,
        ctx: &Ctx<'_, '_>,
        schema: &str,
        name: &str,
        span: Span,
    ) -> Fold<&mut Table> {
        let section = self.schema_mut(ctx, schema, span)?;
        if section.views.contains_key(name) {
            return Err(ctx.at(span, format!("`{schema}.{name}` is a view, not a table")));
        }
        let known: Vec<String> = section.tables.keys().cloned().collect();
        section.tables.get_mut(name).ok_or_else(|| {
            ctx.at(span, format!("table `{schema}.{name}` does not exist"))
                .help(known_help("tables", schema, &known))
        })
    }

    fn relation_exists(&self, schema: &str, name: &str) -> bool {
        self.schemas
            .get(schema)
            .is_some_and(|s| s.tables.contains_key(name) || s.views.contains_key(name))
    }

    fn type_exists(&self, schema: &str, name: &str) -> bool {
        self.schemas
            .get(schema)
            .is_some_and(|s| s.enums.contains_key(name) || s.domains.contains_key(name))
    }

    fn create_schema(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &SchemaName,
        if_not_exists: bool,
    ) -> Fold<()> {
        let ident = match name {
            SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => n,
            SchemaName::UnnamedAuthorization(role) => {
                return Err(ctx
                    .at(
                        role.span,
                        "`CREATE SCHEMA AUTHORIZATION role` names the schema after a role",
                    )
                    .help("name the schema: `CREATE SCHEMA name AUTHORIZATION role`"));
            }
        };
        let (_, schema) = ctx.qualify(ident)?;
        ctx.owned(&schema, &format!("schema `{schema}`"), ident.span())?;
        if self.schemas.contains_key(&schema) {
            if if_not_exists {
                return Ok(());
            }
            return Err(ctx
                .at(ident.span(), format!("schema `{schema}` already exists"))
                .help("use `CREATE SCHEMA IF NOT EXISTS`, or remove the duplicate"));
        }
        self.schemas
            .insert(schema.clone(), Section::new(schema.clone(), schema));
        Ok(())
    }

    fn create_table(&mut self, ctx: &Ctx<'_, '_>, create: &CreateTable) -> Fold<()> {
        if create.temporary {
            return Ok(());
        }
        let (schema, name) = ctx.qualify(&create.name)?;
        let span = create.name.span();
        if let Some(parent) = &create.partition_of {
            // A partition is storage for its parent, not a table of its own.
            let (parent_schema, parent_name) = ctx.qualify(parent)?;
            let parent_table = self.table_mut(ctx, &parent_schema, &parent_name, parent.span())?;
            if parent_table.kind != TableKind::Partitioned {
                return Err(ctx.at(
                    parent.span(),
                    format!("`{parent_schema}.{parent_name}` is not partitioned"),
                ));
            }
            return Ok(());
        }
        ctx.owned(&schema, &format!("table `{schema}.{name}`"), span)?;
        if create.query.is_some() || create.like.is_some() || create.clone.is_some() {
            return Err(ctx
                .at(span, "`CREATE TABLE … AS`/`LIKE` takes its columns from elsewhere, which the DDL source does not follow")
                .help("spell out the columns in `CREATE TABLE`"));
        }
        if create.inherits.is_some() {
            return Err(ctx
                .at(span, "table inheritance (`INHERITS`) is not supported")
                .help("declare the columns explicitly, or use declarative partitioning"));
        }
        self.schema_mut(ctx, &schema, span)?;
        if self.relation_exists(&schema, &name) {
            if create.if_not_exists {
                return Ok(());
            }
            return Err(ctx.at(span, format!("relation `{schema}.{name}` already exists")));
        }
        let mut table = Table {
            name: name.clone(),
            kind: if create.partition_by.is_some() {
                TableKind::Partitioned
            } else {
                TableKind::Ordinary
            },
            columns: Vec::new(),
            primary_key: None,
            unique: Vec::new(),
            foreign_keys: Vec::new(),
            comment: None,
        };
        let mut constraints: Vec<(Option<Ident>, Pending)> = Vec::new();
        for def in &create.columns {
            let column = self.column(ctx, &schema, &name, def, &mut constraints)?;
            if table.column(&column.name).is_some() {
                return Err(ctx.at(
                    def.name.span,
                    format!("column `{}` is declared twice", column.name),
                ));
            }
            table.columns.push(column);
        }
        // Insert first so that self-referencing foreign keys resolve.
        self.schemas
            .get_mut(&schema)
            .expect("checked above")
            .tables
            .insert(name.clone(), table);
        for constraint in &create.constraints {
            let pending = pending_constraint(ctx, constraint)?;
            constraints.push(pending);
        }
        let result = constraints.into_iter().try_for_each(|(cname, pending)| {
            self.add_constraint(ctx, &schema, &name, cname.as_ref(), pending)
        });
        if result.is_err() {
            self.schemas
                .get_mut(&schema)
                .expect("checked above")
                .tables
                .remove(&name);
        }
        result
    }

    /// Reads a column definition; column-level constraints go to `constraints`.
    fn column(
        &self,
        ctx: &Ctx<'_, '_>,
        schema: &str,
        table: &str,
        def: &ColumnDef,
        constraints: &mut Vec<(Option<Ident>, Pending)>,
    ) -> Fold<Column> {
        let name = fold_ident(&def.name);
        let read = types::column_type(&def.data_type, &self.scope(ctx.source))
            .map_err(|e| type_error(ctx, def.name.span, &e))?;
        let mut column = Column {
            name: name.clone(),
            ty: read.ty,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            comment: None,
        };
        if read.serial {
            column.nullable = false;
            column.default = Some(format!(
                "nextval('{}'::regclass)",
                sequence_name(schema, table, &name)
            ));
        }
        for option in &def.options {
            match &option.option {
                ColumnOption::Null => column.nullable = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(expr) => {
                    column.default = Some(super::expr::default(expr, &column.ty));
                }
                ColumnOption::PrimaryKey(_) => {
                    column.nullable = false;
                    constraints
                        .push((option.name.clone(), Pending::PrimaryKey(vec![name.clone()])));
                }
                ColumnOption::Unique(_) => {
                    constraints.push((option.name.clone(), Pending::Unique(vec![name.clone()])));
                }
                ColumnOption::ForeignKey(fk) => constraints.push((
                    option.name.clone(),
                    Pending::ForeignKey {
                        columns: vec![name.clone()],
                        table: fk.foreign_table.clone(),
                        referred: fk.referred_columns.iter().map(fold_ident).collect(),
                        on_delete: action(fk.on_delete),
                        on_update: action(fk.on_update),
                    },
                )),
                ColumnOption::Check(_) => {
                    constraints.push((option.name.clone(), Pending::Check(vec![name.clone()])));
                }
                ColumnOption::Generated {
                    generated_as,
                    generation_expr,
                    ..
                } => match generation_expr {
                    Some(expr) => column.generated = Some(super::expr::generated(expr)),
                    None => {
                        column.nullable = false;
                        column.identity = Some(match generated_as {
                            GeneratedAs::ByDefault => Identity::ByDefault,
                            GeneratedAs::Always | GeneratedAs::ExpStored => Identity::Always,
                        });
                    }
                },
                ColumnOption::Collation(_) => {}
                other => {
                    return Err(ctx
                        .at(
                            def.span(),
                            format!("column option `{other}` is not PostgreSQL or not supported"),
                        )
                        .help(unsupported_help()));
                }
            }
        }
        Ok(column)
    }

    fn add_constraint(
        &mut self,
        ctx: &Ctx<'_, '_>,
        schema: &str,
        table: &str,
        name: Option<&Ident>,
        pending: Pending,
    ) -> Fold<()> {
        let span = name.map_or(Span::empty(), |n| n.span);
        let explicit = name.map(fold_ident);
        // Resolve a foreign key's target before borrowing the table mutably.
        let resolved_fk = if let Pending::ForeignKey {
            columns,
            table: target,
            referred,
            on_delete,
            on_update,
        } = &pending
        {
            let (fschema, fname) = ctx.qualify(target)?;
            let target_table = self
                .schemas
                .get(&fschema)
                .and_then(|s| s.tables.get(&fname))
                .ok_or_else(|| {
                    ctx.at(
                        target.span(),
                        format!(
                            "foreign key references table `{fschema}.{fname}`, which does not exist"
                        ),
                    )
                    .help("create the referenced table in an earlier statement or migration")
                })?;
            let foreign_columns = if referred.is_empty() {
                target_table
                    .primary_key
                    .as_ref()
                    .map(|pk| pk.columns.clone())
                    .ok_or_else(|| {
                        ctx.at(
                            target.span(),
                            format!("`{fschema}.{fname}` has no primary key to reference"),
                        )
                        .help("name the referenced columns: `REFERENCES t (column)`")
                    })?
            } else {
                for c in referred {
                    if target_table.column(c).is_none() {
                        return Err(ctx.at(
                            target.span(),
                            format!("column `{c}` does not exist in `{fschema}.{fname}`"),
                        ));
                    }
                }
                referred.clone()
            };
            if foreign_columns.len() != columns.len() {
                return Err(ctx.at(
                    target.span(),
                    "the foreign key has a different number of referencing and referenced columns",
                ));
            }
            Some(ForeignKey {
                name: String::new(),
                columns: columns.clone(),
                foreign_schema: fschema,
                foreign_table: fname,
                foreign_columns,
                on_delete: *on_delete,
                on_update: *on_update,
            })
        } else {
            None
        };
        let checks = self
            .checks
            .entry((schema.to_owned(), table.to_owned()))
            .or_default()
            .clone();
        let t = self.table_mut(ctx, schema, table, span)?;
        let columns = match &pending {
            Pending::PrimaryKey(c) | Pending::Unique(c) | Pending::Check(c) => c.clone(),
            Pending::ForeignKey { columns, .. } => columns.clone(),
        };
        for c in &columns {
            if t.column(c).is_none() {
                return Err(ctx.at(
                    span,
                    format!(
                        "constraint names column `{c}`, which `{schema}.{table}` does not have"
                    ),
                ));
            }
        }
        let suffix = match pending {
            Pending::PrimaryKey(_) => "pkey",
            Pending::Unique(_) => "key",
            Pending::ForeignKey { .. } => "fkey",
            Pending::Check(_) => "check",
        };
        let cname = explicit.unwrap_or_else(|| {
            let label = if matches!(pending, Pending::PrimaryKey(_)) {
                String::new()
            } else {
                columns.join("_")
            };
            let taken = |n: &str| constraint_names(t, &checks).contains(n);
            choose_constraint_name(table, &label, suffix, taken)
        });
        if constraint_names(t, &checks).contains(&cname) {
            return Err(ctx.at(
                span,
                format!("constraint `{cname}` already exists on `{schema}.{table}`"),
            ));
        }
        match pending {
            Pending::PrimaryKey(cols) => {
                if t.primary_key.is_some() {
                    return Err(ctx.at(
                        span,
                        format!("`{schema}.{table}` already has a primary key"),
                    ));
                }
                for c in &cols {
                    if let Some(col) = t.columns.iter_mut().find(|x| &x.name == c) {
                        col.nullable = false;
                    }
                }
                t.primary_key = Some(Key {
                    name: cname,
                    columns: cols,
                });
            }
            Pending::Unique(cols) => {
                t.unique.push(Key {
                    name: cname,
                    columns: cols,
                });
                t.unique.sort_by(|a, b| a.name.cmp(&b.name));
            }
            Pending::ForeignKey { .. } => {
                let mut fk = resolved_fk.expect("resolved above");
                fk.name = cname;
                t.foreign_keys.push(fk);
                t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            }
            Pending::Check(_) => {
                self.checks
                    .entry((schema.to_owned(), table.to_owned()))
                    .or_default()
                    .insert(cname);
            }
        }
        Ok(())
    }

    fn create_type(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        representation: Option<&sqlparser::ast::UserDefinedTypeRepresentation>,
    ) -> Fold<()> {
        let (schema, type_name) = ctx.qualify(name)?;
        ctx.owned(
            &schema,
            &format!("type `{schema}.{type_name}`"),
            name.span(),
        )?;
        let Some(sqlparser::ast::UserDefinedTypeRepresentation::Enum { labels }) = representation
        else {
            return Err(ctx
                .at(name.span(), "only `CREATE TYPE … AS ENUM` is supported; composite, range and base types are not")
                .help("use an enum, a domain or a table instead"));
        };
        if self.type_exists(&schema, &type_name) {
            return Err(ctx.at(
                name.span(),
                format!("type `{schema}.{type_name}` already exists"),
            ));
        }
        let labels: Vec<String> = labels.iter().map(|l| l.value.clone()).collect();
        let mut seen = BTreeSet::new();
        for label in &labels {
            if !seen.insert(label) {
                return Err(ctx.at(name.span(), format!("enum label `{label}` is listed twice")));
            }
        }
        self.schema_mut(ctx, &schema, name.span())?.enums.insert(
            type_name.clone(),
            Enum {
                name: type_name,
                labels,
                comment: None,
            },
        );
        Ok(())
    }

    /// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [[CONSTRAINT n] NOT NULL | NULL | CHECK (e)]…`
    /// read token by token: sqlparser does not accept `NOT NULL` here.
    fn create_domain(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Fold<()> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::CREATE)?;
            p.expect_keyword_is(Keyword::DOMAIN)?;
            let name = p.parse_object_name(false)?;
            let _ = p.parse_keyword(Keyword::AS);
            let data_type = p.parse_data_type()?;
            let mut nullable = true;
            let mut default = None;
            loop {
                if p.parse_keyword(Keyword::COLLATE) {
                    p.parse_object_name(false)?;
                } else if p.parse_keyword(Keyword::DEFAULT) {
                    default = Some(p.parse_expr()?);
                } else if p.parse_keyword(Keyword::CONSTRAINT) {
                    p.parse_identifier()?;
                } else if p.parse_keywords(&[Keyword::NOT, Keyword::NULL]) {
                    nullable = false;
                } else if p.parse_keyword(Keyword::NULL) {
                    nullable = true;
                } else if p.parse_keyword(Keyword::CHECK) {
                    p.expect_token(&Token::LParen)?;
                    p.parse_expr()?;
                    p.expect_token(&Token::RParen)?;
                } else if p.peek_token().token == Token::EOF {
                    break;
                } else {
                    return p.expected(
                        "a domain constraint or the end of the statement",
                        p.peek_token(),
                    );
                }
            }
            Ok((name, data_type, nullable, default))
        })();
        let (name, data_type, nullable, default) = parsed.map_err(|e| parse_error(ctx, &e))?;
        let (schema, domain_name) = ctx.qualify(&name)?;
        ctx.owned(
            &schema,
            &format!("domain `{schema}.{domain_name}`"),
            name.span(),
        )?;
        if self.type_exists(&schema, &domain_name) {
            return Err(ctx.at(
                name.span(),
                format!("type `{schema}.{domain_name}` already exists"),
            ));
        }
        let base = types::pg_type(&data_type, &self.scope(ctx.source))
            .map_err(|e| type_error(ctx, name.span(), &e))?;
        let default = default.map(|expr| super::expr::default(&expr, &base));
        self.schema_mut(ctx, &schema, name.span())?.domains.insert(
            domain_name.clone(),
            Domain {
                name: domain_name,
                base,
                nullable,
                default,
                comment: None,
            },
        );
        Ok(())
    }

    fn create_view(&mut self, ctx: &Ctx<'_, '_>, create: &CreateView) -> Fold<()> {
        let (schema, name) = ctx.qualify(&create.name)?;
        let span = create.name.span();
        ctx.owned(&schema, &format!("view `{schema}.{name}`"), span)?;
        self.schema_mut(ctx, &schema, span)?;
        let exists = self.relation_exists(&schema, &name);
        if exists {
            let is_view = self.schemas[&schema].views.contains_key(&name);
            if !(create.or_replace && is_view) {
                if create.if_not_exists {
                    return Ok(());
                }
                return Err(ctx.at(span, format!("relation `{schema}.{name}` already exists")));
            }
        }
        let names: Vec<String> = create.columns.iter().map(|c| fold_ident(&c.name)).collect();
        let columns =
            view::columns(self, ctx.source, &create.query, &names).map_err(|(span, message)| {
                ctx.at(span, message)
                    .help("cast the expression to its type (`expr::numeric AS total`)")
            })?;
        self.schemas
            .get_mut(&schema)
            .expect("checked above")
            .views
            .insert(
                name.clone(),
                View {
                    name,
                    materialized: create.materialized,
                    columns,
                    comment: None,
                },
            );
        Ok(())
    }

    #[allow(clippy::too_many_lines)] // one arm per ALTER TABLE action
    fn alter_table(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        if_exists: bool,
        operations: &[AlterTableOperation],
    ) -> Fold<()> {
        let (schema, mut table) = ctx.qualify(name)?;
        let span = name.span();
        ctx.owned(&schema, &format!("table `{schema}.{table}`"), span)?;
        if if_exists && !self.relation_exists(&schema, &table) {
            return Ok(());
        }
        self.table_mut(ctx, &schema, &table, span)?;
        // PostgreSQL runs the actions of one ALTER TABLE in passes: drops
        // first, then type changes, additions, constraints, attributes.
        let mut operations: Vec<&AlterTableOperation> = operations.iter().collect();
        operations.sort_by_key(|op| alter_pass(op));
        for op in operations {
            match op {
                AlterTableOperation::AddColumn {
                    if_not_exists,
                    column_def,
                    ..
                } => {
                    let column_name = fold_ident(&column_def.name);
                    if self
                        .table_mut(ctx, &schema, &table, span)?
                        .column(&column_name)
                        .is_some()
                    {
                        if *if_not_exists {
                            continue;
                        }
                        return Err(ctx.at(
                            column_def.name.span,
                            format!("column `{column_name}` already exists in `{schema}.{table}`"),
                        ));
                    }
                    let mut constraints = Vec::new();
                    let column = self.column(ctx, &schema, &table, column_def, &mut constraints)?;
                    self.table_mut(ctx, &schema, &table, span)?
                        .columns
                        .push(column);
                    for (cname, pending) in constraints {
                        self.add_constraint(ctx, &schema, &table, cname.as_ref(), pending)?;
                    }
                }
                AlterTableOperation::DropColumn {
                    column_names,
                    if_exists,
                    ..
                } => {
                    for ident in column_names {
                        let column = fold_ident(ident);
                        let t = self.table_mut(ctx, &schema, &table, span)?;
                        if t.column(&column).is_none() {
                            if *if_exists {
                                continue;
                            }
                            return Err(ctx.at(
                                ident.span,
                                format!("column `{column}` does not exist in `{schema}.{table}`"),
                            ));
                        }
                        t.columns.retain(|c| c.name != column);
                        // PostgreSQL drops the table's constraints that use the column.
                        if t.primary_key
                            .as_ref()
                            .is_some_and(|k| k.columns.contains(&column))
                        {
                            t.primary_key = None;
                        }
                        t.unique.retain(|k| !k.columns.contains(&column));
                        t.foreign_keys.retain(|k| !k.columns.contains(&column));
                        self.drop_references_to(&schema, &table, Some(&column));
                    }
                }
                AlterTableOperation::AlterColumn { column_name, op } => {
                    let column = fold_ident(column_name);
                    let scope_ty = if let AlterColumnOperation::SetDataType { data_type, .. } = op {
                        Some(
                            types::pg_type(data_type, &self.scope(ctx.source))
                                .map_err(|e| type_error(ctx, column_name.span, &e))?,
                        )
                    } else {
                        None
                    };
                    let t = self.table_mut(ctx, &schema, &table, span)?;
                    let Some(col) = t.columns.iter_mut().find(|c| c.name == column) else {
                        return Err(ctx.at(
                            column_name.span,
                            format!("column `{column}` does not exist in `{schema}.{table}`"),
                        ));
                    };
                    match op {
                        AlterColumnOperation::SetNotNull => col.nullable = false,
                        AlterColumnOperation::DropNotNull => {
                            if t.primary_key
                                .as_ref()
                                .is_some_and(|k| k.columns.contains(&column))
                            {
                                return Err(ctx.at(
                                    column_name.span,
                                    format!("column `{column}` is in the primary key and cannot be nullable"),
                                ));
                            }
                            let col = t
                                .columns
                                .iter_mut()
                                .find(|c| c.name == column)
                                .expect("found above");
                            if col.identity.is_some() {
                                return Err(ctx.at(
                                    column_name.span,
                                    format!("column `{column}` is an identity column and cannot be nullable"),
                                ));
                            }
                            col.nullable = true;
                        }
                        AlterColumnOperation::SetDefault { value } => {
                            col.default = Some(super::expr::default(value, &col.ty));
                        }
                        AlterColumnOperation::DropDefault => col.default = None,
                        AlterColumnOperation::SetDataType { .. } => {
                            col.ty = scope_ty.expect("computed above");
                        }
                        AlterColumnOperation::AddGenerated { generated_as, .. } => {
                            col.nullable = false;
                            col.identity = Some(match generated_as {
                                Some(GeneratedAs::ByDefault) => Identity::ByDefault,
                                _ => Identity::Always,
                            });
                        }
                    }
                }
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => {
                    let old = fold_ident(old_column_name);
                    let new = fold_ident(new_column_name);
                    let t = self.table_mut(ctx, &schema, &table, span)?;
                    if t.column(&new).is_some() {
                        return Err(ctx.at(
                            new_column_name.span,
                            format!("column `{new}` already exists in `{schema}.{table}`"),
                        ));
                    }
                    let Some(col) = t.columns.iter_mut().find(|c| c.name == old) else {
                        return Err(ctx.at(
                            old_column_name.span,
                            format!("column `{old}` does not exist in `{schema}.{table}`"),
                        ));
                    };
                    col.name.clone_from(&new);
                    let rename = |cols: &mut Vec<String>| {
                        for c in cols.iter_mut().filter(|c| **c == old) {
                            c.clone_from(&new);
                        }
                    };
                    if let Some(pk) = &mut t.primary_key {
                        rename(&mut pk.columns);
                    }
                    t.unique.iter_mut().for_each(|k| rename(&mut k.columns));
                    t.foreign_keys
                        .iter_mut()
                        .for_each(|k| rename(&mut k.columns));
                    for s in self.schemas.values_mut() {
                        for other in s.tables.values_mut() {
                            for fk in &mut other.foreign_keys {
                                if fk.foreign_schema == schema && fk.foreign_table == table {
                                    rename(&mut fk.foreign_columns);
                                }
                            }
                        }
                    }
                }
                AlterTableOperation::RenameTable { table_name } => {
                    let (RenameTableNameKind::To(new_name) | RenameTableNameKind::As(new_name)) =
                        table_name;
                    let new = new_name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(fold_ident)
                        .unwrap_or_default();
                    if self.relation_exists(&schema, &new) {
                        return Err(ctx.at(
                            new_name.span(),
                            format!("relation `{schema}.{new}` already exists"),
                        ));
                    }
                    let section = self.schemas.get_mut(&schema).expect("table found above");
                    let mut moved = section.tables.remove(&table).expect("table found above");
                    moved.name.clone_from(&new);
                    section.tables.insert(new.clone(), moved);
                    self.retarget_references(&schema, &table, &schema, &new);
                    if let Some(checks) = self.checks.remove(&(schema.clone(), table.clone())) {
                        self.checks.insert((schema.clone(), new.clone()), checks);
                    }
                    table = new;
                }
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    let (cname, pending) = pending_constraint(ctx, constraint)?;
                    self.add_constraint(ctx, &schema, &table, cname.as_ref(), pending)?;
                }
                AlterTableOperation::DropConstraint {
                    if_exists, name, ..
                } => {
                    let cname = fold_ident(name);
                    let checks = self
                        .checks
                        .entry((schema.clone(), table.clone()))
                        .or_default();
                    let had_check = checks.remove(&cname);
                    let t = self.table_mut(ctx, &schema, &table, span)?;
                    let before = constraint_count(t);
                    if t.primary_key.as_ref().is_some_and(|k| k.name == cname) {
                        t.primary_key = None;
                    }
                    t.unique.retain(|k| k.name != cname);
                    t.foreign_keys.retain(|k| k.name != cname);
                    if before == constraint_count(t) && !had_check && !if_exists {
                        return Err(ctx.at(
                            name.span,
                            format!("constraint `{cname}` does not exist on `{schema}.{table}`"),
                        ));
                    }
                }
                AlterTableOperation::RenameConstraint { old_name, new_name } => {
                    let old = fold_ident(old_name);
                    let new = fold_ident(new_name);
                    let checks = self
                        .checks
                        .entry((schema.clone(), table.clone()))
                        .or_default();
                    let mut found = checks.remove(&old);
                    if found {
                        checks.insert(new.clone());
                    }
                    let t = self.table_mut(ctx, &schema, &table, span)?;
                    for key in t.primary_key.iter_mut().chain(t.unique.iter_mut()) {
                        if key.name == old {
                            key.name.clone_from(&new);
                            found = true;
                        }
                    }
                    for fk in &mut t.foreign_keys {
                        if fk.name == old {
                            fk.name.clone_from(&new);
                            found = true;
                        }
                    }
                    t.unique.sort_by(|a, b| a.name.cmp(&b.name));
                    t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
                    if !found {
                        return Err(ctx.at(
                            old_name.span,
                            format!("constraint `{old}` does not exist on `{schema}.{table}`"),
                        ));
                    }
                }
                // Actions that leave the model as it is.
                AlterTableOperation::OwnerTo { .. }
                | AlterTableOperation::EnableRowLevelSecurity
                | AlterTableOperation::DisableRowLevelSecurity
                | AlterTableOperation::ForceRowLevelSecurity
                | AlterTableOperation::NoForceRowLevelSecurity
                | AlterTableOperation::EnableTrigger { .. }
                | AlterTableOperation::DisableTrigger { .. }
                | AlterTableOperation::EnableAlwaysTrigger { .. }
                | AlterTableOperation::EnableReplicaTrigger { .. }
                | AlterTableOperation::EnableRule { .. }
                | AlterTableOperation::DisableRule { .. }
                | AlterTableOperation::EnableAlwaysRule { .. }
                | AlterTableOperation::EnableReplicaRule { .. }
                | AlterTableOperation::ReplicaIdentity { .. }
                | AlterTableOperation::SetLogged
                | AlterTableOperation::SetUnlogged
                | AlterTableOperation::SetTblProperties { .. } => {}
                other => {
                    return Err(ctx
                        .at(
                            other.span().union(&span),
                            format!("`ALTER TABLE … {other}` is not supported"),
                        )
                        .help(unsupported_help()));
                }
            }
        }
        Ok(())
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] name SET SCHEMA new`, which sqlparser
    /// does not parse. `None` when the statement is not of that form.
    fn try_set_schema(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::ALTER)?;
            p.expect_keyword_is(Keyword::TABLE)?;
            let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            let _ = p.parse_keyword(Keyword::ONLY);
            let name = p.parse_object_name(false)?;
            p.expect_keyword_is(Keyword::SET)?;
            p.expect_keyword_is(Keyword::SCHEMA)?;
            let new_schema = p.parse_identifier()?;
            if p.peek_token().token != Token::EOF {
                return p.expected("the end of the statement", p.peek_token());
            }
            Ok((if_exists, name, new_schema))
        })();
        let (if_exists, name, new_schema) = parsed.ok()?;
        Some((|| {
            let (schema, table) = ctx.qualify(&name)?;
            let target = fold_ident(&new_schema);
            ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
            ctx.owned(
                &target,
                &format!("table `{schema}.{table}`"),
                new_schema.span,
            )?;
            if if_exists && !self.relation_exists(&schema, &table) {
                return Ok(());
            }
            self.table_mut(ctx, &schema, &table, name.span())?;
            self.schema_mut(ctx, &target, new_schema.span)?;
            if self.relation_exists(&target, &table) {
                return Err(ctx.at(
                    new_schema.span,
                    format!("relation `{target}.{table}` already exists"),
                ));
            }
            let moved = self
                .schemas
                .get_mut(&schema)
                .expect("checked above")
                .tables
                .remove(&table)
                .expect("checked above");
            self.schemas
                .get_mut(&target)
                .expect("checked above")
                .tables
                .insert(table.clone(), moved);
            self.retarget_references(&schema, &table, &target, &table);
            if let Some(checks) = self.checks.remove(&(schema, table.clone())) {
                self.checks.insert((target, table), checks);
            }
            Ok(())
        })())
    }

    fn retarget_references(
        &mut self,
        schema: &str,
        table: &str,
        new_schema: &str,
        new_table: &str,
    ) {
        for s in self.schemas.values_mut() {
            for other in s.tables.values_mut() {
                for fk in &mut other.foreign_keys {
                    if fk.foreign_schema == schema && fk.foreign_table == table {
                        new_schema.clone_into(&mut fk.foreign_schema);
                        new_table.clone_into(&mut fk.foreign_table);
                    }
                }
            }
        }
    }

    /// Drops foreign keys (in any table) that reference `schema.table`, or only
    /// those using `column` of it.
    fn drop_references_to(&mut self, schema: &str, table: &str, column: Option<&str>) {
        for s in self.schemas.values_mut() {
            for other in s.tables.values_mut() {
                other.foreign_keys.retain(|fk| {
                    !(fk.foreign_schema == schema
                        && fk.foreign_table == table
                        && column.is_none_or(|c| fk.foreign_columns.iter().any(|f| f == c)))
                });
            }
        }
    }

    fn referencing_tables(&self, schema: &str, table: &str) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.schemas.values() {
            for other in s.tables.values() {
                let self_reference = s.schema == schema && other.name == table;
                if !self_reference
                    && other
                        .foreign_keys
                        .iter()
                        .any(|fk| fk.foreign_schema == schema && fk.foreign_table == table)
                {
                    out.push(format!("{}.{}", s.schema, other.name));
                }
            }
        }
        out
    }

    fn alter_type(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        operation: &AlterTypeOperation,
    ) -> Fold<()> {
        let (schema, type_name) = ctx.qualify(name)?;
        ctx.owned(
            &schema,
            &format!("type `{schema}.{type_name}`"),
            name.span(),
        )?;
        if let AlterTypeOperation::Rename(rename) = operation {
            let new = fold_ident(&rename.new_name);
            if !self.type_exists(&schema, &type_name) {
                return Err(ctx.at(
                    name.span(),
                    format!("type `{schema}.{type_name}` does not exist"),
                ));
            }
            if self.type_exists(&schema, &new) {
                return Err(ctx.at(
                    rename.new_name.span,
                    format!("type `{schema}.{new}` already exists"),
                ));
            }
            let section = self.schemas.get_mut(&schema).expect("checked above");
            if let Some(mut e) = section.enums.remove(&type_name) {
                e.name.clone_from(&new);
                section.enums.insert(new.clone(), e);
            } else if let Some(mut d) = section.domains.remove(&type_name) {
                d.name.clone_from(&new);
                section.domains.insert(new.clone(), d);
            }
            let old = PgType {
                schema: Some(schema.clone()),
                name: type_name,
                modifiers: Vec::new(),
                array_dims: 0,
            };
            self.each_type_mut(|ty| {
                if ty.schema == old.schema && ty.name == old.name {
                    ty.name.clone_from(&new);
                }
            });
            return Ok(());
        }
        let Some(e) = self
            .schemas
            .get_mut(&schema)
            .and_then(|s| s.enums.get_mut(&type_name))
        else {
            return Err(ctx.at(
                name.span(),
                format!("enum type `{schema}.{type_name}` does not exist"),
            ));
        };
        match operation {
            AlterTypeOperation::AddValue(add) => {
                let value = add.value.value.clone();
                if e.labels.contains(&value) {
                    if add.if_not_exists {
                        return Ok(());
                    }
                    return Err(ctx.at(
                        name.span(),
                        format!("enum label `{value}` already exists in `{schema}.{type_name}`"),
                    ));
                }
                let index = match &add.position {
                    None => e.labels.len(),
                    Some(
                        AlterTypeAddValuePosition::Before(n) | AlterTypeAddValuePosition::After(n),
                    ) => {
                        let at = e.labels.iter().position(|l| *l == n.value).ok_or_else(|| {
                            ctx.at(
                                name.span(),
                                format!(
                                    "enum label `{}` does not exist in `{schema}.{type_name}`",
                                    n.value
                                ),
                            )
                        })?;
                        if matches!(add.position, Some(AlterTypeAddValuePosition::After(_))) {
                            at + 1
                        } else {
                            at
                        }
                    }
                };
                e.labels.insert(index, value);
            }
            AlterTypeOperation::RenameValue(rename) => {
                let from = &rename.from.value;
                let to = &rename.to.value;
                if e.labels.contains(to) {
                    return Err(ctx.at(
                        name.span(),
                        format!("enum label `{to}` already exists in `{schema}.{type_name}`"),
                    ));
                }
                let Some(label) = e.labels.iter_mut().find(|l| *l == from) else {
                    return Err(ctx.at(
                        name.span(),
                        format!("enum label `{from}` does not exist in `{schema}.{type_name}`"),
                    ));
                };
                label.clone_from(to);
            }
            AlterTypeOperation::Rename(_) => unreachable!("handled above"),
        }
        Ok(())
    }

    fn each_type_mut(&mut self, mut f: impl FnMut(&mut PgType)) {
        for s in self.schemas.values_mut() {
            for t in s.tables.values_mut() {
                t.columns.iter_mut().for_each(|c| f(&mut c.ty));
            }
            for v in s.views.values_mut() {
                v.columns.iter_mut().for_each(|c| f(&mut c.ty));
            }
            for d in s.domains.values_mut() {
                f(&mut d.base);
            }
        }
    }

    fn type_users(&self, schema: &str, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let uses = |ty: &PgType| ty.schema.as_deref() == Some(schema) && ty.name == name;
        for s in self.schemas.values() {
            for t in s.tables.values() {
                for c in t.columns.iter().filter(|c| uses(&c.ty)) {
                    out.push(format!("{}.{}.{}", s.schema, t.name, c.name));
                }
            }
            for v in s.views.values() {
                for c in v.columns.iter().filter(|c| uses(&c.ty)) {
                    out.push(format!("{}.{}.{}", s.schema, v.name, c.name));
                }
            }
            for d in s.domains.values().filter(|d| uses(&d.base)) {
                out.push(format!("{}.{}", s.schema, d.name));
            }
        }
        out
    }

    fn drop(
        &mut self,
        ctx: &Ctx<'_, '_>,
        object_type: ObjectType,
        if_exists: bool,
        names: &[ObjectName],
        cascade: bool,
    ) -> Fold<()> {
        for name in names {
            match object_type {
                ObjectType::Schema => {
                    let schema = name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(fold_ident)
                        .unwrap_or_default();
                    ctx.owned(&schema, &format!("schema `{schema}`"), name.span())?;
                    let Some(section) = self.schemas.get(&schema) else {
                        if if_exists {
                            continue;
                        }
                        return Err(
                            ctx.at(name.span(), format!("schema `{schema}` does not exist"))
                        );
                    };
                    let empty = section.tables.is_empty()
                        && section.views.is_empty()
                        && section.enums.is_empty()
                        && section.domains.is_empty();
                    if !empty && !cascade {
                        return Err(ctx
                            .at(name.span(), format!("schema `{schema}` is not empty"))
                            .help("drop its objects first, or use `DROP SCHEMA … CASCADE`"));
                    }
                    let tables: Vec<String> = section.tables.keys().cloned().collect();
                    for t in tables {
                        self.drop_references_to(&schema, &t, None);
                    }
                    self.schemas.remove(&schema);
                }
                ObjectType::Table => {
                    let (schema, table) = ctx.qualify(name)?;
                    ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
                    if !self
                        .schemas
                        .get(&schema)
                        .is_some_and(|s| s.tables.contains_key(&table))
                    {
                        if if_exists {
                            continue;
                        }
                        self.table_mut(ctx, &schema, &table, name.span())?;
                    }
                    let referencing = self.referencing_tables(&schema, &table);
                    if !referencing.is_empty() && !cascade {
                        return Err(ctx
                            .at(
                                name.span(),
                                format!(
                                    "table `{schema}.{table}` is referenced by foreign keys of {}",
                                    referencing.join(", ")
                                ),
                            )
                            .help("drop those constraints first, or use `DROP TABLE … CASCADE`"));
                    }
                    self.drop_references_to(&schema, &table, None);
                    self.schemas
                        .get_mut(&schema)
                        .expect("checked above")
                        .tables
                        .remove(&table);
                    self.checks.remove(&(schema, table));
                }
                ObjectType::View | ObjectType::MaterializedView => {
                    let (schema, view) = ctx.qualify(name)?;
                    ctx.owned(&schema, &format!("view `{schema}.{view}`"), name.span())?;
                    let removed = self
                        .schemas
                        .get_mut(&schema)
                        .and_then(|s| s.views.remove(&view));
                    if removed.is_none() && !if_exists {
                        return Err(ctx.at(
                            name.span(),
                            format!("view `{schema}.{view}` does not exist"),
                        ));
                    }
                }
                ObjectType::Type => {
                    let (schema, type_name) = ctx.qualify(name)?;
                    self.drop_type(ctx, name, &schema, &type_name, if_exists, cascade)?;
                }
                _ => {
                    return Err(ctx
                        .at(
                            name.span(),
                            format!("`DROP {object_type}` is not supported"),
                        )
                        .help(unsupported_help()));
                }
            }
        }
        Ok(())
    }

    fn drop_domain(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        if_exists: bool,
        cascade: bool,
    ) -> Fold<()> {
        let (schema, domain) = ctx.qualify(name)?;
        self.drop_type(ctx, name, &schema, &domain, if_exists, cascade)
    }

    fn drop_type(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        schema: &str,
        type_name: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Fold<()> {
        ctx.owned(schema, &format!("type `{schema}.{type_name}`"), name.span())?;
        if !self.type_exists(schema, type_name) {
            if if_exists {
                return Ok(());
            }
            return Err(ctx.at(
                name.span(),
                format!("type `{schema}.{type_name}` does not exist"),
            ));
        }
        let users = self.type_users(schema, type_name);
        if !users.is_empty() {
            // PostgreSQL's CASCADE would drop those columns; a migration that
            // relies on that is almost always a mistake, so say so.
            let how = if cascade {
                "drop or change those columns first: `DROP TYPE … CASCADE` would silently drop them"
            } else {
                "drop or change those columns first"
            };
            return Err(ctx
                .at(
                    name.span(),
                    format!(
                        "type `{schema}.{type_name}` is still used by {}",
                        users.join(", ")
                    ),
                )
                .help(how));
        }
        let section = self.schemas.get_mut(schema).expect("checked above");
        section.enums.remove(type_name);
        section.domains.remove(type_name);
        Ok(())
    }

    /// `COMMENT ON {TABLE|COLUMN|VIEW|MATERIALIZED VIEW|TYPE|DOMAIN} name IS 'text' | NULL`
    fn comment(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Fold<()> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::COMMENT)?;
            p.expect_keyword_is(Keyword::ON)?;
            let kind = if p.parse_keyword(Keyword::TABLE) {
                "table"
            } else if p.parse_keyword(Keyword::COLUMN) {
                "column"
            } else if p.parse_keyword(Keyword::VIEW)
                || p.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEW])
            {
                "view"
            } else if p.parse_keyword(Keyword::TYPE) || p.parse_keyword(Keyword::DOMAIN) {
                "type"
            } else {
                return p.expected("TABLE, COLUMN, VIEW, TYPE or DOMAIN", p.peek_token());
            };
            let name = p.parse_object_name(false)?;
            p.expect_keyword_is(Keyword::IS)?;
            let text = if p.parse_keyword(Keyword::NULL) {
                None
            } else {
                let token = p.next_token();
                match token.token {
                    Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Some(s),
                    Token::DollarQuotedString(s) => Some(s.value),
                    _ => return p.expected("a string or NULL", token),
                }
            };
            if p.peek_token().token != Token::EOF {
                return p.expected("the end of the statement", p.peek_token());
            }
            Ok((kind, name, text))
        })();
        let (kind, name, text) = parsed.map_err(|e| parse_error(ctx, &e))?;
        let span = name.span();
        if kind == "column" {
            let mut parts = name.0.clone();
            let column = parts
                .pop()
                .and_then(|p| p.as_ident().map(fold_ident))
                .unwrap_or_default();
            let (schema, relation) = ctx.qualify(&ObjectName(parts))?;
            ctx.owned(&schema, &format!("table `{schema}.{relation}`"), span)?;
            let section = self.schema_mut(ctx, &schema, span)?;
            let columns = if let Some(t) = section.tables.get_mut(&relation) {
                &mut t.columns
            } else if let Some(v) = section.views.get_mut(&relation) {
                &mut v.columns
            } else {
                return Err(ctx.at(
                    span,
                    format!("relation `{schema}.{relation}` does not exist"),
                ));
            };
            let Some(col) = columns.iter_mut().find(|c| c.name == column) else {
                return Err(ctx.at(
                    span,
                    format!("column `{column}` does not exist in `{schema}.{relation}`"),
                ));
            };
            col.comment = text;
            return Ok(());
        }
        let (schema, object) = ctx.qualify(&name)?;
        ctx.owned(&schema, &format!("{kind} `{schema}.{object}`"), span)?;
        let section = self.schema_mut(ctx, &schema, span)?;
        let slot = match kind {
            "table" => section.tables.get_mut(&object).map(|t| &mut t.comment),
            "view" => section.views.get_mut(&object).map(|v| &mut v.comment),
            _ => match section.enums.get_mut(&object) {
                Some(e) => Some(&mut e.comment),
                None => section.domains.get_mut(&object).map(|d| &mut d.comment),
            },
        };
        let Some(slot) = slot else {
            return Err(ctx.at(span, format!("{kind} `{schema}.{object}` does not exist")));
        };
        *slot = text;
        Ok(())
    }
}

/// The pass of PostgreSQL's `ALTER TABLE` an action runs in (`AT_PASS_*`).
fn alter_pass(op: &AlterTableOperation) -> u8 {
    match op {
        AlterTableOperation::DropColumn { .. } | AlterTableOperation::DropConstraint { .. } => 0,
        AlterTableOperation::AlterColumn {
            op: AlterColumnOperation::SetDataType { .. },
            ..
        } => 1,
        AlterTableOperation::AddColumn { .. } => 4,
        AlterTableOperation::AddConstraint { .. } => 5,
        AlterTableOperation::AlterColumn { .. } => 6,
        _ => 10,
    }
}

/// A constraint waiting for its table to exist.
enum Pending {
    PrimaryKey(Vec<String>),
    Unique(Vec<String>),
    Check(Vec<String>),
    ForeignKey {
        columns: Vec<String>,
        table: ObjectName,
        referred: Vec<String>,
        on_delete: Action,
        on_update: Action,
    },
}

fn pending_constraint(
    ctx: &Ctx<'_, '_>,
    constraint: &TableConstraint,
) -> Fold<(Option<Ident>, Pending)> {
    let index_columns = |cols: &[IndexColumn]| -> Fold<Vec<String>> {
        cols.iter()
            .map(|c| match &c.column.expr {
                Expr::Identifier(ident) => Ok(fold_ident(ident)),
                other => Err(ctx.at(
                    other.span(),
                    "expression keys are not supported; name columns",
                )),
            })
            .collect()
    };
    Ok(match constraint {
        TableConstraint::PrimaryKey(pk) => (
            pk.name.clone(),
            Pending::PrimaryKey(index_columns(&pk.columns)?),
        ),
        TableConstraint::Unique(u) => (u.name.clone(), Pending::Unique(index_columns(&u.columns)?)),
        TableConstraint::ForeignKey(fk) => (
            fk.name.clone(),
            Pending::ForeignKey {
                columns: fk.columns.iter().map(fold_ident).collect(),
                table: fk.foreign_table.clone(),
                referred: fk.referred_columns.iter().map(fold_ident).collect(),
                on_delete: action(fk.on_delete),
                on_update: action(fk.on_update),
            },
        ),
        TableConstraint::Check(check) => (
            check.name.clone(),
            Pending::Check(check_columns(&check.expr)),
        ),
        other => {
            return Err(ctx
                .at(
                    other.span(),
                    format!("constraint `{other}` is not supported"),
                )
                .help(unsupported_help()));
        }
    })
}

/// The column a CHECK expression is about: PostgreSQL names an unnamed
/// check `<table>_<column>_check` when it uses exactly one column, else
/// `<table>_check`.
fn check_columns(expr: &Expr) -> Vec<String> {
    fn walk(expr: &Expr, out: &mut BTreeSet<String>) {
        match expr {
            Expr::Identifier(ident) => {
                out.insert(fold_ident(ident));
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    out.insert(fold_ident(last));
                }
            }
            Expr::BinaryOp { left, right, .. } => {
                walk(left, out);
                walk(right, out);
            }
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::Cast { expr, .. } => walk(expr, out),
            Expr::InList { expr, list, .. } => {
                walk(expr, out);
                list.iter().for_each(|e| walk(e, out));
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                walk(expr, out);
                walk(low, out);
                walk(high, out);
            }
            Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => {
                walk(expr, out);
                walk(pattern, out);
            }
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                walk(left, out);
                walk(right, out);
            }
            Expr::Function(f) => {
                if let sqlparser::ast::FunctionArguments::List(list) = &f.args {
                    for arg in &list.args {
                        if let sqlparser::ast::FunctionArg::Unnamed(
                            sqlparser::ast::FunctionArgExpr::Expr(e),
                        ) = arg
                        {
                            walk(e, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    walk(expr, &mut found);
    if found.len() == 1 {
        found.into_iter().collect()
    } else {
        Vec::new()
    }
}

fn action(action: Option<ReferentialAction>) -> Action {
    match action {
        None | Some(ReferentialAction::NoAction) => Action::NoAction,
        Some(ReferentialAction::Restrict) => Action::Restrict,
        Some(ReferentialAction::Cascade) => Action::Cascade,
        Some(ReferentialAction::SetNull) => Action::SetNull,
        Some(ReferentialAction::SetDefault) => Action::SetDefault,
    }
}

fn constraint_names(t: &Table, checks: &BTreeSet<String>) -> BTreeSet<String> {
    t.primary_key
        .iter()
        .chain(&t.unique)
        .map(|k| k.name.clone())
        .chain(t.foreign_keys.iter().map(|f| f.name.clone()))
        .chain(checks.iter().cloned())
        .collect()
}

fn constraint_count(t: &Table) -> usize {
    usize::from(t.primary_key.is_some()) + t.unique.len() + t.foreign_keys.len()
}

/// PostgreSQL's `ChooseConstraintName`: `<table>_<label>_<suffix>`, shortened
/// to 63 bytes by trimming the longer of table and label, then made unique
/// with a counter.
fn choose_constraint_name(
    table: &str,
    label: &str,
    suffix: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut pass = 0;
    loop {
        let suffix = if pass == 0 {
            suffix.to_owned()
        } else {
            format!("{suffix}{pass}")
        };
        let name = make_object_name(table, label, &suffix);
        if !taken(&name) {
            return name;
        }
        pass += 1;
    }
}

/// PostgreSQL's `makeObjectName` with `NAMEDATALEN` 64.
pub(crate) fn make_object_name(name1: &str, name2: &str, label: &str) -> String {
    const MAX: usize = 63;
    let overhead = label.len() + 1 + usize::from(!name2.is_empty());
    let mut len1 = name1.len();
    let mut len2 = name2.len();
    while len1 + len2 > MAX.saturating_sub(overhead) {
        if len1 > len2 {
            len1 -= 1;
        } else {
            len2 -= 1;
        }
    }
    let cut = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_owned()
    };
    let mut out = cut(name1, len1);
    if !name2.is_empty() {
        out.push('_');
        out.push_str(&cut(name2, len2));
    }
    out.push('_');
    out.push_str(label);
    out
}

fn sequence_name(schema: &str, table: &str, column: &str) -> String {
    let seq = make_object_name(table, column, "seq");
    let quote = |s: &str| {
        if s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
        {
            s.to_owned()
        } else {
            format!("\"{}\"", s.replace('"', "\"\""))
        }
    };
    format!("{}.{}", quote(schema), quote(&seq)).replace('\'', "''")
}

fn parser(statement: &Statement) -> Parser<'static> {
    static DIALECT: PostgreSqlDialect = PostgreSqlDialect {};
    Parser::new(&DIALECT).with_tokens_with_locations(statement.tokens.clone())
}

fn expect_end(ctx: &Ctx<'_, '_>, parser: &mut Parser<'_>) -> Fold<()> {
    let next = parser.peek_token();
    if next.token == Token::EOF {
        Ok(())
    } else {
        Err(ctx.at(
            next.span,
            format!("unexpected `{}` after the end of the statement", next.token),
        ))
    }
}

/// sqlparser puts the position in the message: lift it out.
fn parse_error(ctx: &Ctx<'_, '_>, error: &ParserError) -> SqlError {
    let text = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "the statement nests too deeply".to_owned(),
    };
    let (message, position) = match text.rsplit_once(" at Line: ") {
        Some((message, at)) => {
            let mut parts = at.split(", Column: ");
            let line = parts.next().and_then(|l| l.trim().parse().ok());
            let column = parts.next().and_then(|c| c.trim().parse().ok());
            match (line, column) {
                (Some(line), Some(column)) if line > 0 => (
                    message.to_owned(),
                    Position {
                        line,
                        column,
                        width: 1,
                    },
                ),
                _ => (message.to_owned(), ctx.start),
            }
        }
        None => (text.clone(), ctx.start),
    };
    let message = message
        .strip_prefix("sql parser error: ")
        .unwrap_or(&message)
        .to_owned();
    SqlError::new(ctx.source.path, ctx.source.text, position, format!("cannot parse this statement: {message}"))
        .help("fix the SQL; if PostgreSQL accepts it as written, the DDL source does not support this form: see the README under \"Supported DDL\"")
}

fn type_error(ctx: &Ctx<'_, '_>, span: Span, error: &TypeError) -> SqlError {
    match error {
        TypeError::Unknown(name) => ctx
            .at(span, format!("type `{name}` does not exist"))
            .help("create it (`CREATE TYPE … AS ENUM`, `CREATE DOMAIN`) in an earlier statement, or check the spelling"),
        TypeError::Unsupported(name) => ctx
            .at(span, format!("type `{name}` is not supported by the DDL source"))
            .help(unsupported_help()),
    }
}

fn known_help(what: &str, schema: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!(
            "schema `{schema}` has no {what} yet: create it in an earlier statement or migration"
        )
    } else {
        format!("{what} in `{schema}`: {}", known.join(", "))
    }
}

fn unsupported_help() -> &'static str {
    "rewrite it with the statements the DDL source supports (listed in the README under \"Supported DDL\")"
}

#[cfg(test)]
mod tests {
    use super::make_object_name;

    #[test]
    fn object_names_follow_postgres_truncation() {
        assert_eq!(
            make_object_name("part", "model_id", "fkey"),
            "part_model_id_fkey"
        );
        assert_eq!(make_object_name("part", "", "pkey"), "part_pkey");
        let long = "a".repeat(60);
        let name = make_object_name(&long, "b", "key");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_b_key"));
    }
}
