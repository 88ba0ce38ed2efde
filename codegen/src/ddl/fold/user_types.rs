//! User types: enums and domains (which the model holds), composite,
//! range and base types (which columns may have); CREATE TYPE, ALTER TYPE
//! (attributes of a composite type too), CREATE DOMAIN, and dropping types
//! only when nothing uses them.

use sqlparser::ast::{UserDefinedTypeRangeOption, UserDefinedTypeRepresentation as R};

use super::{
    AlterTypeAddValuePosition, AlterTypeOperation, BTreeSet, Catalog, Ctx, Domain, Enum, Fold,
    Ident, Keyword, MAX_IDENTIFIER, ObjectName, OtherType, ParserError, PgType, Span, Spanned,
    Statement, Token, fold_ident, parse_error, parser, respell, type_error, types,
};

impl Catalog {
    pub(super) fn create_type(
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
        let key = (schema.clone(), type_name.clone());
        // `CREATE TYPE name (INPUT = …)` completes the shell `pg_dump`
        // writes first (`CREATE TYPE name;`).
        if matches!(representation, Some(R::SqlDefinition { .. }))
            && matches!(self.other_types.get(&key), Some(OtherType::Base))
        {
            return Ok(());
        }
        if self.type_exists(&schema, &type_name) || self.relation_exists(&schema, &type_name) {
            return Err(ctx.at(
                name.span(),
                format!("type `{schema}.{type_name}` already exists"),
            ));
        }
        let labels = match representation {
            Some(R::Enum { labels }) => labels,
            None | Some(R::SqlDefinition { .. }) => {
                self.schema_mut(ctx, &schema, name.span())?;
                self.other_types.insert(key, OtherType::Base);
                return Ok(());
            }
            Some(R::Composite { attributes }) => {
                let scope = self.scope(ctx.source);
                let mut fields: Vec<(String, PgType)> = Vec::with_capacity(attributes.len());
                for attribute in attributes {
                    let field = fold_ident(&attribute.name);
                    if fields.iter().any(|(f, _)| *f == field) {
                        return Err(ctx.at(
                            attribute.name.span,
                            format!("attribute `{field}` is listed twice"),
                        ));
                    }
                    let ty = types::pg_type(&attribute.data_type, &scope)
                        .map_err(|e| type_error(ctx, attribute.name.span, &e))?;
                    fields.push((field, ty));
                }
                self.schema_mut(ctx, &schema, name.span())?;
                self.other_types.insert(key, OtherType::Composite(fields));
                return Ok(());
            }
            Some(R::Range { options }) => {
                if !options
                    .iter()
                    .any(|o| matches!(o, UserDefinedTypeRangeOption::Subtype(_)))
                {
                    return Err(ctx.at(name.span(), "a range type needs a `SUBTYPE`"));
                }
                // Its multirange: the name given, else the range's name
                // with `range` made `multirange` (or `_multirange` added).
                let multirange = options.iter().find_map(|o| match o {
                    UserDefinedTypeRangeOption::MultirangeTypeName(n) => Some(n),
                    _ => None,
                });
                let multirange = match multirange {
                    Some(n) => ctx.qualify(n)?,
                    None => (
                        schema.clone(),
                        super::truncate_identifier(match type_name.find("range") {
                            Some(at) => format!(
                                "{}multirange{}",
                                &type_name[..at],
                                &type_name[at + "range".len()..]
                            ),
                            None => format!("{type_name}_multirange"),
                        }),
                    ),
                };
                if self.type_exists(&multirange.0, &multirange.1)
                    || self.relation_exists(&multirange.0, &multirange.1)
                {
                    return Err(ctx.at(
                        name.span(),
                        format!("type `{}.{}` already exists", multirange.0, multirange.1),
                    ));
                }
                self.schema_mut(ctx, &schema, name.span())?;
                self.other_types.insert(key, OtherType::Range);
                self.other_types.insert(multirange, OtherType::Range);
                return Ok(());
            }
        };
        let labels: Vec<String> = labels.iter().map(|l| l.value.clone()).collect();
        let mut seen = BTreeSet::new();
        for label in &labels {
            check_label(ctx, name.span(), label)?;
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

    /// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [[CONSTRAINT n] NOT NULL | NULL | CHECK (e)]…`:
    /// what follows the name is read as a column definition is, so that
    /// `DEFAULT 'x' NOT NULL` is a default and a constraint, as the server
    /// reads it.
    pub(super) fn create_domain(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Fold<()> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::CREATE)?;
            p.expect_keyword_is(Keyword::DOMAIN)?;
            let name = p.parse_object_name(false)?;
            let _ = p.parse_keyword(Keyword::AS);
            let mut tokens = vec![
                sqlparser::tokenizer::TokenWithSpan::wrap(Token::make_word("value", None)),
                sqlparser::tokenizer::TokenWithSpan::wrap(Token::Whitespace(
                    sqlparser::tokenizer::Whitespace::Space,
                )),
            ];
            tokens.extend(statement.tokens[p.index()..].iter().cloned());
            let mut definition = parser(&Statement { tokens });
            let column = definition.parse_column_def()?;
            if definition.peek_token().token != Token::EOF {
                return definition.expected(
                    "a domain constraint or the end of the statement",
                    definition.peek_token(),
                );
            }
            let mut nullable = true;
            let mut default = None;
            for option in column.options {
                match option.option {
                    sqlparser::ast::ColumnOption::Default(expr) => default = Some(expr),
                    sqlparser::ast::ColumnOption::NotNull => nullable = false,
                    sqlparser::ast::ColumnOption::Null => nullable = true,
                    sqlparser::ast::ColumnOption::Check(_)
                    | sqlparser::ast::ColumnOption::Collation(_) => {}
                    other => {
                        return Err(ParserError::ParserError(format!(
                            "Expected: a domain constraint (`NOT NULL`, `NULL`, `CHECK`), found: {other}"
                        )));
                    }
                }
            }
            Ok((name, column.data_type, nullable, default))
        })();
        let (name, data_type, nullable, default) = parsed.map_err(|e| parse_error(ctx, &e))?;
        let (schema, domain_name) = ctx.qualify(&name)?;
        ctx.owned(
            &schema,
            &format!("domain `{schema}.{domain_name}`"),
            name.span(),
        )?;
        if self.type_exists(&schema, &domain_name) || self.relation_exists(&schema, &domain_name) {
            return Err(ctx.at(
                name.span(),
                format!("type `{schema}.{domain_name}` already exists"),
            ));
        }
        let base = types::pg_type(&data_type, &self.scope(ctx.source))
            .map_err(|e| type_error(ctx, name.span(), &e))?;
        if let Some(expr) = &default {
            super::tables::parenthesized(ctx, expr)?;
        }
        let default = match default {
            Some(expr) => super::super::expr::default(&expr, &base, &self.deparser(ctx, &[])),
            // A domain over a domain takes its default.
            None => base
                .schema
                .as_ref()
                .and_then(|s| self.schemas.get(s))
                .and_then(|s| s.domains.get(&base.name))
                .filter(|_| base.array_dims == 0)
                .and_then(|d| d.default.clone()),
        };
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

