//! Enums and domains: CREATE TYPE … AS ENUM, ALTER TYPE, CREATE DOMAIN, and
//! dropping types only when nothing uses them.

use super::{
    AlterTypeAddValuePosition, AlterTypeOperation, BTreeSet, Catalog, Ctx, Domain, Enum, Fold,
    Keyword, MAX_IDENTIFIER, ObjectName, ParserError, PgType, Span, Spanned, Statement, Token,
    fold_ident, parse_error, parser, type_error, types,
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
        let Some(sqlparser::ast::UserDefinedTypeRepresentation::Enum { labels }) = representation
        else {
            return Err(ctx
                .at(name.span(), "only `CREATE TYPE … AS ENUM` is supported; composite, range and base types are not")
                .help("use an enum, a domain or a table instead"));
        };
        if self.type_exists(&schema, &type_name) || self.relation_exists(&schema, &type_name) {
            return Err(ctx.at(
                name.span(),
                format!("type `{schema}.{type_name}` already exists"),
            ));
        }
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

    /// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [[CONSTRAINT n] NOT NULL | NULL | CHECK (e)]…`
    /// read token by token: sqlparser does not accept `NOT NULL` here.
    pub(super) fn create_domain(&mut self, ctx: &Ctx<'_, '_>, statement: &Statement) -> Fold<()> {
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
        let default = default
            .and_then(|expr| super::super::expr::default(&expr, &base, &self.deparser(ctx, &[])));
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

    pub(super) fn alter_type(
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
            let (schema, type_name) = ctx.qualify(&name)?;
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
            self.each_type_mut(|ty| {
                if ty.schema.as_deref() == Some(schema.as_str()) && ty.name == type_name {
                    ty.schema = Some(target.clone());
                }
            });
            // Expressions name the type as the server prints it: `'a'::s.t`.
            let ident = crate::ddl::quote_identifier;
            let (old, new) = (
                format!("::{}.{}", ident(&schema), ident(&type_name)),
                format!("::{}.{}", ident(&target), ident(&type_name)),
            );
            for section in self.schemas.values_mut() {
                let defaults = section
                    .tables
                    .values_mut()
                    .flat_map(|t| &mut t.columns)
                    .flat_map(|c| [&mut c.default, &mut c.generated])
                    .chain(section.domains.values_mut().map(|d| &mut d.default));
                for expression in defaults.flatten() {
                    *expression = renamed_cast(expression, &old, &new);
                }
            }
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
        out
    }

    pub(super) fn drop_domain(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        if_exists: bool,
        cascade: bool,
    ) -> Fold<()> {
        let (schema, domain) = ctx.qualify(name)?;
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
        let section = self.schemas.get_mut(schema).expect("checked above");
        section.enums.remove(type_name);
        section.domains.remove(type_name);
        Ok(())
    }
}

/// `text` with every cast to `old` (`::s.t`, `::s.t[]`) made a cast to
/// `new`; a longer name that starts the same (`::s.t2`) stays.
fn renamed_cast(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(old) {
        let after = &rest[at + old.len()..];
        let whole = !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
        out.push_str(&rest[..at]);
        out.push_str(if whole { new } else { old });
        rest = after;
    }
    out.push_str(rest);
    out
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
