//! Schemas, views, comments and DROP of every kind of object.

use super::{
    Catalog, CreateView, Ctx, Fold, Keyword, ObjectName, ObjectType, ParserError, SchemaName,
    Section, Source, Spanned, Statement, Token, View, fold_ident, parse_error, parser,
    unsupported_help, view,
};

impl Catalog {
    /// `CREATE SCHEMA name element…`: the schema, then each element as
    /// its own statement, created in the new schema, which also comes first
    /// on the path while they run (as `CreateSchemaCommand` sets it).
    pub(super) fn create_schema_with_elements(
        &mut self,
        source: &Source<'_>,
        head: &Statement,
        elements: &[Statement],
    ) -> Fold<()> {
        self.apply(source, head)?;
        let ctx = Ctx {
            source,
            start: head.start(),
        };
        let mut parser = parser(head);
        let schema = match parser.parse_statement() {
            Ok(sqlparser::ast::Statement::CreateSchema {
                schema_name: SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _),
                ..
            }) => ctx.qualify(&n)?.1,
            _ => return Ok(()),
        };
        // The elements look names up in the new schema first.
        let mut lookup = source.search_path.to_vec();
        let at = usize::from(lookup.first().is_some_and(|s| s == "pg_catalog"));
        lookup.insert(at, schema.clone());
        let inner = Source {
            default_schema: &schema,
            search_path: &lookup,
            ..*source
        };
        for element in elements {
            match crate::ddl::statements::classify(element) {
                crate::ddl::statements::Kind::Model => self.apply(&inner, element)?,
                crate::ddl::statements::Kind::Skip => {}
                crate::ddl::statements::Kind::Unsupported => {
                    let element_ctx = Ctx {
                        source,
                        start: element.start(),
                    };
                    return Err(element_ctx
                        .at(
                            sqlparser::tokenizer::Span::empty(),
                            format!(
                            "`{}` is not an element `CREATE SCHEMA` takes",
                                element.leading_text(2).trim()
                            ),
                        )
                        .help("a schema's elements are CREATE TABLE, VIEW, INDEX, SEQUENCE, TRIGGER and GRANT"));
                }
            }
        }
        Ok(())
    }

    /// `CREATE EXTENSION name [WITH SCHEMA s]`: its objects live in `s`, or
    /// in the schema first on the path.
    pub(super) fn create_extension(
        &mut self,
        ctx: &Ctx<'_, '_>,
        create: &sqlparser::ast::CreateExtension,
    ) {
        let schema = create
            .schema
            .as_ref()
            .map_or_else(|| ctx.source.default_schema.to_owned(), fold_ident);
        self.extensions
            .entry(fold_ident(&create.name))
            .or_insert(schema);
    }

    pub(super) fn create_schema(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &SchemaName,
        if_not_exists: bool,
    ) -> Fold<()> {
        let named_after_role;
        let ident = match name {
            SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => n,
            // `CREATE SCHEMA AUTHORIZATION alice` makes schema `alice`;
            // which role `CURRENT_USER` is, only the server knows.
            SchemaName::UnnamedAuthorization(role)
                if role.quote_style.is_some()
                    || !["CURRENT_USER", "CURRENT_ROLE", "SESSION_USER"]
                        .iter()
                        .any(|r| role.value.eq_ignore_ascii_case(r)) =>
            {
                named_after_role = sqlparser::ast::ObjectName::from(vec![role.clone()]);
                &named_after_role
            }
            SchemaName::UnnamedAuthorization(role) => {
                return Err(ctx
                    .at(
                        role.span,
                        format!(
                            "`CREATE SCHEMA AUTHORIZATION {}` names the schema after the role running the migration, which only the server knows",
                            role.value.to_ascii_uppercase()
                        ),
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

    pub(super) fn create_view(&mut self, ctx: &Ctx<'_, '_>, create: &CreateView) -> Fold<()> {
        let (schema, name) = ctx.qualify(&create.name)?;
        let span = create.name.span();
        ctx.owned(&schema, &format!("view `{schema}.{name}`"), span)?;
        if create.or_replace && !self.schemas.contains_key(&schema) && is_placeholder(&create.query)
        {
            return Err(ctx
                .at(span, format!("schema `{schema}` does not exist"))
                .help("`pg_dump --clean` writes this placeholder to free what a view depends on before dropping it; PostgreSQL refuses it too on a database without the schema: dump without `--clean` for a first migration"));
        }
        self.schema_mut(ctx, &schema, span)?;
        if self.type_exists(&schema, &name) {
            return Err(ctx.at(span, format!("type `{schema}.{name}` already exists")));
        }
        // Sequences and indexes are relations too.
        let exists = self.relation_name_taken(&schema, &name);
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
        let (columns, reads) = match view::columns(self, ctx.source, &create.query, &names) {
            Ok(typed) => (typed.columns, typed.reads),
            // Another source reads this view's section.
            Err(_) if self.untyped_views.contains(&schema) => Default::default(),
            Err(e) => {
                let error = ctx.at(e.span, super::rewrite::readable(&e.message));
                return Err(match e.help {
                    Some(help) => error.help(help),
                    None => error,
                });
            }
        };
        // `OR REPLACE` keeps the view's columns: new ones go at the end.
        if let Some(old) = self.schemas[&schema].views.get(&name)
            && !self.untyped_views.contains(&schema)
        {
            replaceable(ctx, span, (&schema, &name), &old.columns, &columns)?;
        }
        self.view_reads
            .insert((schema.clone(), name.clone()), reads);
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

    pub(super) fn drop(
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
                    self.drop_views_over_schema(ctx, name, &schema)?;
                    // One pass over every table, not one per dropped table.
                    for other in self.schemas.values_mut() {
                        for t in other.tables.values_mut() {
                            t.foreign_keys.retain(|fk| fk.foreign_schema != schema);
                        }
                    }
                    self.partitions
                        .retain(|(s, _), (parent, _)| *s != schema && *parent != schema);
                    self.schemas.remove(&schema);
                }
                ObjectType::Table => {
                    let (schema, table) = self.named(ctx, name)?;
                    ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
                    if self
                        .partitions
                        .remove(&(schema.clone(), table.clone()))
                        .is_some()
                    {
                        continue;
                    }
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
                    let users = self.type_users(&schema, &table);
                    if !users.is_empty() {
                        return Err(ctx
                            .at(
                                name.span(),
                                format!(
                                    "the row type of table `{schema}.{table}` is still used by {}",
                                    users.join(", ")
                                ),
                            )
                            .help("drop or change those columns first"));
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
                    let dropped = (schema.clone(), table.clone());
                    let children: Vec<String> = self
                        .parents
                        .iter()
                        .filter(|(_, parents)| parents.contains(&dropped))
                        .map(|((s, t), _)| format!("{s}.{t}"))
                        .collect();
                    if !children.is_empty() {
                        // `CASCADE` would drop the children too.
                        return Err(ctx
                            .at(
                                name.span(),
                                format!(
                                    "table `{schema}.{table}` has inheritance children: {}",
                                    children.join(", ")
                                ),
                            )
                            .help("drop the children first (`DROP TABLE … CASCADE` would drop them silently)"));
                    }
                    self.drop_dependent_views(ctx, name, &dropped, "table", cascade)?;
                    self.drop_owned_sequences(&schema, &table, None);
                    self.parents.remove(&dropped);
                    self.local_columns.remove(&dropped);
                    self.drop_references_to(&schema, &table, None);
                    self.schemas
                        .get_mut(&schema)
                        .expect("checked above")
                        .tables
                        .remove(&table);
                    self.dropped_columns
                        .remove(&(schema.clone(), table.clone()));
                    let parent = (schema.clone(), table.clone());
                    self.partitions.retain(|_, p| *p != parent);
                    self.checks.remove(&(schema, table));
                }
                ObjectType::View | ObjectType::MaterializedView => {
                    let (schema, view) = self.named(ctx, name)?;
                    ctx.owned(&schema, &format!("view `{schema}.{view}`"), name.span())?;
                    let key = (schema.clone(), view.clone());
                    if self.view_reads.contains_key(&key) {
                        self.drop_dependent_views(ctx, name, &key, "view", cascade)?;
                        self.view_reads.remove(&key);
                    }
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
                    let (schema, type_name) = self.named(ctx, name)?;
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

    /// The views that read `relation` (a `kind`), and the views over them:
    /// dropped with `cascade`, else the error PostgreSQL gives.
    fn drop_dependent_views(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        relation: &(String, String),
        kind: &str,
        cascade: bool,
    ) -> Fold<()> {
        let readers: Vec<(String, String)> = self
            .view_reads
            .iter()
            .filter(|(view, reads)| *view != relation && reads.relations.contains(relation))
            .map(|(view, _)| view.clone())
            .collect();
        self.drop_views(
            ctx,
            name.span(),
            readers,
            &format!("{kind} `{}.{}`", relation.0, relation.1),
            cascade,
        )
    }

    /// `DROP SCHEMA … CASCADE`: the views of other schemas over its
    /// relations go with it, and its sequences.
    fn drop_views_over_schema(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        schema: &str,
    ) -> Fold<()> {
        let inside: Vec<(String, String)> = self
            .view_reads
            .keys()
            .chain(self.view_reads.values().flat_map(|r| &r.relations))
            .filter(|(s, _)| s == schema)
            .cloned()
            .collect();
        for relation in inside {
            self.drop_dependent_views(ctx, name, &relation, "relation", true)?;
        }
        self.view_reads.retain(|(s, _), _| s != schema);
        // Its sequences go too.
        self.sequences.retain(|(s, _)| s != schema);
        self.owned_sequences.retain(|(s, _), _| s != schema);
        Ok(())
    }

    /// The views reading column `column` of `schema.table`, and the views
    /// over them: dropped with `cascade`, else the error PostgreSQL gives.
    pub(super) fn drop_views_reading_column(
        &mut self,
        ctx: &Ctx<'_, '_>,
        span: sqlparser::tokenizer::Span,
        (schema, table, column): (&str, &str, &str),
        cascade: bool,
    ) -> Fold<()> {
        let read = (schema.to_owned(), table.to_owned(), column.to_owned());
        let readers: Vec<(String, String)> = self
            .view_reads
            .iter()
            .filter(|(_, reads)| reads.columns.contains(&read))
            .map(|(view, _)| view.clone())
            .collect();
        self.drop_views(
            ctx,
            span,
            readers,
            &format!("column `{column}` of `{schema}.{table}`"),
            cascade,
        )
    }

    /// `readers` of `what`, and every view over them, dropped with
    /// `cascade`; without, an error naming them.
    fn drop_views(
        &mut self,
        ctx: &Ctx<'_, '_>,
        span: sqlparser::tokenizer::Span,
        readers: Vec<(String, String)>,
        what: &str,
        cascade: bool,
    ) -> Fold<()> {
        let mut dependents: Vec<(String, String)> = Vec::new();
        let mut pending = readers;
        while let Some(view) = pending.pop() {
            if dependents.contains(&view) {
                continue;
            }
            for (other, reads) in &self.view_reads {
                if reads.relations.contains(&view) && !dependents.contains(other) {
                    pending.push(other.clone());
                }
            }
            dependents.push(view);
        }
        if dependents.is_empty() {
            return Ok(());
        }
        if !cascade {
            dependents.sort();
            let listed: Vec<String> = dependents
                .iter()
                .map(|(s, v)| format!("`{s}.{v}`"))
                .collect();
            return Err(ctx
                .at(
                    span,
                    if listed.len() == 1 {
                        format!("cannot drop {what}: view {} depends on it", listed[0])
                    } else {
                        format!(
                            "cannot drop {what}: views {} depend on it",
                            listed.join(", ")
                        )
                    },
                )
                .help("drop those views first, or use `CASCADE` to drop them with it"));
        }
        for view in dependents {
            self.view_reads.remove(&view);
            if let Some(section) = self.schemas.get_mut(&view.0) {
                section.views.remove(&view.1);
            }
        }
        Ok(())
    }

    /// `COMMENT ON {TABLE|COLUMN|VIEW|MATERIALIZED VIEW|TYPE|DOMAIN} name IS 'text' | NULL`
    pub(super) fn comment(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Fold<()> {
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
            // An empty comment removes it, as `NULL` does.
            Ok((kind, name, text.filter(|t| !t.is_empty())))
        })();
        let (kind, name, text) = parsed.map_err(|e| parse_error(ctx, &e))?;
        let span = name.span();
        if kind == "column" {
            let mut parts = name.0.clone();
            let column = parts
                .pop()
                .and_then(|p| p.as_ident().map(fold_ident))
                .unwrap_or_default();
            let (schema, relation) = self.named(ctx, &ObjectName(parts))?;
            ctx.owned(&schema, &format!("table `{schema}.{relation}`"), span)?;
            let key = (schema.clone(), relation.clone());
            // A foreign table's or a partition's column: no part of the
            // model (the live source reads neither), but it must exist.
            let outside = self
                .foreign_tables
                .get(&key)
                .map(|columns| columns.iter().any(|c| c.name == column))
                .or_else(|| self.partitions.contains_key(&key).then_some(true));
            match outside {
                Some(true) => return Ok(()),
                Some(false) => {
                    return Err(ctx.at(
                        span,
                        format!("column `{column}` does not exist in `{schema}.{relation}`"),
                    ));
                }
                None => {}
            }
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
        let (schema, object) = self.named(ctx, &name)?;
        ctx.owned(&schema, &format!("{kind} `{schema}.{object}`"), span)?;
        if kind == "table"
            && self
                .partitions
                .contains_key(&(schema.clone(), object.clone()))
        {
            return Ok(());
        }
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

/// Refuses a `CREATE OR REPLACE VIEW` that drops, renames or retypes a
/// column of the view it replaces, as the server does.
fn replaceable(
    ctx: &Ctx<'_, '_>,
    span: sqlparser::tokenizer::Span,
    (schema, name): (&str, &str),
    old: &[crate::model::Column],
    new: &[crate::model::Column],
) -> Fold<()> {
    let help = "`CREATE OR REPLACE VIEW` may only add columns at the end; drop the view and create it again, or rename a column with `ALTER VIEW … RENAME COLUMN`";
    if new.len() < old.len() {
        return Err(ctx
            .at(
                span,
                format!("cannot drop columns from view `{schema}.{name}`"),
            )
            .help(help));
    }
    for (was, now) in old.iter().zip(new) {
        let change = if was.name != now.name {
            format!("name of view column `{}` to `{}`", was.name, now.name)
        } else if was.ty != now.ty {
            format!(
                "type of view column `{}` from {} to {}",
                was.name, was.ty, now.ty
            )
        } else {
            continue;
        };
        return Err(ctx
            .at(
                span,
                format!("cannot change the {change} in `{schema}.{name}`"),
            )
            .help(help));
    }
    Ok(())
}

/// `SELECT NULL::t AS a, …`: the placeholder `pg_dump` writes for a view
/// before its real query.
fn is_placeholder(query: &sqlparser::ast::Query) -> bool {
    use sqlparser::ast::{Expr, SelectItem, SetExpr, Value};
    let SetExpr::Select(select) = query.body.as_ref() else {
        return false;
    };
    select.from.is_empty()
        && select.projection.iter().all(|item| {
            matches!(item, SelectItem::ExprWithAlias { expr: Expr::Cast { expr, .. }, .. }
                if matches!(expr.as_ref(), Expr::Value(v) if v.value == Value::Null))
        })
}