    /// `ALTER DOMAIN name SET DEFAULT e | DROP DEFAULT | SET NOT NULL | DROP
    /// NOT NULL | ADD [CONSTRAINT n] CHECK (e) [NOT VALID] | ADD [CONSTRAINT
    /// n] NOT NULL | DROP CONSTRAINT [IF EXISTS] n | RENAME CONSTRAINT a TO
    /// b | VALIDATE CONSTRAINT n | RENAME TO new`, read token by token
    /// (sqlparser does not parse it). Constraints other than `NOT NULL`
    /// change no column's type: only their names are followed.
    pub(super) fn alter_domain(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Fold<()> {
        enum Change {
            Default(Option<Box<sqlparser::ast::Expr>>),
            Nullable(bool),
            Check,
            NotNullConstraint,
            DropConstraint,
            Rename(Ident),
        }
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::ALTER)?;
            p.expect_keyword_is(Keyword::DOMAIN)?;
            let name = p.parse_object_name(false)?;
            let change = if p.parse_keywords(&[Keyword::SET, Keyword::DEFAULT]) {
                Change::Default(Some(Box::new(p.parse_expr()?)))
            } else if p.parse_keywords(&[Keyword::DROP, Keyword::DEFAULT]) {
                Change::Default(None)
            } else if p.parse_keywords(&[Keyword::SET, Keyword::NOT, Keyword::NULL]) {
                Change::Nullable(false)
            } else if p.parse_keywords(&[Keyword::DROP, Keyword::NOT, Keyword::NULL]) {
                Change::Nullable(true)
            } else if p.parse_keyword(Keyword::ADD) {
                if p.parse_keyword(Keyword::CONSTRAINT) {
                    p.parse_identifier()?;
                }
                if p.parse_keywords(&[Keyword::NOT, Keyword::NULL]) {
                    Change::NotNullConstraint
                } else {
                    p.expect_keyword_is(Keyword::CHECK)?;
                    p.expect_token(&Token::LParen)?;
                    p.parse_expr()?;
                    p.expect_token(&Token::RParen)?;
                    let _ = p.parse_keywords(&[Keyword::NOT, Keyword::VALID]);
                    Change::Check
                }
            } else if p.parse_keywords(&[Keyword::DROP, Keyword::CONSTRAINT]) {
                let _ = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
                p.parse_identifier()?;
                let _ = p.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]);
                Change::DropConstraint
            } else if p.parse_keywords(&[Keyword::RENAME, Keyword::CONSTRAINT]) {
                p.parse_identifier()?;
                p.expect_keyword_is(Keyword::TO)?;
                p.parse_identifier()?;
                Change::Check
            } else if p.parse_keywords(&[Keyword::VALIDATE, Keyword::CONSTRAINT]) {
                p.parse_identifier()?;
                Change::Check
            } else {
                p.expect_keywords(&[Keyword::RENAME, Keyword::TO])?;
                Change::Rename(p.parse_identifier()?)
            };
            Ok((name, change))
        })();
        let (name, change) = parsed.map_err(|e| parse_error(ctx, &e))?;
        super::expect_end(ctx, &mut p)?;
        let (schema, domain_name) = self.named(ctx, &name)?;
        ctx.owned(
            &schema,
            &format!("domain `{schema}.{domain_name}`"),
            name.span(),
        )?;
        let Some(domain) = self
            .schemas
            .get(&schema)
            .and_then(|s| s.domains.get(&domain_name))
            .cloned()
        else {
            return Err(ctx.at(
                name.span(),
                format!("domain `{schema}.{domain_name}` does not exist"),
            ));
        };
        let mut domain = domain;
        match change {
            Change::Default(expr) => {
                domain.default = match expr {
                    Some(expr) => {
                        super::super::expr::default(&expr, &domain.base, &self.deparser(ctx, &[]))
                    }
                    None => None,
                };
            }
            Change::Nullable(nullable) => domain.nullable = nullable,
            Change::NotNullConstraint => domain.nullable = false,
            // PostgreSQL 15 keeps a domain's `NOT NULL` apart from its
            // named constraints (`DROP NOT NULL` removes it), so dropping a
            // constraint leaves the domain's nullability as it is.
            Change::Check | Change::DropConstraint => {}
            Change::Rename(new) => {
                let new = fold_ident(&new);
                if self.type_exists(&schema, &new) || self.relation_exists(&schema, &new) {
                    return Err(
                        ctx.at(name.span(), format!("type `{schema}.{new}` already exists"))
                    );
                }
                let section = self.schemas.get_mut(&schema).expect("found above");
                section.domains.remove(&domain_name);
                domain.name.clone_from(&new);
                section.domains.insert(new.clone(), domain);
                self.each_type_mut(|ty| {
                    if ty.schema.as_deref() == Some(schema.as_str()) && ty.name == domain_name {
                        ty.name.clone_from(&new);
                    }
                });
                self.respell(|text| {
                    respell::qualified(
                        text,
                        (&schema, &domain_name),
                        (&schema, &new),
                        respell::Kind::Type,
                    )
                });
                return Ok(());
            }
        }
        self.schemas
            .get_mut(&schema)
            .expect("found above")
            .domains
            .insert(domain_name, domain);
        Ok(())
    }

    pub(super) fn alter_type(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        operation: &AlterTypeOperation,
    ) -> Fold<()> {
        let (schema, type_name) = self.named(ctx, name)?;
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
            } else if let Some(other) = self
                .other_types
                .remove(&(schema.clone(), type_name.clone()))
            {
                self.other_types
                    .insert((schema.clone(), new.clone()), other);
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
            self.respell(|text| {
                respell::qualified(
                    text,
                    (&schema, &old.name),
                    (&schema, &new),
                    respell::Kind::Type,
                )
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
                check_label(ctx, name.span(), &value)?;
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
                check_label(ctx, name.span(), to)?;
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
                let spelled = format!(
                    "{}.{}",
                    crate::ddl::quote_identifier(&schema),
                    crate::ddl::quote_identifier(&type_name)
                );
                self.respell(|text| respell::label(text, &spelled, from, to));
            }
            AlterTypeOperation::Rename(_) => unreachable!("handled above"),
        }
        Ok(())
    }

    pub(super) fn each_type_mut(&mut self, mut f: impl FnMut(&mut PgType)) {
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
        for other in self.other_types.values_mut() {
            if let OtherType::Composite(fields) = other {
                for (_, ty) in fields.iter_mut() {
                    f(ty);
                }
            }
        }
    }

    /// `ALTER TYPE name ADD | DROP | ALTER | RENAME ATTRIBUTE …` on a
    /// composite type, which sqlparser does not parse. `None` when the
    /// statement is not of that form.
    pub(super) fn try_alter_attributes(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        p.expect_keyword_is(Keyword::ALTER).ok()?;
        p.expect_keyword_is(Keyword::TYPE).ok()?;
        let name = p.parse_object_name(false).ok()?;
        let action = p.peek_token();
        if !matches!(&action.token, Token::Word(w) if ["ADD", "DROP", "ALTER", "RENAME"].contains(&w.value.to_ascii_uppercase().as_str()))
        {
            return None;
        }
        Some((|| {
            let actions = attribute_actions(&mut p).map_err(|e| parse_error(ctx, &e))?;
            super::expect_end(ctx, &mut p)?;
            let (schema, type_name) = self.named(ctx, &name)?;
            ctx.owned(
                &schema,
                &format!("type `{schema}.{type_name}`"),
                name.span(),
            )?;
            let key = (schema.clone(), type_name.clone());
            let Some(OtherType::Composite(mut fields)) = self.other_types.get(&key).cloned() else {
                return Err(ctx.at(
                    name.span(),
                    format!("composite type `{schema}.{type_name}` does not exist"),
                ));
            };
            let scope = self.scope(ctx.source);
            let missing = |field: &Ident| {
                ctx.at(
                    field.span,
                    format!(
                        "attribute `{}` does not exist in `{schema}.{type_name}`",
                        fold_ident(field)
                    ),
                )
            };
            let taken = |field: &Ident| {
                ctx.at(
                    field.span,
                    format!(
                        "attribute `{}` already exists in `{schema}.{type_name}`",
                        fold_ident(field)
                    ),
                )
            };
            for action in actions {
                match action {
                    Attribute::Rename(from, to) => {
                        if fields.iter().any(|(f, _)| *f == fold_ident(&to)) {
                            return Err(taken(&to));
                        }
                        let field = fields
                            .iter_mut()
                            .find(|(f, _)| *f == fold_ident(&from))
                            .ok_or_else(|| missing(&from))?;
                        field.0 = fold_ident(&to);
                    }
                    Attribute::Add(field, data_type) => {
                        if fields.iter().any(|(f, _)| *f == fold_ident(&field)) {
                            return Err(taken(&field));
                        }
                        let ty = types::pg_type(&data_type, &scope)
                            .map_err(|e| type_error(ctx, field.span, &e))?;
                        fields.push((fold_ident(&field), ty));
                    }
                    Attribute::Drop(field, if_exists) => {
                        let before = fields.len();
                        fields.retain(|(f, _)| *f != fold_ident(&field));
                        if fields.len() == before && !if_exists {
                            return Err(missing(&field));
                        }
                    }
                    Attribute::Retype(field, data_type) => {
                        let ty = types::pg_type(&data_type, &scope)
                            .map_err(|e| type_error(ctx, field.span, &e))?;
                        fields
                            .iter_mut()
                            .find(|(f, _)| *f == fold_ident(&field))
                            .ok_or_else(|| missing(&field))?
                            .1 = ty;
                    }
                }
            }
            self.other_types.insert(key, OtherType::Composite(fields));
            Ok(())
        })())
    }

    /// `ALTER TYPE|DOMAIN name SET SCHEMA new`, which sqlparser does not
    /// parse: the type moves, and every column, domain and array of it
    /// follows. `None` when the statement is not of that form.
    pub(super) fn try_type_set_schema(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::ALTER)?;
            let domain = p.parse_keyword(Keyword::DOMAIN);
            if !domain {
                p.expect_keyword_is(Keyword::TYPE)?;
            }
            let (name, new_schema) = super::set_schema_tail(&mut p)?;
            Ok((domain, name, new_schema))
        })();
        let (domain, name, new_schema) = parsed.ok()?;
        Some((|| {
            let (schema, type_name) = self.named(ctx, &name)?;
            let target = fold_ident(&new_schema);
            let what = format!("type `{schema}.{type_name}`");
            ctx.owned(&schema, &what, name.span())?;
            ctx.may_move_to(&target, &what, new_schema.span)?;
            let is_domain = self
                .schemas
                .get(&schema)
                .is_some_and(|s| s.domains.contains_key(&type_name));
            if !self.type_exists(&schema, &type_name) || (domain && !is_domain) {
                let kind = if domain { "domain" } else { "type" };
                return Err(ctx.at(
                    name.span(),
                    format!("{kind} `{schema}.{type_name}` does not exist"),
                ));
            }
            self.schema_mut(ctx, &target, new_schema.span)?;
            if self.type_exists(&target, &type_name) {
                return Err(ctx.at(
                    new_schema.span,
                    format!("type `{target}.{type_name}` already exists"),
                ));
            }
            let from = self.schemas.get_mut(&schema).expect("checked above");
            let enumeration = from.enums.remove(&type_name);
            let domain = from.domains.remove(&type_name);
            let to = self.schemas.get_mut(&target).expect("checked above");
            if let Some(e) = enumeration {
                to.enums.insert(type_name.clone(), e);
            }
            if let Some(d) = domain {
                to.domains.insert(type_name.clone(), d);
            }
            if let Some(other) = self
                .other_types
                .remove(&(schema.clone(), type_name.clone()))
            {
                self.other_types
                    .insert((target.clone(), type_name.clone()), other);
            }
            self.each_type_mut(|ty| {
                if ty.schema.as_deref() == Some(schema.as_str()) && ty.name == type_name {
                    ty.schema = Some(target.clone());
                }
            });
            // Expressions name the type as the server prints it: `'a'::s.t`.
            self.respell(|text| {
                respell::qualified(
                    text,
                    (&schema, &type_name),
                    (&target, &type_name),
                    respell::Kind::Type,
                )
            });
            Ok(())
        })())
    }

    pub(super) fn type_users(&self, schema: &str, name: &str) -> Vec<String> {
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
        for ((s, t), other) in &self.other_types {
            if let OtherType::Composite(fields) = other {
                for (field, _) in fields.iter().filter(|(_, ty)| uses(ty)) {
                    out.push(format!("{s}.{t}.{field}"));
                }
            }
        }
        out
    }

    pub(super) fn drop_domain(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        if_exists: bool,
        cascade: bool,
    ) -> Fold<()> {
        let (schema, domain) = self.named(ctx, name)?;
        self.drop_type(ctx, name, &schema, &domain, if_exists, cascade)
    }

    pub(super) fn drop_type(
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
        if let Some(section) = self.schemas.get_mut(schema) {
            section.enums.remove(type_name);
            section.domains.remove(type_name);
        }
        self.other_types
            .remove(&(schema.to_owned(), type_name.to_owned()));
        Ok(())
    }
}

/// One action of `ALTER TYPE` on a composite type's attributes.
enum Attribute {
    Rename(Ident, Ident),
    Add(Ident, sqlparser::ast::DataType),
    Drop(Ident, bool),
    Retype(Ident, sqlparser::ast::DataType),
}

/// `RENAME ATTRIBUTE a TO b`, or a list of `ADD ATTRIBUTE a type`, `DROP
/// ATTRIBUTE [IF EXISTS] a` and `ALTER ATTRIBUTE a [SET DATA] TYPE type`,
/// each with an optional `COLLATE` and `CASCADE | RESTRICT`.
fn attribute_actions(p: &mut sqlparser::parser::Parser<'_>) -> Result<Vec<Attribute>, ParserError> {
    if p.parse_keyword(Keyword::RENAME) {
        expect_attribute(p)?;
        let from = p.parse_identifier()?;
        p.expect_keyword_is(Keyword::TO)?;
        let to = p.parse_identifier()?;
        let _ = p.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]);
        return Ok(vec![Attribute::Rename(from, to)]);
    }
    let mut actions = Vec::new();
    loop {
        let action = if p.parse_keyword(Keyword::ADD) {
            expect_attribute(p)?;
            Attribute::Add(p.parse_identifier()?, p.parse_data_type()?)
        } else if p.parse_keyword(Keyword::DROP) {
            expect_attribute(p)?;
            let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            Attribute::Drop(p.parse_identifier()?, if_exists)
        } else {
            p.expect_keyword_is(Keyword::ALTER)?;
            expect_attribute(p)?;
            let field = p.parse_identifier()?;
            let _ = p.parse_keywords(&[Keyword::SET, Keyword::DATA]);
            p.expect_keyword_is(Keyword::TYPE)?;
            Attribute::Retype(field, p.parse_data_type()?)
        };
        if p.parse_keyword(Keyword::COLLATE) {
            p.parse_object_name(false)?;
        }
        let _ = p.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]);
        actions.push(action);
        if !p.consume_token(&Token::Comma) {
            return Ok(actions);
        }
    }
}

/// The word `ATTRIBUTE`, which sqlparser has no keyword for.
fn expect_attribute(p: &mut sqlparser::parser::Parser<'_>) -> Result<(), ParserError> {
    match p.next_token().token {
        Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("ATTRIBUTE") => {
            Ok(())
        }
        other => Err(ParserError::ParserError(format!(
            "Expected: ATTRIBUTE, found: {other}"
        ))),
    }
}

/// PostgreSQL refuses (it does not cut) enum labels longer than 63 bytes.
fn check_label(ctx: &Ctx<'_, '_>, span: Span, label: &str) -> Fold<()> {
    if label.len() > MAX_IDENTIFIER {
        return Err(ctx
            .at(
                span,
                format!(
                    "enum label `{label}` is {} bytes long; PostgreSQL's labels must be {MAX_IDENTIFIER} bytes or less",
                    label.len()
                ),
            )
            .help("shorten the label"));
    }
    Ok(())
}
