//! Tables: CREATE TABLE with its constraints, ALTER TABLE in PostgreSQL's
//! passes, foreign keys that follow renames and moves.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use super::{
    Action, AlterColumnOperation, AlterTableOperation, BTreeSet, Catalog, Column, ColumnDef,
    ColumnOption, CreateTable, Ctx, Expr, Fold, ForeignKey, GeneratedAs, Ident, Identity,
    IndexColumn, Key, Keyword, MAX_COLUMNS, MAX_IDENTIFIER, ObjectName, ParserError,
    ReferentialAction, RenameTableNameKind, Span, Spanned, Statement, Table, TableConstraint,
    TableKind, Token, fold_ident, parser, type_error, types, unsupported_help,
};

/// The table an `ALTER TABLE` changes, and where its name is written.
struct Altered {
    schema: String,
    table: String,
    span: Span,
}

impl Catalog {
    pub(super) fn create_table(&mut self, ctx: &Ctx<'_, '_>, create: &CreateTable) -> Fold<()> {
        if create.temporary {
            return Ok(());
        }
        let (schema, name) = ctx.qualify(&create.name)?;
        let span = create.name.span();
        if let Some(parent) = &create.partition_of {
            // A partition is storage for its parent, not a table of its own.
            let (parent_schema, parent_name) = self.named(ctx, parent)?;
            // Its rows are the parent's: a partition of another section's
            // table would hold that section's rows.
            ctx.owned(
                &parent_schema,
                &format!("table `{parent_schema}.{parent_name}` (a partition of it)"),
                parent.span(),
            )?;
            self.partitioned(ctx, &parent_schema, &parent_name, parent.span())?;
            ctx.owned(&schema, &format!("table `{schema}.{name}`"), span)?;
            if self.relation_name_taken(&schema, &name) {
                if create.if_not_exists {
                    return Ok(());
                }
                return Err(ctx.at(span, format!("relation `{schema}.{name}` already exists")));
            }
            self.partitions
                .insert((schema, name), (parent_schema, parent_name));
            return Ok(());
        }
        ctx.owned(&schema, &format!("table `{schema}.{name}`"), span)?;
        if create.query.is_some() || create.like.is_some() || create.clone.is_some() {
            return Err(ctx
                .at(span, "`CREATE TABLE … AS` takes its columns from a query, which the DDL source does not follow")
                .help("spell out the columns in `CREATE TABLE`"));
        }
        let (parents, inherited) = self.inherited_columns(ctx, create)?;
        self.schema_mut(ctx, &schema, span)?;
        if self.type_exists(&schema, &name) {
            // A table has a row type of its name, beside enums and domains.
            return Err(ctx.at(span, format!("type `{schema}.{name}` already exists")));
        }
        // Sequences and indexes are relations too.
        if self.relation_name_taken(&schema, &name) {
            if create.if_not_exists {
                return Ok(());
            }
            let mut error = ctx.at(span, format!("relation `{schema}.{name}` already exists"));
            if create
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| i.value.len() > MAX_IDENTIFIER)
            {
                error = error.help(CUT_HELP);
            }
            return Err(error);
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
        table.columns = inherited;
        let from_parents = table.columns.len();
        for def in &create.columns {
            let column = self.column(ctx, &schema, &name, def, &mut constraints)?;
            let Some(column) =
                merge_inherited(ctx, &mut table.columns[..from_parents], def, column)?
            else {
                continue;
            };
            if table.column(&column.name).is_some() {
                let error = ctx.at(
                    def.name.span,
                    format!("column `{}` is declared twice", column.name),
                );
                return Err(if def.name.value.len() > MAX_IDENTIFIER {
                    error.help(CUT_HELP)
                } else {
                    error
                });
            }
            table.columns.push(column);
        }
        // Generated columns read the others: spelled once all are known.
        for def in &create.columns {
            for option in &def.options {
                if let ColumnOption::Generated {
                    generation_expr: Some(expr),
                    ..
                } = &option.option
                {
                    let text =
                        super::super::expr::generated(expr, &self.deparser(ctx, &table.columns));
                    let column = fold_ident(&def.name);
                    if let Some(c) = table.columns.iter_mut().find(|c| c.name == column) {
                        c.generated = Some(text);
                    }
                }
            }
        }
        if table.columns.len() > MAX_COLUMNS {
            return Err(ctx.at(
                span,
                format!(
                    "`{schema}.{name}` has {} columns; PostgreSQL's tables can have at most {MAX_COLUMNS}",
                    table.columns.len()
                ),
            ));
        }
        // Insert first so that self-referencing foreign keys resolve.
        self.schemas
            .get_mut(&schema)
            .expect("checked above")
            .tables
            .insert(name.clone(), table);
        self.note_parents(&schema, &name, parents, create);
        for constraint in &create.constraints {
            let pending = pending_constraint(ctx, constraint)?;
            constraints.push(pending);
        }
        let constraints = merge_equal_keys(constraints);
        let result = constraints.into_iter().try_for_each(|(cname, pending)| {
            self.add_constraint(ctx, &schema, &name, cname.as_ref(), pending)
        });
        if result.is_err() {
            self.schemas
                .get_mut(&schema)
                .expect("checked above")
                .tables
                .remove(&name);
        } else {
            self.note_owned_sequences(&schema, &name);
            if let Some(index) = self.name_index.get_mut() {
                let none = BTreeSet::new();
                let checks = self
                    .checks
                    .get(&(schema.clone(), name.clone()))
                    .unwrap_or(&none);
                let table = &self.schemas[&schema].tables[&name];
                index.add(&schema, table, checks);
            }
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
            // `ChooseRelationName`: `<table>_<column>_seq`, or with a
            // counter when a relation of the schema has that name.
            let sequence = choose_constraint_name(table, &name, "seq", |n| {
                self.relation_name_taken(schema, n)
            });
            column.default = Some(format!(
                "nextval('{}.{}'::regclass)",
                sequence_schema(schema),
                quote_for_regclass(&sequence).replace('\'', "''")
            ));
        }
        for option in &def.options {
            match &option.option {
                ColumnOption::Null => column.nullable = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(expr) => {
                    parenthesized(ctx, expr)?;
                    frozen_instant(ctx, expr, &column.ty)?;
                    column.default = super::super::deparse::interval_literal(expr, &def.data_type)
                        .or_else(|| {
                            super::super::expr::default(expr, &column.ty, &self.deparser(ctx, &[]))
                        });
                }
                ColumnOption::PrimaryKey(_) => {
                    column.nullable = false;
                    constraints
                        .push((option.name.clone(), Pending::PrimaryKey(vec![name.clone()])));
                }
                ColumnOption::Unique(_) => {
                    constraints.push((
                        option.name.clone(),
                        Pending::Unique(vec![name.clone()], Vec::new()),
                    ));
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
                } => {
                    if let Some(expr) = generation_expr {
                        // Spelled again by the table, which knows its columns.
                        column.generated = Some(super::super::expr::generated(
                            expr,
                            &self.deparser(ctx, &[]),
                        ));
                    } else {
                        column.nullable = false;
                        column.identity = Some(match generated_as {
                            GeneratedAs::ByDefault => Identity::ByDefault,
                            GeneratedAs::Always | GeneratedAs::ExpStored => Identity::Always,
                        });
                    }
                }
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
            let (fschema, fname) = self.named(ctx, target)?;
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
        self.table_mut(ctx, schema, table, span)?;
        let t = &self.schemas[schema].tables[table];
        let columns = match &pending {
            Pending::PrimaryKey(c) | Pending::Check(c) => c.clone(),
            Pending::Unique(c, include) => c.iter().chain(include).cloned().collect(),
            Pending::Exclude(c) => c.iter().filter(|c| *c != "expr").cloned().collect(),
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
        let cname =
            explicit.unwrap_or_else(|| self.generated_name(schema, t, &checks, &pending, &columns));
        let t = self.table_mut(ctx, schema, table, span)?;
        if has_constraint(t, &checks, &cname) {
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
            Pending::Unique(cols, _) => {
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
            Pending::Check(_) | Pending::Exclude(_) => {
                self.checks
                    .entry((schema.to_owned(), table.to_owned()))
                    .or_default()
                    .insert(cname);
            }
        }
        Ok(())
    }

    pub(super) fn alter_table(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        if_exists: bool,
        operations: &[AlterTableOperation],
    ) -> Fold<()> {
        let (schema, table) = self.named(ctx, name)?;
        let span = name.span();
        ctx.owned(&schema, &format!("table `{schema}.{table}`"), span)?;
        if if_exists && !self.relation_exists(&schema, &table) {
            return Ok(());
        }
        if self
            .partitions
            .contains_key(&(schema.clone(), table.clone()))
        {
            // A partition's keys, defaults and owner are its parent's
            // storage: the model has no table to change.
            return Ok(());
        }
        if operations.iter().all(leaves_the_model) {
            // pg_dump writes `ALTER TABLE … OWNER TO` for sequences and
            // views too, which the model does not hold as tables.
            return Ok(());
        }
        let mut at = Altered {
            schema,
            table,
            span,
        };
        if self.alter_view_defaults(ctx, &at, operations)? {
            return Ok(());
        }
        if self.rename_view(ctx, &at, operations)? {
            return Ok(());
        }
        self.table_mut(ctx, &at.schema, &at.table, span)?;
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
                } => self.add_column(ctx, &at, column_def, *if_not_exists)?,
                AlterTableOperation::DropColumn {
                    column_names,
                    if_exists,
                    drop_behavior,
                    ..
                } => self.drop_columns(
                    ctx,
                    &at,
                    column_names,
                    *if_exists,
                    matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade)),
                )?,
                AlterTableOperation::AlterColumn { column_name, op } => {
                    self.alter_column(ctx, &at, column_name, op)?;
                }
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => self.rename_column(ctx, &at, old_column_name, new_column_name)?,
                AlterTableOperation::RenameTable { table_name } => {
                    at.table = self.rename_table(ctx, &at, table_name)?;
                }
                AlterTableOperation::AddConstraint {
                    constraint:
                        constraint @ (TableConstraint::PrimaryKeyUsingIndex(using)
                        | TableConstraint::UniqueUsingIndex(using)),
                    ..
                } => {
                    let primary = matches!(constraint, TableConstraint::PrimaryKeyUsingIndex(_));
                    self.key_using_index(ctx, &at, using, primary)?;
                }
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    let (cname, pending) = pending_constraint(ctx, constraint)?;
                    self.add_constraint(ctx, &at.schema, &at.table, cname.as_ref(), pending)?;
                }
                AlterTableOperation::DropConstraint {
                    if_exists,
                    name,
                    drop_behavior,
                } => {
                    let cascade =
                        matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                    self.drop_key_references(ctx, &at, name, cascade)?;
                    self.drop_constraint(ctx, &at, name, *if_exists)?;
                }
                AlterTableOperation::RenameConstraint { old_name, new_name } => {
                    self.rename_constraint(ctx, &at, old_name, new_name)?;
                }
                AlterTableOperation::ValidateConstraint { name } => {
                    self.constraint_exists(ctx, &at, name)?;
                }
                other if leaves_the_model(other) => {}
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

    /// A view's column defaults (what an insert through the view gets),
    /// which `pg_dump` writes as `ALTER TABLE ONLY view ALTER COLUMN c SET
    /// DEFAULT …`: whether the statement was that.
    fn alter_view_defaults(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        operations: &[AlterTableOperation],
    ) -> Fold<bool> {
        let Altered { schema, table, .. } = at;
        if let Some(view) = self
            .schemas
            .get_mut(schema)
            .and_then(|s| s.views.get_mut(table))
            .filter(|v| !v.materialized)
        {
            // A view's column default (what an insert through the view
            // gets), which pg_dump writes as `ALTER TABLE ONLY view ALTER
            // COLUMN c SET DEFAULT …`.
            let mut defaults = Vec::new();
            for op in operations {
                let AlterTableOperation::AlterColumn {
                    column_name,
                    op:
                        op @ (AlterColumnOperation::SetDefault { .. }
                        | AlterColumnOperation::DropDefault),
                } = op
                else {
                    defaults.clear();
                    break;
                };
                defaults.push((column_name, op));
            }
            if !defaults.is_empty() {
                for (column_name, op) in defaults {
                    let folded = fold_ident(column_name);
                    let Some(col) = view.columns.iter_mut().find(|c| c.name == folded) else {
                        return Err(ctx.at(
                            column_name.span,
                            format!("column `{folded}` of `{schema}.{table}` does not exist"),
                        ));
                    };
                    col.default = match op {
                        AlterColumnOperation::SetDefault { value } => {
                            super::super::expr::default_without_types(value, &col.ty)
                        }
                        _ => None,
                    };
                }
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `ADD COLUMN`, its inline constraints included.
    fn add_column(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        column_def: &ColumnDef,
        if_not_exists: bool,
    ) -> Fold<()> {
        let &Altered {
            ref schema,
            ref table,
            span,
        } = at;
        let column_name = fold_ident(&column_def.name);
        if self
            .table_mut(ctx, schema, table, span)?
            .column(&column_name)
            .is_some()
        {
            if if_not_exists {
                return Ok(());
            }
            return Err(ctx.at(
                column_def.name.span,
                format!("column `{column_name}` already exists in `{schema}.{table}`"),
            ));
        }
        let mut constraints = Vec::new();
        let column = self.column(ctx, schema, table, column_def, &mut constraints)?;
        let dropped = self
            .dropped_columns
            .get(&(schema.clone(), table.clone()))
            .copied()
            .unwrap_or(0);
        let t = self.table_mut(ctx, schema, table, span)?;
        if t.columns.len() + dropped >= MAX_COLUMNS {
            let counted = if dropped == 0 {
                String::new()
            } else {
                format!(" ({dropped} of them dropped: a dropped column keeps its place)")
            };
            return Err(ctx.at(
                    column_def.name.span,
                    format!("`{schema}.{table}` already has {MAX_COLUMNS} columns{counted}, the most a PostgreSQL table can have"),
                ));
        }
        t.columns.push(column);
        for (cname, pending) in constraints {
            self.add_constraint(ctx, schema, table, cname.as_ref(), pending)?;
        }
        self.note_owned_sequences(schema, table);
        Ok(())
    }

    /// `DROP COLUMN`, with the constraints and references that use it.
    fn drop_columns(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        column_names: &[Ident],
        if_exists: bool,
        cascade: bool,
    ) -> Fold<()> {
        let &Altered {
            ref schema,
            ref table,
            span,
        } = at;
        for ident in column_names {
            let column = fold_ident(ident);
            let t = self.table_mut(ctx, schema, table, span)?;
            if t.column(&column).is_none() {
                if if_exists {
                    continue;
                }
                return Err(ctx.at(
                    ident.span,
                    format!("column `{column}` does not exist in `{schema}.{table}`"),
                ));
            }
            self.drop_views_reading_column(ctx, ident.span, (schema, table, &column), cascade)?;
            self.drop_owned_sequences(schema, table, Some(&column));
            let t = self.table_mut(ctx, schema, table, span)?;
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
            self.drop_references_to(schema, table, Some(&column));
            // A dropped column keeps its attribute number: it
            // still counts towards the 1 600 a table can have.
            *self
                .dropped_columns
                .entry((schema.clone(), table.clone()))
                .or_default() += 1;
        }
        Ok(())
    }

    /// `ALTER COLUMN`: nullability, default, type, identity.
    fn alter_column(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        column_name: &Ident,
        op: &AlterColumnOperation,
    ) -> Fold<()> {
        let &Altered {
            ref schema,
            ref table,
            span,
        } = at;
        let column = fold_ident(column_name);
        if matches!(op, AlterColumnOperation::SetDataType { .. }) {
            let read = (schema.clone(), table.clone(), column.clone());
            let mut readers: Vec<String> = self
                .view_reads
                .iter()
                .filter(|(_, reads)| reads.columns.contains(&read))
                .map(|((s, v), _)| format!("`{s}.{v}`"))
                .collect();
            if !readers.is_empty() {
                readers.sort();
                return Err(ctx
                    .at(
                        column_name.span,
                        format!(
                            "cannot change the type of column `{column}` of `{schema}.{table}`: {} {} {} it",
                            if readers.len() == 1 { "view" } else { "views" },
                            readers.join(", "),
                            if readers.len() == 1 { "uses" } else { "use" },
                        ),
                    )
                    .help("drop the views first and create them again after the change, as PostgreSQL requires"));
            }
        }
        let scope_ty = if let AlterColumnOperation::SetDataType { data_type, .. } = op {
            Some(
                types::pg_type(data_type, &self.scope(ctx.source))
                    .map_err(|e| type_error(ctx, column_name.span, &e))?,
            )
        } else {
            None
        };
        // A new default, spelled with the column's type while the catalog
        // can still be read.
        if let AlterColumnOperation::SetDefault { value } = op
            && let Some(c) = self
                .schemas
                .get(schema)
                .and_then(|s| s.tables.get(table))
                .and_then(|t| t.column(&column))
        {
            // `SET DEFAULT` takes any expression, unlike `DEFAULT` in a
            // column's definition.
            frozen_instant(ctx, value, &c.ty)?;
        }
        let default = match op {
            AlterColumnOperation::SetDefault { value } => self
                .schemas
                .get(schema)
                .and_then(|s| s.tables.get(table))
                .and_then(|t| t.column(&column))
                .map(|c| super::super::expr::default(value, &c.ty, &self.deparser(ctx, &[]))),
            _ => None,
        };
        let t = self.table_mut(ctx, schema, table, span)?;
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
                col.default = default
                    .clone()
                    .unwrap_or_else(|| super::super::expr::default_without_types(value, &col.ty));
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
                self.note_owned_sequences(schema, table);
            }
        }
        Ok(())
    }

    /// `RENAME COLUMN`, in the keys and the foreign keys that name it.
    fn rename_column(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        old_column_name: &Ident,
        new_column_name: &Ident,
    ) -> Fold<()> {
        let &Altered {
            ref schema,
            ref table,
            span,
        } = at;
        let old = fold_ident(old_column_name);
        let new = fold_ident(new_column_name);
        let t = self.table_mut(ctx, schema, table, span)?;
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
        self.column_renamed(schema, table, &old, &new);
        for ((s, _), (owner, column)) in &mut self.owned_sequences {
            if s == schema && owner == table && *column == old {
                column.clone_from(&new);
            }
        }
        let t = self.table_mut(ctx, schema, table, span)?;
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
        // Generation expressions name the column.
        for column in &mut t.columns {
            if let Some(text) = &mut column.generated
                && let Some(renamed) = super::respell::column(text, &old, &new)
            {
                *text = renamed;
            }
        }
        for s in self.schemas.values_mut() {
            for other in s.tables.values_mut() {
                for fk in &mut other.foreign_keys {
                    if fk.foreign_schema == *schema && fk.foreign_table == *table {
                        rename(&mut fk.foreign_columns);
                    }
                }
            }
        }
        Ok(())
    }

    /// `INHERITS (parent, …)`: the parents, and their columns merged by
    /// name, each with its type, `NOT NULL` and default (an identity is not
    /// inherited).
    #[allow(
        clippy::type_complexity,
        reason = "the parents by schema and name, and the columns"
    )]
    fn inherited_columns(
        &mut self,
        ctx: &Ctx<'_, '_>,
        create: &CreateTable,
    ) -> Fold<(Vec<(String, String)>, Vec<Column>)> {
        let mut parents = Vec::new();
        let mut inherited: Vec<Column> = Vec::new();
        for parent in create.inherits.iter().flatten() {
            let (parent_schema, parent_name) = self.named(ctx, parent)?;
            let columns = self
                .table_mut(ctx, &parent_schema, &parent_name, parent.span())?
                .columns
                .clone();
            for mut column in columns {
                if column.identity.take().is_some() {
                    column.default = None;
                }
                column.comment = None;
                match inherited.iter_mut().find(|c| c.name == column.name) {
                    Some(known) if known.ty != column.ty => {
                        return Err(ctx.at(
                            parent.span(),
                            format!(
                                "inherited column `{}` has types `{}` and `{}`",
                                column.name, known.ty, column.ty
                            ),
                        ));
                    }
                    Some(known) => known.nullable &= column.nullable,
                    None => inherited.push(column),
                }
            }
            parents.push((parent_schema, parent_name));
        }
        Ok((parents, inherited))
    }

    /// `CREATE TABLE name OF type [(column [WITH OPTIONS] options | constraint, …)]`,
    /// which sqlparser does not parse, spelled out as the `CREATE TABLE`
    /// it is: the composite type's attributes as columns, each with the
    /// options given for it, then the constraints. `None` for any other
    /// statement, or a type that is no composite type created earlier
    /// (whose error the plain statement then gives).
    pub(super) fn typed_table(&self, statement: &Statement) -> Option<Statement> {
        // Most tables are not typed: no parser (and copy of the tokens) for them.
        if !has_word(statement, "OF") {
            return None;
        }
        let mut p = parser(statement);
        let (head, _) = create_table_head(&mut p)?;
        let of = p.next_token();
        if !matches!(&of.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("OF"))
        {
            return None;
        }
        let type_name = p.parse_object_name(false).ok()?;
        let (type_schema, type_name) = match type_name.0.as_slice() {
            [t] => (None, t.as_ident().map(fold_ident)?),
            [s, t] => (
                Some(s.as_ident().map(fold_ident)?),
                t.as_ident().map(fold_ident)?,
            ),
            _ => return None,
        };
        let attributes = self.other_types.iter().find_map(|((s, t), other)| {
            let same_schema = type_schema.as_ref().is_none_or(|schema| schema == s);
            match other {
                super::OtherType::Composite(fields) if same_schema && *t == type_name => {
                    Some(fields.clone())
                }
                _ => None,
            }
        })?;
        let elements = if p.consume_token(&Token::LParen) {
            table_elements(&mut p)?
        } else {
            Vec::new()
        };
        let rest = rest_of(&mut p);
        let mut text = head;
        let mut first = true;
        for (field, ty) in &attributes {
            let _ = write!(
                text,
                "{}{} {}",
                if first { "" } else { ", " },
                crate::ddl::quote_identifier(field),
                super::super::deparse::format_type(ty)
            );
            first = false;
            for element in &elements {
                if is_constraint(element) {
                    continue;
                }
                let Some(Token::Word(column)) = element.first() else {
                    continue;
                };
                let column = fold_ident(&Ident {
                    value: column.value.clone(),
                    quote_style: column.quote_style,
                    span: Span::empty(),
                });
                if column != *field {
                    continue;
                }
                let mut options = &element[1..];
                if matches!(options, [Token::Word(a), Token::Word(b), ..]
                    if a.value.eq_ignore_ascii_case("WITH") && b.value.eq_ignore_ascii_case("OPTIONS"))
                {
                    options = &options[2..];
                }
                for option in options {
                    let _ = write!(text, " {option}");
                }
            }
        }
        for element in elements.iter().filter(|e| is_constraint(e)) {
            text.push_str(", ");
            push_tokens(&mut text, element);
        }
        text.push(')');
        push_tokens(&mut text, &rest);
        retokenized(&text, of.span)
    }

    /// `CREATE TABLE name (… LIKE source [INCLUDING | EXCLUDING what]… …)`,
    /// which sqlparser does not parse, spelled out: the source's columns
    /// where `LIKE` stands, with `NOT NULL`, and what the options include
    /// (`DEFAULTS`, `GENERATED`, `IDENTITY`, `INDEXES` for its primary
    /// and unique keys, `COMMENTS` for its columns', `ALL`). The column
    /// comments to set come back apart. `None` for any other statement.
    pub(super) fn like_table(
        &self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<(Statement, Vec<(String, String)>)> {
        if !has_word(statement, "LIKE") {
            return None;
        }
        let mut p = parser(statement);
        let (head, _) = create_table_head(&mut p)?;
        let open = p.next_token();
        if open.token != Token::LParen {
            return None;
        }
        let elements = table_elements(&mut p)?;
        let is_like = |e: &[Token]| matches!(e.first(), Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("LIKE"));
        if !elements.iter().any(|e| is_like(e)) {
            return None;
        }
        let rest = rest_of(&mut p);
        let mut text = head;
        let mut comments = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut first = true;
        for element in &elements {
            if !is_like(element) {
                text.push_str(if first { "" } else { ", " });
                push_tokens(&mut text, element);
                first = false;
                continue;
            }
            let (source, included) = like_clause(element)?;
            let (schema, table) = self.named(ctx, &source).ok()?;
            let section = self.schemas.get(&schema)?;
            let (columns, source_table) = match section.tables.get(&table) {
                Some(t) => (&t.columns, Some(t)),
                None => (&section.views.get(&table)?.columns, None),
            };
            for column in columns {
                let _ = write!(
                    text,
                    "{}{} {}",
                    if first { "" } else { ", " },
                    crate::ddl::quote_identifier(&column.name),
                    super::super::deparse::format_type(&column.ty)
                );
                first = false;
                if !column.nullable {
                    text.push_str(" NOT NULL");
                }
                match (&column.identity, &column.generated, &column.default) {
                    (Some(identity), _, _) if included.contains("IDENTITY") => {
                        text.push_str(match identity {
                            Identity::Always => " GENERATED ALWAYS AS IDENTITY",
                            Identity::ByDefault => " GENERATED BY DEFAULT AS IDENTITY",
                        });
                    }
                    (None, Some(expr), _) if included.contains("GENERATED") => {
                        let _ = write!(text, " GENERATED ALWAYS AS ({expr}) STORED");
                    }
                    (None, None, Some(default)) if included.contains("DEFAULTS") => {
                        let _ = write!(text, " DEFAULT {default}");
                    }
                    _ => {}
                }
                if let Some(comment) = column
                    .comment
                    .as_ref()
                    .filter(|_| included.contains("COMMENTS"))
                {
                    comments.push((column.name.clone(), comment.clone()));
                }
            }
            if let Some(t) = source_table.filter(|_| included.contains("INDEXES")) {
                let list = |k: &Key| {
                    k.columns
                        .iter()
                        .map(|c| crate::ddl::quote_identifier(c))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if let Some(pk) = &t.primary_key {
                    keys.push(format!("PRIMARY KEY ({})", list(pk)));
                }
                for unique in &t.unique {
                    keys.push(format!("UNIQUE ({})", list(unique)));
                }
            }
        }
        for key in keys {
            let _ = write!(text, ", {key}");
        }
        text.push(')');
        push_tokens(&mut text, &rest);
        Some((retokenized(&text, open.span)?, comments))
    }

    /// Sets the comments `like_table` copied onto the table it spelled
    /// out.
    pub(super) fn comment_columns(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
        comments: &[(String, String)],
    ) -> Fold<()> {
        if comments.is_empty() {
            return Ok(());
        }
        let mut p = parser(statement);
        let Some((_, name)) = create_table_head(&mut p) else {
            return Ok(());
        };
        let (schema, table) = self.named(ctx, &name)?;
        let t = self.table_mut(ctx, &schema, &table, name.span())?;
        for (column, comment) in comments {
            if let Some(c) = t.columns.iter_mut().find(|c| c.name == *column) {
                c.comment = Some(comment.clone());
            }
        }
        Ok(())
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] child [NO] INHERIT parent`, which
    /// sqlparser does not parse: the child's parents change (its columns
    /// stay). `None` when the statement is not of that form.
    pub(super) fn try_inherit(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let (if_exists, child) = alter_table_head(&mut p).ok()?;
        let no = p.parse_keyword(Keyword::NO);
        let inherit = p.next_token();
        if !matches!(&inherit.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("INHERIT"))
        {
            return None;
        }
        let parent = p.parse_object_name(false).ok()?;
        Some((|| {
            super::expect_end(ctx, &mut p)?;
            let (schema, table) = self.named(ctx, &child)?;
            ctx.owned(&schema, &format!("table `{schema}.{table}`"), child.span())?;
            if if_exists && !self.relation_exists(&schema, &table) {
                return Ok(());
            }
            let (parent_schema, parent_table) = self.named(ctx, &parent)?;
            let parent_columns = self
                .table_mut(ctx, &parent_schema, &parent_table, parent.span())?
                .columns
                .clone();
            let columns = &self.table_mut(ctx, &schema, &table, child.span())?.columns;
            let key = (parent_schema.clone(), parent_table.clone());
            if no {
                let parents = self
                    .parents
                    .entry((schema.clone(), table.clone()))
                    .or_default();
                let before = parents.len();
                parents.retain(|p| *p != key);
                if parents.len() == before {
                    return Err(ctx.at(
                        parent.span(),
                        format!(
                            "`{parent_schema}.{parent_table}` is not a parent of `{schema}.{table}`"
                        ),
                    ));
                }
                return Ok(());
            }
            // The child must have every column of the parent already.
            if let Some(missing) = parent_columns.iter().find(|c| {
                columns
                    .iter()
                    .all(|own| own.name != c.name || own.ty != c.ty)
            }) {
                return Err(ctx.at(
                    child.span(),
                    format!(
                        "`{schema}.{table}` has no column `{}` of type `{}`, which its parent has",
                        missing.name, missing.ty
                    ),
                ));
            }
            self.parents.entry((schema, table)).or_default().push(key);
            Ok(())
        })())
    }

    /// An `ALTER TABLE` without `ONLY` of a table with inheritance
    /// children: its column changes made to each child too (a column the
    /// child has already is not added twice), as PostgreSQL recurses.
    pub(super) fn alter_children(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        operations: &[AlterTableOperation],
    ) -> Fold<()> {
        let (schema, table) = self.named(ctx, name)?;
        let children: Vec<(String, String)> = self
            .parents
            .iter()
            .filter(|(_, parents)| {
                parents
                    .iter()
                    .any(|p| *p == (schema.clone(), table.clone()))
            })
            .map(|(child, _)| child.clone())
            .collect();
        for (child_schema, child) in children {
            let has = |column: &Ident| {
                self.schemas
                    .get(&child_schema)
                    .and_then(|s| s.tables.get(&child))
                    .is_some_and(|t| t.column(&fold_ident(column)).is_some())
            };
            let local = self
                .local_columns
                .get(&(child_schema.clone(), child.clone()))
                .cloned()
                .unwrap_or_default();
            let operations: Vec<AlterTableOperation> = operations
                .iter()
                .filter_map(|op| match op {
                    // A column the child declares itself stays in it.
                    AlterTableOperation::DropColumn {
                        has_column_keyword,
                        column_names,
                        if_exists,
                        drop_behavior,
                    } => {
                        let column_names: Vec<Ident> = column_names
                            .iter()
                            .filter(|c| !local.contains(&fold_ident(c)))
                            .cloned()
                            .collect();
                        (!column_names.is_empty()).then_some(AlterTableOperation::DropColumn {
                            has_column_keyword: *has_column_keyword,
                            column_names,
                            if_exists: *if_exists,
                            drop_behavior: *drop_behavior,
                        })
                    }
                    other => Some(other.clone()),
                })
                .filter(|op| match op {
                    AlterTableOperation::AddColumn { column_def, .. } => !has(&column_def.name),
                    // An identity is not inherited.
                    AlterTableOperation::AlterColumn {
                        op: AlterColumnOperation::AddGenerated { .. },
                        ..
                    } => false,
                    AlterTableOperation::DropColumn { .. }
                    | AlterTableOperation::RenameColumn { .. }
                    | AlterTableOperation::AlterColumn { .. } => true,
                    _ => false,
                })
                .collect();
            if operations.is_empty() {
                continue;
            }
            let child_name = ObjectName::from(vec![
                Ident::with_quote('"', child_schema.clone()),
                Ident::with_quote('"', child.clone()),
            ]);
            self.alter_table(ctx, &child_name, false, &operations)?;
            self.alter_children(ctx, &child_name, &operations)?;
        }
        Ok(())
    }

    /// A new table's parents, and the columns it declares itself.
    fn note_parents(
        &mut self,
        schema: &str,
        name: &str,
        parents: Vec<(String, String)>,
        create: &CreateTable,
    ) {
        if parents.is_empty() {
            return;
        }
        let key = (schema.to_owned(), name.to_owned());
        self.local_columns.insert(
            key.clone(),
            create.columns.iter().map(|c| fold_ident(&c.name)).collect(),
        );
        self.parents.entry(key).or_default().extend(parents);
    }

    /// Columns added to an inheritance child by an `ALTER TABLE` of its own
    /// are its own (`attislocal`), as are those renamed there.
    pub(super) fn note_local_columns(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        operations: &[AlterTableOperation],
    ) -> Fold<()> {
        let key = self.named(ctx, name)?;
        let Some(local) = self.local_columns.get_mut(&key) else {
            return Ok(());
        };
        for op in operations {
            match op {
                AlterTableOperation::AddColumn { column_def, .. } => {
                    local.insert(fold_ident(&column_def.name));
                }
                AlterTableOperation::DropColumn { column_names, .. } => {
                    for c in column_names {
                        local.remove(&fold_ident(c));
                    }
                }
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } if local.remove(&fold_ident(old_column_name)) => {
                    local.insert(fold_ident(new_column_name));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `ALTER VIEW | TABLE view RENAME TO new` and `RENAME [COLUMN] a TO
    /// b` on a view; `false` when `at` is no view, or the actions are
    /// others.
    fn rename_view(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        operations: &[AlterTableOperation],
    ) -> Fold<bool> {
        let Altered {
            schema,
            table,
            span,
        } = at;
        let is_view = self
            .schemas
            .get(schema)
            .is_some_and(|s| s.views.contains_key(table));
        let [op] = operations else {
            return Ok(false);
        };
        if !is_view {
            return Ok(false);
        }
        match op {
            AlterTableOperation::RenameTable { table_name } => {
                let (RenameTableNameKind::To(new_name) | RenameTableNameKind::As(new_name)) =
                    table_name;
                let new = new_name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(fold_ident)
                    .unwrap_or_default();
                if self.relation_exists(schema, &new) || self.type_exists(schema, &new) {
                    return Err(ctx.at(
                        new_name.span(),
                        format!("relation `{schema}.{new}` already exists"),
                    ));
                }
                let section = self.schemas.get_mut(schema).expect("a view of it");
                let mut view = section.views.remove(table).expect("checked above");
                view.name.clone_from(&new);
                section.views.insert(new.clone(), view);
                self.relation_moved(
                    &(schema.clone(), table.clone()),
                    &(schema.clone(), new.clone()),
                );
                // Columns of the view's row type follow it.
                self.each_type_mut(|ty| {
                    if ty.schema.as_deref() == Some(schema.as_str()) && ty.name == *table {
                        ty.name.clone_from(&new);
                    }
                });
                Ok(true)
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let (old, new) = (fold_ident(old_column_name), fold_ident(new_column_name));
                let view = self
                    .schemas
                    .get_mut(schema)
                    .and_then(|s| s.views.get_mut(table))
                    .expect("checked above");
                if view.columns.iter().any(|c| c.name == new) {
                    return Err(ctx.at(
                        new_column_name.span,
                        format!("column `{new}` of `{schema}.{table}` already exists"),
                    ));
                }
                let Some(column) = view.columns.iter_mut().find(|c| c.name == old) else {
                    return Err(ctx.at(
                        *span,
                        format!("column `{old}` of `{schema}.{table}` does not exist"),
                    ));
                };
                column.name.clone_from(&new);
                self.column_renamed(schema, table, &old, &new);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// `RENAME TO`: the table's new name, which references follow.
    fn rename_table(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        table_name: &RenameTableNameKind,
    ) -> Fold<String> {
        let Altered { schema, table, .. } = at;
        let (RenameTableNameKind::To(new_name) | RenameTableNameKind::As(new_name)) = table_name;
        let new = new_name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(fold_ident)
            .unwrap_or_default();
        if self.relation_exists(schema, &new) {
            return Err(ctx.at(
                new_name.span(),
                format!("relation `{schema}.{new}` already exists"),
            ));
        }
        let section = self.schemas.get_mut(schema).expect("table found above");
        let mut moved = section.tables.remove(table).expect("table found above");
        moved.name.clone_from(&new);
        section.tables.insert(new.clone(), moved);
        self.retarget_references(schema, table, schema, &new);
        for ((s, _), (owner, _)) in &mut self.owned_sequences {
            if s == schema && owner == table {
                owner.clone_from(&new);
            }
        }
        if let Some(dropped) = self
            .dropped_columns
            .remove(&(schema.clone(), table.clone()))
        {
            self.dropped_columns
                .insert((schema.clone(), new.clone()), dropped);
        }
        if let Some(checks) = self.checks.remove(&(schema.clone(), table.clone())) {
            self.checks.insert((schema.clone(), new.clone()), checks);
        }
        Ok(new)
    }

    /// `DROP CONSTRAINT`.
    fn drop_constraint(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        name: &Ident,
        if_exists: bool,
    ) -> Fold<()> {
        let &Altered {
            ref schema,
            ref table,
            span,
        } = at;
        let cname = fold_ident(name);
        let checks = self
            .checks
            .entry((schema.clone(), table.clone()))
            .or_default();
        let had_check = checks.remove(&cname);
        let t = self.table_mut(ctx, schema, table, span)?;
        let before = constraint_count(t);
        if t.primary_key.as_ref().is_some_and(|k| k.name == cname) {
            t.primary_key = None;
        }
        t.unique.retain(|k| k.name != cname);
        t.foreign_keys.retain(|k| k.name != cname);
        // A `NOT NULL` constraint (PostgreSQL 18): named, or by the name
        // the server gives it (`t_a_not_null`).
        let named = self
            .not_null_names
            .get_mut(&(schema.clone(), table.clone()))
            .and_then(|names| names.remove(&cname));
        let t = self.table_mut(ctx, schema, table, span)?;
        let key: Vec<String> = t
            .primary_key
            .iter()
            .flat_map(|k| k.columns.clone())
            .collect();
        let not_null = t.columns.iter_mut().find(|c| {
            !c.nullable
                && !key.contains(&c.name)
                && (named.as_deref() == Some(c.name.as_str())
                    || super::truncate_identifier(format!("{table}_{}_not_null", c.name)) == cname)
        });
        if let Some(column) = not_null {
            column.nullable = true;
            return Ok(());
        }
        if before == constraint_count(t) && !had_check && !if_exists {
            return Err(ctx.at(
                name.span,
                format!("constraint `{cname}` does not exist on `{schema}.{table}`"),
            ));
        }
        Ok(())
    }

    /// `RENAME CONSTRAINT`.
    /// `ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE USING INDEX index`: the
    /// unique index becomes the key, renamed after the constraint.
    fn key_using_index(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        using: &sqlparser::ast::ConstraintUsingIndex,
        primary: bool,
    ) -> Fold<()> {
        let index = fold_ident(&using.index_name);
        let key = (at.schema.clone(), index.clone());
        let Some(found) = self.indexes.get(&key) else {
            return Err(ctx.at(
                using.index_name.span,
                format!("index `{}.{index}` does not exist", at.schema),
            ));
        };
        let Some(unique) = found.clone().filter(|u| u.table == at.table) else {
            return Err(ctx
                .at(
                    using.index_name.span,
                    format!(
                        "index `{}.{index}` is not a unique index of plain columns on `{}.{}`",
                        at.schema, at.schema, at.table
                    ),
                )
                .help("a key takes a unique index of the table's columns, without expressions, `INCLUDE` or `WHERE`"));
        };
        self.indexes.remove(&key);
        let name = using
            .name
            .clone()
            .unwrap_or_else(|| using.index_name.clone());
        let pending = if primary {
            Pending::PrimaryKey(unique.columns)
        } else {
            Pending::Unique(unique.columns, Vec::new())
        };
        self.add_constraint(ctx, &at.schema, &at.table, Some(&name), pending)
    }

    /// Before a key `name` of `at` is dropped: the foreign keys that
    /// reference its columns depend on it; dropped with `cascade`, else
    /// the server's error.
    fn drop_key_references(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        name: &Ident,
        cascade: bool,
    ) -> Fold<()> {
        let cname = fold_ident(name);
        let Some(t) = self
            .schemas
            .get(&at.schema)
            .and_then(|s| s.tables.get(&at.table))
        else {
            return Ok(());
        };
        let Some(key) = t
            .primary_key
            .iter()
            .chain(&t.unique)
            .find(|k| k.name == cname)
        else {
            return Ok(());
        };
        let mut columns = key.columns.clone();
        columns.sort();
        let depends = |fk: &crate::model::ForeignKey| {
            let mut referenced = fk.foreign_columns.clone();
            referenced.sort();
            fk.foreign_schema == at.schema && fk.foreign_table == at.table && referenced == columns
        };
        let mut dependents: Vec<String> = Vec::new();
        for s in self.schemas.values() {
            for t in s.tables.values() {
                for fk in t.foreign_keys.iter().filter(|fk| depends(fk)) {
                    dependents.push(format!("`{}` of `{}.{}`", fk.name, s.schema, t.name));
                }
            }
        }
        if dependents.is_empty() {
            return Ok(());
        }
        if !cascade {
            return Err(ctx
                .at(
                    name.span,
                    format!(
                        "cannot drop constraint `{cname}` of `{}.{}`: foreign key {} depends on it",
                        at.schema,
                        at.table,
                        dependents.join(", ")
                    ),
                )
                .help("drop those foreign keys first, or use `DROP CONSTRAINT … CASCADE` to drop them with it"));
        }
        for s in self.schemas.values_mut() {
            for t in s.tables.values_mut() {
                t.foreign_keys.retain(|fk| !depends(fk));
            }
        }
        Ok(())
    }

    /// `VALIDATE CONSTRAINT name` (what `pg_dump` writes after a `NOT
    /// VALID` one): the rows are checked, the model stays; the constraint
    /// must exist.
    fn constraint_exists(&mut self, ctx: &Ctx<'_, '_>, at: &Altered, name: &Ident) -> Fold<()> {
        let cname = fold_ident(name);
        let key = (at.schema.clone(), at.table.clone());
        let checks = self.checks.get(&key).cloned().unwrap_or_default();
        let not_null = self
            .not_null_names
            .get(&key)
            .is_some_and(|names| names.contains_key(&cname));
        let t = self.table_mut(ctx, &at.schema, &at.table, at.span)?;
        if not_null || has_constraint(t, &checks, &cname) {
            return Ok(());
        }
        Err(ctx.at(
            name.span,
            format!(
                "constraint `{cname}` does not exist on `{}.{}`",
                at.schema, at.table
            ),
        ))
    }

    fn rename_constraint(
        &mut self,
        ctx: &Ctx<'_, '_>,
        at: &Altered,
        old_name: &Ident,
        new_name: &Ident,
    ) -> Fold<()> {
        let &Altered {
            ref schema,
            ref table,
            span,
        } = at;
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
        let t = self.table_mut(ctx, schema, table, span)?;
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
        Ok(())
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] name SET SCHEMA new`, which sqlparser
    /// does not parse. `None` when the statement is not of that form.
    pub(super) fn try_set_schema(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            p.expect_keyword_is(Keyword::ALTER)?;
            p.expect_keyword_is(Keyword::TABLE)?;
            let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            let _ = p.parse_keyword(Keyword::ONLY);
            let (name, new_schema) = super::set_schema_tail(&mut p)?;
            Ok((if_exists, name, new_schema))
        })();
        let (if_exists, name, new_schema) = parsed.ok()?;
        Some((|| {
            let (schema, table) = self.named(ctx, &name)?;
            let target = fold_ident(&new_schema);
            ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
            ctx.may_move_to(
                &target,
                &format!("table `{schema}.{table}`"),
                new_schema.span,
            )?;
            if if_exists && !self.relation_exists(&schema, &table) {
                return Ok(());
            }
            // A view moves alone (`ALTER VIEW v SET SCHEMA s`).
            if let Some(view) = self
                .schemas
                .get(&schema)
                .and_then(|s| s.views.get(&table))
                .cloned()
            {
                self.schema_mut(ctx, &target, new_schema.span)?;
                if self.relation_exists(&target, &table) || self.type_exists(&target, &table) {
                    return Err(ctx.at(
                        new_schema.span,
                        format!("relation `{target}.{table}` already exists"),
                    ));
                }
                self.schemas
                    .get_mut(&schema)
                    .expect("found above")
                    .views
                    .remove(&table);
                self.schemas
                    .get_mut(&target)
                    .expect("checked above")
                    .views
                    .insert(table.clone(), view);
                self.relation_moved(
                    &(schema.clone(), table.clone()),
                    &(target.clone(), table.clone()),
                );
                self.each_type_mut(|ty| {
                    if ty.schema.as_deref() == Some(schema.as_str()) && ty.name == table {
                        ty.schema = Some(target.clone());
                    }
                });
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
            let mut moved = self
                .schemas
                .get_mut(&schema)
                .expect("checked above")
                .tables
                .remove(&table)
                .expect("checked above");
            // The sequences its defaults draw from move with it, as the
            // server moves those a table owns (its `serial` columns'); a
            // promotion moves the others too.
            let (from, to) = (
                format!("nextval('{}.", sequence_schema(&schema)),
                format!("nextval('{}.", sequence_schema(&target)),
            );
            for column in &mut moved.columns {
                if let Some(default) = &mut column.default
                    && let Some(rest) = default.strip_prefix(&from)
                    && rest.ends_with("'::regclass)")
                {
                    *default = format!("{to}{rest}");
                }
            }
            self.schemas
                .get_mut(&target)
                .expect("checked above")
                .tables
                .insert(table.clone(), moved);
            self.retarget_references(&schema, &table, &target, &table);
            let owned: Vec<(String, String)> = self
                .owned_sequences
                .iter()
                .filter(|((s, _), (owner, _))| *s == schema && *owner == table)
                .map(|(key, _)| key.clone())
                .collect();
            for key in owned {
                let holder = self.owned_sequences.remove(&key).expect("listed above");
                self.sequences.remove(&key);
                self.sequences.insert((target.clone(), key.1.clone()));
                self.owned_sequences.insert((target.clone(), key.1), holder);
            }
            if let Some(dropped) = self
                .dropped_columns
                .remove(&(schema.clone(), table.clone()))
            {
                self.dropped_columns
                    .insert((target.clone(), table.clone()), dropped);
            }
            if let Some(checks) = self.checks.remove(&(schema, table.clone())) {
                self.checks.insert((target, table), checks);
            }
            Ok(())
        })())
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] parent ATTACH PARTITION part FOR
    /// VALUES … | DEFAULT`, which sqlparser does not parse: the table
    /// becomes storage of its parent and leaves the model, as it leaves the
    /// live source. `None` when the statement is not of that form.
    pub(super) fn try_attach_partition(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            let (if_exists, parent) = alter_table_head(&mut p)?;
            p.expect_keyword_is(Keyword::ATTACH)?;
            p.expect_keyword_is(Keyword::PARTITION)?;
            let partition = p.parse_object_name(false)?;
            // The bounds (`FOR VALUES …`, `DEFAULT`) do not shape the model.
            if !(p.parse_keyword(Keyword::DEFAULT)
                || p.parse_keywords(&[Keyword::FOR, Keyword::VALUES]))
            {
                return p.expected("FOR VALUES or DEFAULT", p.peek_token());
            }
            Ok((if_exists, parent, partition))
        })();
        let (if_exists, parent, partition) = parsed.ok()?;
        Some((|| {
            let ((parent_schema, parent_name), (schema, name)) =
                self.partition_names(ctx, &parent, &partition)?;
            if if_exists && !self.relation_exists(&parent_schema, &parent_name) {
                return Ok(());
            }
            self.partitioned(ctx, &parent_schema, &parent_name, parent.span())?;
            self.table_mut(ctx, &schema, &name, partition.span())?;
            let referencing = self.referencing_tables(&schema, &name);
            if !referencing.is_empty() {
                return Err(ctx
                    .at(
                        partition.span(),
                        format!(
                            "table `{schema}.{name}` is referenced by foreign keys of {}; the DDL source does not follow foreign keys into a partition",
                            referencing.join(", ")
                        ),
                    )
                    .help("reference the partitioned table instead"));
            }
            let attached = self
                .schemas
                .get_mut(&schema)
                .expect("checked above")
                .tables
                .remove(&name)
                .expect("checked above");
            self.attached_defaults.insert(
                (schema.clone(), name.clone()),
                attached
                    .columns
                    .into_iter()
                    .map(|c| (c.name, c.default))
                    .collect(),
            );
            self.dropped_columns.remove(&(schema.clone(), name.clone()));
            self.checks.remove(&(schema.clone(), name.clone()));
            self.partitions
                .insert((schema, name), (parent_schema, parent_name));
            Ok(())
        })())
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] parent DETACH PARTITION part
    /// [CONCURRENTLY | FINALIZE]`, which sqlparser does not parse: the
    /// partition is a table again, as the server leaves it: the parent's
    /// columns (no identity; the defaults it had, or its parent's when
    /// `PARTITION OF` made it), its own copies of the parent's keys
    /// (`<part>_pkey`, `<part>_<columns>_key`) and foreign keys (their
    /// names kept). `None` when the statement is not of that form.
    pub(super) fn try_detach_partition(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            let (if_exists, parent) = alter_table_head(&mut p)?;
            let detach = p.next_token();
            if !matches!(&detach.token, Token::Word(w) if w.value.eq_ignore_ascii_case("DETACH")) {
                return p.expected("DETACH", detach);
            }
            p.expect_keyword_is(Keyword::PARTITION)?;
            let partition = p.parse_object_name(false)?;
            let _ = p.parse_keyword(Keyword::CONCURRENTLY)
                || matches!(&p.peek_token().token, Token::Word(w) if w.value.eq_ignore_ascii_case("FINALIZE"))
                    && p.next_token().token != Token::EOF;
            Ok((if_exists, parent, partition))
        })();
        let (if_exists, parent, partition) = parsed.ok()?;
        Some((|| {
            super::expect_end(ctx, &mut p)?;
            let ((parent_schema, parent_name), (schema, name)) =
                self.partition_names(ctx, &parent, &partition)?;
            if if_exists && !self.relation_exists(&parent_schema, &parent_name) {
                return Ok(());
            }
            let key = (schema.clone(), name.clone());
            if self.partitions.get(&key) != Some(&(parent_schema.clone(), parent_name.clone())) {
                return Err(ctx.at(
                    partition.span(),
                    format!(
                        "`{schema}.{name}` is not a partition of `{parent_schema}.{parent_name}`"
                    ),
                ));
            }
            let Some(parent_table) = self
                .schemas
                .get(&parent_schema)
                .and_then(|s| s.tables.get(&parent_name))
                .cloned()
            else {
                return Err(ctx
                    .at(
                        partition.span(),
                        format!("`{schema}.{name}` is a partition of a partition, whose columns the DDL source does not follow"),
                    )
                    .help("detach it from the top-level table's partition, or let the server read this section (`source = \"shadow\"`)"));
            };
            if self.partitions.values().any(|p| *p == key) {
                return Err(ctx
                    .at(
                        partition.span(),
                        format!("`{schema}.{name}` has partitions of its own, which the DDL source does not follow out of its parent"),
                    )
                    .help("let the server read this section (`source = \"shadow\"`)"));
            }
            self.partitions.remove(&key);
            let own = self.attached_defaults.remove(&key);
            let mut table = parent_table.clone();
            table.name.clone_from(&name);
            table.kind = TableKind::Ordinary;
            table.comment = None;
            for column in &mut table.columns {
                column.identity = None;
                column.comment = None;
                if let Some(own) = &own {
                    column.default = own.get(&column.name).cloned().flatten();
                }
            }
            table.primary_key = None;
            table.unique = Vec::new();
            self.schemas
                .get_mut(&schema)
                .expect("its schema holds the partition")
                .tables
                .insert(name.clone(), table);
            if let Some(pk) = &parent_table.primary_key {
                let cname = choose_constraint_name(&name, "", "pkey", |n| {
                    self.relation_name_taken(&schema, n)
                });
                self.set_key(&schema, &name, cname, pk.columns.clone(), true);
            }
            for unique in &parent_table.unique {
                let label = unique.columns.join("_");
                let cname = choose_constraint_name(&name, &label, "key", |n| {
                    self.relation_name_taken(&schema, n)
                });
                self.set_key(&schema, &name, cname, unique.columns.clone(), false);
            }
            Ok(())
        })())
    }

    /// Gives `schema.table` a key (its name chosen).
    fn set_key(
        &mut self,
        schema: &str,
        table: &str,
        name: String,
        columns: Vec<String>,
        primary: bool,
    ) {
        let t = self
            .schemas
            .get_mut(schema)
            .and_then(|s| s.tables.get_mut(table))
            .expect("the caller made it");
        let key = Key { name, columns };
        if primary {
            t.primary_key = Some(key);
        } else {
            t.unique.push(key);
            t.unique.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }

    /// The parent's and the partition's `(schema, name)` of `ATTACH` or
    /// `DETACH PARTITION`, both the file's section's own.
    fn partition_names(
        &self,
        ctx: &Ctx<'_, '_>,
        parent: &ObjectName,
        partition: &ObjectName,
    ) -> Fold<((String, String), (String, String))> {
        let (parent_schema, parent_name) = self.named(ctx, parent)?;
        let (schema, name) = self.named(ctx, partition)?;
        ctx.owned(
            &parent_schema,
            &format!("table `{parent_schema}.{parent_name}`"),
            parent.span(),
        )?;
        ctx.owned(
            &schema,
            &format!("table `{schema}.{name}`"),
            partition.span(),
        )?;
        Ok(((parent_schema, parent_name), (schema, name)))
    }

    /// Checks that `schema.name`, which a partition is made of, is a
    /// partitioned table, or a partition (itself partitioned: the server
    /// checks which).
    fn partitioned(&mut self, ctx: &Ctx<'_, '_>, schema: &str, name: &str, span: Span) -> Fold<()> {
        if self
            .partitions
            .contains_key(&(schema.to_owned(), name.to_owned()))
        {
            return Ok(());
        }
        if self.table_mut(ctx, schema, name, span)?.kind != TableKind::Partitioned {
            return Err(ctx.at(span, format!("`{schema}.{name}` is not partitioned")));
        }
        Ok(())
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c SET STATISTICS n |
    /// SET STORAGE s | SET COMPRESSION m | SET (…) | RESET (…)`; the
    /// table's `CLUSTER ON index | SET WITHOUT CLUSTER`, `RESET (…)`, `SET
    /// TABLESPACE t | ACCESS METHOD m | WITHOUT OIDS`; and `ALTER CONSTRAINT
    /// c [NOT] DEFERRABLE [INITIALLY …]`, which sqlparser does not parse:
    /// how a table is stored, sampled and checked, not what it holds. The
    /// table, and the column or constraint, must exist. `None` when the
    /// statement is not of that form.
    pub(super) fn try_column_storage(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            let (if_exists, name) = alter_table_head(&mut p)?;
            let target = storage_target(&mut p)?;
            if p.peek_token().token != Token::EOF && !matches!(target, Stored::Column(_)) {
                return p.expected("the end of the statement", p.peek_token());
            }
            Ok((if_exists, name, target))
        })();
        let (if_exists, name, target) = parsed.ok()?;
        Some((|| {
            let (schema, table) = self.named(ctx, &name)?;
            ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
            if if_exists && !self.relation_exists(&schema, &table)
                || self
                    .partitions
                    .contains_key(&(schema.clone(), table.clone()))
            {
                return Ok(());
            }
            if self
                .schemas
                .get(&schema)
                .is_some_and(|s| s.views.contains_key(&table))
            {
                // `SET STATISTICS` on a materialized view's column.
                return Ok(());
            }
            let at = Altered {
                schema: schema.clone(),
                table: table.clone(),
                span: name.span(),
            };
            let table_mut = self.table_mut(ctx, &schema, &table, name.span())?;
            match target {
                Stored::Table => Ok(()),
                Stored::Constraint(constraint) => self.constraint_exists(ctx, &at, &constraint),
                Stored::Column(column) => {
                    let column_name = fold_ident(&column);
                    if table_mut.column(&column_name).is_none() {
                        return Err(ctx.at(
                            column.span,
                            format!("column `{column_name}` of `{schema}.{table}` does not exist"),
                        ));
                    }
                    Ok(())
                }
                Stored::DropExpression(column, if_exists) => {
                    let column_name = fold_ident(&column);
                    let Some(c) = table_mut.columns.iter_mut().find(|c| c.name == column_name)
                    else {
                        return Err(ctx.at(
                            column.span,
                            format!("column `{column_name}` of `{schema}.{table}` does not exist"),
                        ));
                    };
                    if c.generated.take().is_none() && !if_exists {
                        return Err(ctx.at(
                            column.span,
                            format!(
                                "column `{column_name}` of `{schema}.{table}` is not a stored generated column"
                            ),
                        ));
                    }
                    Ok(())
                }
            }
        })())
    }

    /// `ALTER TABLE t ALTER COLUMN c SET EXPRESSION [AS] (…)` (PostgreSQL
    /// 17): a generated column's new expression. `None` for any other
    /// statement.
    /// `ALTER TABLE t ALTER [COLUMN] c` followed by `DROP IDENTITY [IF
    /// EXISTS]`, or by any of `SET GENERATED ALWAYS | BY DEFAULT`, `RESTART
    /// [[WITH] n]` and `SET sequence_option`, which sqlparser does not
    /// parse: the column's identity follows (the sequence's options are no
    /// part of the model). `None` when the statement is not of that form.
    pub(super) fn try_alter_identity(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let word = |t: &Token| match t {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
            _ => String::new(),
        };
        let parsed: Result<_, ParserError> = (|| {
            let (if_exists, name) = alter_table_head(&mut p)?;
            p.expect_keyword_is(Keyword::ALTER)?;
            let _ = p.parse_keyword(Keyword::COLUMN);
            let column = p.parse_identifier()?;
            // `None`: the identity dropped; `Some(None)`: kept as it is.
            let mut identity: Option<Option<Identity>> = Some(None);
            let mut drop_if_exists = false;
            let mut any = false;
            loop {
                let next = p.peek_token();
                match word(&next.token).as_str() {
                    "DROP" if !any => {
                        p.next_token();
                        if word(&p.next_token().token) != "IDENTITY" {
                            return p.expected("DROP IDENTITY", next);
                        }
                        drop_if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
                        identity = None;
                        break;
                    }
                    "SET" => {
                        p.next_token();
                        if p.parse_keyword(Keyword::GENERATED) {
                            identity = Some(Some(if p.parse_keyword(Keyword::ALWAYS) {
                                Identity::Always
                            } else {
                                p.expect_keywords(&[Keyword::BY, Keyword::DEFAULT])?;
                                Identity::ByDefault
                            }));
                        } else {
                            // A sequence option: its words up to the next
                            // `SET` or `RESTART`.
                            let option = p.next_token();
                            if !matches!(
                                word(&option.token).as_str(),
                                "INCREMENT"
                                    | "MINVALUE"
                                    | "MAXVALUE"
                                    | "NO"
                                    | "START"
                                    | "CACHE"
                                    | "CYCLE"
                                    | "OWNED"
                                    | "SEQUENCE"
                                    | "AS"
                                    | "LOGGED"
                                    | "UNLOGGED"
                            ) {
                                return p.expected("SET GENERATED or a sequence option", option);
                            }
                            while !matches!(p.peek_token().token, Token::EOF | Token::SemiColon)
                                && !matches!(
                                    word(&p.peek_token().token).as_str(),
                                    "SET" | "RESTART"
                                )
                            {
                                p.next_token();
                            }
                        }
                        any = true;
                    }
                    "RESTART" => {
                        p.next_token();
                        let _ = p.parse_keyword(Keyword::WITH);
                        if matches!(p.peek_token().token, Token::Number(..)) {
                            p.next_token();
                        }
                        any = true;
                    }
                    _ if any => break,
                    _ => return p.expected("an identity change", next),
                }
            }
            Ok((if_exists, name, column, identity, drop_if_exists))
        })();
        let (if_exists, name, column, identity, drop_if_exists) = parsed.ok()?;
        Some((|| {
            super::expect_end(ctx, &mut p)?;
            let (schema, table) = self.named(ctx, &name)?;
            ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
            if if_exists && !self.relation_exists(&schema, &table) {
                return Ok(());
            }
            let column_name = fold_ident(&column);
            let t = self.table_mut(ctx, &schema, &table, name.span())?;
            let Some(col) = t.columns.iter_mut().find(|c| c.name == column_name) else {
                return Err(ctx.at(
                    column.span,
                    format!("column `{column_name}` of `{schema}.{table}` does not exist"),
                ));
            };
            if col.identity.is_none() {
                if identity.is_none() && drop_if_exists {
                    return Ok(());
                }
                return Err(ctx.at(
                    column.span,
                    format!(
                        "column `{column_name}` of `{schema}.{table}` is not an identity column"
                    ),
                ));
            }
            match identity {
                None => {
                    col.identity = None;
                    // Its sequence goes with it.
                    self.drop_owned_sequences(&schema, &table, Some(&column_name));
                }
                Some(Some(kind)) => col.identity = Some(kind),
                Some(None) => {}
            }
            Ok(())
        })())
    }

    pub(super) fn try_set_expression(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
    ) -> Option<Fold<()>> {
        let mut p = parser(statement);
        let parsed: Result<_, ParserError> = (|| {
            let (if_exists, name) = alter_table_head(&mut p)?;
            p.expect_keyword_is(Keyword::ALTER)?;
            let _ = p.parse_keyword(Keyword::COLUMN);
            let column = p.parse_identifier()?;
            p.expect_keyword_is(Keyword::SET)?;
            let next = p.next_token();
            if !matches!(&next.token, Token::Word(w) if w.value.eq_ignore_ascii_case("EXPRESSION"))
            {
                return p.expected("SET EXPRESSION", next);
            }
            let _ = p.parse_keyword(Keyword::AS);
            p.expect_token(&Token::LParen)?;
            let expr = p.parse_expr()?;
            p.expect_token(&Token::RParen)?;
            Ok((if_exists, name, column, expr))
        })();
        let (if_exists, name, column, expr) = parsed.ok()?;
        Some((|| {
            let (schema, table) = self.named(ctx, &name)?;
            ctx.owned(&schema, &format!("table `{schema}.{table}`"), name.span())?;
            if if_exists && !self.relation_exists(&schema, &table) {
                return Ok(());
            }
            let columns = self
                .table_mut(ctx, &schema, &table, name.span())?
                .columns
                .clone();
            let column_name = fold_ident(&column);
            if columns.iter().all(|c| c.name != column_name) {
                return Err(ctx.at(
                    column.span,
                    format!("column `{column_name}` of `{schema}.{table}` does not exist"),
                ));
            }
            let text = super::super::expr::generated(&expr, &self.deparser(ctx, &columns));
            let col = self
                .table_mut(ctx, &schema, &table, name.span())?
                .columns
                .iter_mut()
                .find(|c| c.name == column_name)
                .expect("checked above");
            if col.generated.is_none() {
                return Err(ctx.at(
                    column.span,
                    format!(
                        "column `{column_name}` of `{schema}.{table}` is not a generated column"
                    ),
                ));
            }
            col.generated = Some(text);
            Ok(())
        })())
    }

    /// The columns named `NOT NULL` constraints of a `CREATE TABLE` make
    /// not null (PostgreSQL 18's `CONSTRAINT t_a_not_null NOT NULL a`).
    pub(super) fn set_not_null(
        &mut self,
        ctx: &Ctx<'_, '_>,
        statement: &Statement,
        columns: &[String],
    ) -> Fold<()> {
        let Ok(sqlparser::ast::Statement::CreateTable(create)) =
            parser(statement).parse_statement()
        else {
            return Ok(());
        };
        let (schema, table) = ctx.qualify(&create.name)?;
        let t = self.table_mut(ctx, &schema, &table, create.name.span())?;
        for name in columns {
            let Some(column) = t.columns.iter_mut().find(|c| c.name == *name) else {
                return Err(ctx.at(
                    create.name.span(),
                    format!("the NOT NULL constraint names column `{name}`, which `{schema}.{table}` does not have"),
                ));
            };
            column.nullable = false;
        }
        Ok(())
    }

    /// A column of a table or view renamed: the views that read it read
    /// it under its new name.
    pub(super) fn column_renamed(&mut self, schema: &str, table: &str, old: &str, new: &str) {
        let from = (schema.to_owned(), table.to_owned(), old.to_owned());
        for reads in self.view_reads.values_mut() {
            if reads.columns.remove(&from) {
                reads
                    .columns
                    .insert((schema.to_owned(), table.to_owned(), new.to_owned()));
            }
        }
    }

    /// A table or view renamed or moved: the views that read it read it
    /// under its new name.
    pub(super) fn relation_moved(&mut self, from: &(String, String), to: &(String, String)) {
        if let Some(reads) = self.view_reads.remove(from) {
            self.view_reads.insert(to.clone(), reads);
        }
        for reads in self.view_reads.values_mut() {
            if reads.relations.remove(from) {
                reads.relations.insert(to.clone());
            }
            let columns: Vec<_> = reads
                .columns
                .iter()
                .filter(|(s, t, _)| *s == from.0 && *t == from.1)
                .cloned()
                .collect();
            for (s, t, c) in columns {
                reads.columns.remove(&(s, t, c.clone()));
                reads.columns.insert((to.0.clone(), to.1.clone(), c));
            }
        }
    }

    pub(super) fn retarget_references(
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
        // Inheritance follows it.
        let (from, to) = (
            (schema.to_owned(), table.to_owned()),
            (new_schema.to_owned(), new_table.to_owned()),
        );
        self.relation_moved(&from, &to);
        if let Some(parents) = self.parents.remove(&from) {
            self.parents.insert(to.clone(), parents);
        }
        if let Some(local) = self.local_columns.remove(&from) {
            self.local_columns.insert(to.clone(), local);
        }
        for parents in self.parents.values_mut() {
            for parent in parents.iter_mut().filter(|p| **p == from) {
                parent.clone_from(&to);
            }
        }
        // Columns of the table's row type follow it.
        self.each_type_mut(|ty| {
            if ty.schema.as_deref() == Some(schema) && ty.name == table {
                ty.schema = Some(new_schema.to_owned());
                new_table.clone_into(&mut ty.name);
            }
        });
    }

    /// Drops foreign keys (in any table) that reference `schema.table`, or only
    /// those using `column` of it.
    pub(super) fn drop_references_to(&mut self, schema: &str, table: &str, column: Option<&str>) {
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

    pub(super) fn referencing_tables(&self, schema: &str, table: &str) -> Vec<String> {
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
}

/// The pass of PostgreSQL's `ALTER TABLE` an action runs in (`AT_PASS_*`).
/// Actions of `ALTER TABLE` that leave the model as it is.
fn leaves_the_model(op: &AlterTableOperation) -> bool {
    matches!(
        op,
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
            | AlterTableOperation::SetTblProperties { .. }
            | AlterTableOperation::SetOptionsParens { .. }
    )
}

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
    /// The key's columns, and the index's `INCLUDE` ones.
    Unique(Vec<String>, Vec<String>),
    Check(Vec<String>),
    /// `EXCLUDE`: not held by the model (as the live source reads it), but
    /// named, for `DROP CONSTRAINT`; `expr` for an expression element.
    Exclude(Vec<String>),
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
        TableConstraint::Unique(u) => (
            u.name.clone(),
            Pending::Unique(
                index_columns(&u.columns)?,
                u.include.iter().map(fold_ident).collect(),
            ),
        ),
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
        TableConstraint::Exclude(exclude) => (
            exclude.name.clone(),
            Pending::Exclude(
                exclude
                    .elements
                    .iter()
                    .map(|e| match &e.column.column.expr {
                        Expr::Identifier(column) => fold_ident(column),
                        _ => "expr".to_owned(),
                    })
                    .collect(),
            ),
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

/// `LIKE source [INCLUDING | EXCLUDING what]…`: the source, and what is
/// included (`ALL` spelled out); `None` for a malformed clause.
fn like_clause(
    element: &[Token],
) -> Option<(ObjectName, std::collections::BTreeSet<&'static str>)> {
    const ALL: [&str; 9] = [
        "COMMENTS",
        "COMPRESSION",
        "CONSTRAINTS",
        "DEFAULTS",
        "GENERATED",
        "IDENTITY",
        "INDEXES",
        "STATISTICS",
        "STORAGE",
    ];
    let is_option = |t: &Token| {
        matches!(t, Token::Word(w) if w.quote_style.is_none()
            && matches!(w.value.to_ascii_uppercase().as_str(), "INCLUDING" | "EXCLUDING"))
    };
    let end = element.iter().position(is_option).unwrap_or(element.len());
    let mut parts = Vec::new();
    for t in &element[1..end] {
        match t {
            Token::Word(w) => parts.push(Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: Span::empty(),
            }),
            Token::Period => {}
            _ => return None,
        }
    }
    let mut included = std::collections::BTreeSet::new();
    for pair in element[end..].chunks(2) {
        let [Token::Word(how), Token::Word(what)] = pair else {
            return None;
        };
        let what = what.value.to_ascii_uppercase();
        let which: Vec<&'static str> = if what == "ALL" {
            ALL.to_vec()
        } else {
            vec![*ALL.iter().find(|w| **w == what)?]
        };
        for w in which {
            if how.value.eq_ignore_ascii_case("INCLUDING") {
                included.insert(w);
            } else {
                included.remove(w);
            }
        }
    }
    Some((ObjectName::from(parts), included))
}

/// `ALTER TABLE [IF EXISTS] [ONLY] name`: whether `IF EXISTS` was given,
/// and the name.
fn alter_table_head(
    p: &mut sqlparser::parser::Parser<'_>,
) -> Result<(bool, ObjectName), ParserError> {
    p.expect_keyword_is(Keyword::ALTER)?;
    p.expect_keyword_is(Keyword::TABLE)?;
    let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let _ = p.parse_keyword(Keyword::ONLY);
    Ok((if_exists, p.parse_object_name(false)?))
}

/// What an `ALTER TABLE` of storage names after the table's name.
enum Stored {
    Table,
    Column(Ident),
    Constraint(Ident),
    /// `ALTER COLUMN c DROP EXPRESSION [IF EXISTS]`: a generated column
    /// made plain (this one changes the model).
    DropExpression(Ident, bool),
}

/// The actions of [`Fold::try_column_storage`], after `ALTER TABLE t`.
fn storage_target(p: &mut sqlparser::parser::Parser<'_>) -> Result<Stored, ParserError> {
    let word = |p: &sqlparser::parser::Parser<'_>, n: usize, what: &str| {
        matches!(&p.peek_nth_token(n).token, Token::Word(w)
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(what))
    };
    if p.parse_keywords(&[Keyword::CLUSTER, Keyword::ON]) {
        p.parse_identifier()?;
        return Ok(Stored::Table);
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::WITHOUT, Keyword::CLUSTER]) {
        return Ok(Stored::Table);
    }
    if word(p, 0, "SET") && word(p, 1, "WITHOUT") && word(p, 2, "OIDS") {
        for _ in 0..3 {
            p.next_token();
        }
        return Ok(Stored::Table);
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::TABLESPACE])
        || p.parse_keywords(&[Keyword::SET, Keyword::ACCESS, Keyword::METHOD])
    {
        p.parse_identifier()?;
        return Ok(Stored::Table);
    }
    if word(p, 0, "RESET") && p.peek_nth_token(1).token == Token::LParen {
        p.next_token();
        skip_parenthesized(p)?;
        return Ok(Stored::Table);
    }
    if p.parse_keywords(&[Keyword::ALTER, Keyword::CONSTRAINT]) {
        let constraint = p.parse_identifier()?;
        let mut any = false;
        loop {
            let done = if p.parse_keywords(&[Keyword::NOT, Keyword::DEFERRABLE])
                || p.parse_keyword(Keyword::DEFERRABLE)
            {
                false
            } else if p.parse_keyword(Keyword::INITIALLY) {
                if !(p.parse_keyword(Keyword::DEFERRED) || p.parse_keyword(Keyword::IMMEDIATE)) {
                    return p.expected("DEFERRED or IMMEDIATE", p.peek_token());
                }
                false
            } else {
                true
            };
            if done {
                break;
            }
            any = true;
        }
        if !any {
            return p.expected("[NOT] DEFERRABLE or INITIALLY …", p.peek_token());
        }
        return Ok(Stored::Constraint(constraint));
    }
    p.expect_keyword_is(Keyword::ALTER)?;
    let _ = p.parse_keyword(Keyword::COLUMN);
    let column = p.parse_identifier()?;
    if word(p, 0, "DROP") && word(p, 1, "EXPRESSION") {
        p.next_token();
        p.next_token();
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        return Ok(Stored::DropExpression(column, if_exists));
    }
    let storage = p.parse_keywords(&[Keyword::SET, Keyword::STATISTICS])
        || p.parse_keywords(&[Keyword::SET, Keyword::STORAGE])
        || p.parse_keywords(&[Keyword::SET, Keyword::COMPRESSION])
        || (p.parse_keyword(Keyword::SET) || p.parse_keyword(Keyword::RESET))
            && p.peek_token().token == Token::LParen;
    if !storage {
        return p.expected(
            "SET STATISTICS, SET STORAGE, SET (…) or RESET (…)",
            p.peek_token(),
        );
    }
    Ok(Stored::Column(column))
}

/// Skips a parenthesised list, nested parentheses included.
fn skip_parenthesized(p: &mut sqlparser::parser::Parser<'_>) -> Result<(), ParserError> {
    p.expect_token(&Token::LParen)?;
    let mut depth = 1usize;
    while depth > 0 {
        match p.next_token().token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::EOF => return p.expected(")", p.peek_token()),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `word` stands unquoted anywhere in `statement`.
fn has_word(statement: &Statement, word: &str) -> bool {
    statement.tokens.iter().any(|t| {
        matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    })
}

/// `CREATE [UNLOGGED] TABLE [IF NOT EXISTS] name`: the head of the plain
/// `CREATE TABLE` that spells the statement out, up to its `(`, and the
/// name.
fn create_table_head(p: &mut sqlparser::parser::Parser<'_>) -> Option<(String, ObjectName)> {
    p.expect_keyword_is(Keyword::CREATE).ok()?;
    let unlogged = p.parse_keyword(Keyword::UNLOGGED);
    p.expect_keyword_is(Keyword::TABLE).ok()?;
    let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = p.parse_object_name(false).ok()?;
    let head = format!(
        "CREATE {}TABLE {}{name} (",
        if unlogged { "UNLOGGED " } else { "" },
        if if_not_exists { "IF NOT EXISTS " } else { "" }
    );
    Some((head, name))
}

/// A table's element list after its `(`, split at top-level commas, each
/// element's significant tokens; `None` when it does not close.
fn table_elements(p: &mut sqlparser::parser::Parser<'_>) -> Option<Vec<Vec<Token>>> {
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut current = Vec::new();
    loop {
        let t = p.next_token_no_skip()?.clone().token;
        match t {
            Token::EOF => return None,
            Token::Whitespace(_) => continue,
            Token::LParen => depth += 1,
            Token::RParen if depth == 0 => break,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                elements.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(t);
    }
    elements.push(current);
    Some(elements)
}

/// The tokens left in `p`, whitespace included.
fn rest_of(p: &mut sqlparser::parser::Parser<'_>) -> Vec<Token> {
    std::iter::from_fn(|| {
        let t = p.next_token_no_skip()?.clone().token;
        (t != Token::EOF).then_some(t)
    })
    .collect()
}

/// Whether a table element is a constraint rather than a column.
fn is_constraint(tokens: &[Token]) -> bool {
    matches!(tokens.first(), Some(Token::Word(w)) if w.quote_style.is_none()
        && ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"]
            .contains(&w.value.to_ascii_uppercase().as_str()))
}

fn push_tokens(text: &mut String, tokens: &[Token]) {
    for t in tokens {
        let _ = write!(text, "{t} ");
    }
}

/// `text` as a statement, every token placed at `span` (the form it was
/// spelled out from).
fn retokenized(text: &str, span: Span) -> Option<Statement> {
    let tokens =
        sqlparser::tokenizer::Tokenizer::new(&sqlparser::dialect::PostgreSqlDialect {}, text)
            .tokenize()
            .ok()?
            .into_iter()
            .map(|token| sqlparser::tokenizer::TokenWithSpan { token, span })
            .collect();
    Some(Statement { tokens })
}

/// A column declared in `CREATE TABLE … INHERITS` that is inherited too
/// merges into the inherited one (its type must be the same; its default
/// wins; `NOT NULL` from either): `None` then, else the column.
fn merge_inherited(
    ctx: &Ctx<'_, '_>,
    inherited: &mut [Column],
    def: &ColumnDef,
    column: Column,
) -> Fold<Option<Column>> {
    let Some(known) = inherited.iter_mut().find(|c| c.name == column.name) else {
        return Ok(Some(column));
    };
    if known.ty != column.ty {
        return Err(ctx.at(
            def.name.span,
            format!(
                "column `{}` has type `{}` here and `{}` in a parent",
                column.name, column.ty, known.ty
            ),
        ));
    }
    known.nullable &= column.nullable;
    if column.default.is_some() {
        known.default = column.default;
    }
    Ok(None)
}

/// The column a CHECK expression is about: PostgreSQL names an unnamed
/// check `<table>_<column>_check` when it uses exactly one column, else
/// `<table>_check`.
fn check_columns(expr: &Expr) -> Vec<String> {
    pub(super) fn walk(expr: &Expr, out: &mut BTreeSet<String>) {
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
                for e in list {
                    walk(e, out);
                }
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

/// PostgreSQL's rule for the keys of one `CREATE TABLE`: a primary key or
/// unique constraint on the same columns as an earlier one is the same
/// index. The earlier one stays, takes the later one's name when it had
/// none, and is the primary key when either is.
fn merge_equal_keys(constraints: Vec<(Option<Ident>, Pending)>) -> Vec<(Option<Ident>, Pending)> {
    let mut out: Vec<(Option<Ident>, Pending)> = Vec::with_capacity(constraints.len());
    for (name, pending) in constraints {
        let columns = match &pending {
            Pending::PrimaryKey(c) | Pending::Unique(c, _) => c.clone(),
            _ => {
                out.push((name, pending));
                continue;
            }
        };
        let prior = out.iter_mut().find(
            |(_, p)| matches!(p, Pending::PrimaryKey(c) | Pending::Unique(c, _) if *c == columns),
        );
        match prior {
            Some((prior_name, prior)) => {
                if prior_name.is_none() {
                    *prior_name = name;
                }
                if matches!(pending, Pending::PrimaryKey(_)) {
                    *prior = Pending::PrimaryKey(columns);
                }
            }
            None => out.push((name, pending)),
        }
    }
    out
}

/// Why two different long names are the same name.
const CUT_HELP: &str = "PostgreSQL cuts names to 63 bytes, so names that differ only after their 63rd byte are the same name; shorten one of them";

impl Catalog {
    /// The name the server gives a constraint `pending` of `t` over
    /// `columns` that names none: a key's index takes a name no relation
    /// of the schema has; another constraint, one no constraint of the
    /// schema has.
    fn generated_name(
        &self,
        schema: &str,
        t: &Table,
        checks: &BTreeSet<String>,
        pending: &Pending,
        columns: &[String],
    ) -> String {
        let suffix = match pending {
            Pending::PrimaryKey(_) => "pkey",
            Pending::Unique(..) => "key",
            Pending::ForeignKey { .. } => "fkey",
            Pending::Check(_) => "check",
            Pending::Exclude(_) => "excl",
        };
        let label = match pending {
            Pending::PrimaryKey(_) => String::new(),
            Pending::Exclude(elements) => elements.join("_"),
            // The index's every column: `INCLUDE` ones too.
            Pending::Unique(key, include) => key
                .iter()
                .chain(include)
                .cloned()
                .collect::<Vec<_>>()
                .join("_"),
            _ => columns.join("_"),
        };
        let index_backed = matches!(pending, Pending::PrimaryKey(_) | Pending::Unique(..));
        let taken = |n: &str| {
            has_constraint(t, checks, n)
                || if index_backed {
                    self.relation_name_taken(schema, n)
                } else {
                    self.constraint_name_taken(schema, n)
                }
        };
        choose_constraint_name(&t.name, &label, suffix, taken)
    }

    /// Whether a constraint of any table of `schema` is named `name`: the
    /// names the server's `ChooseConstraintName` avoids.
    ///
    /// Asked for every constraint left unnamed, so it allocates nothing per
    /// table: ten thousand tables each with a key and a foreign key once
    /// took minutes here.
    fn constraint_name_taken(&self, schema: &str, name: &str) -> bool {
        self.table_constraint_taken(schema, name, false)
    }

    /// Whether a table of `schema` has a constraint named `name`: only a
    /// primary key or unique constraint (`keys`, whose names are also
    /// their index's), or any.
    pub(super) fn table_constraint_taken(&self, schema: &str, name: &str, keys: bool) -> bool {
        if self.name_index_live {
            let mut index = self.name_index.borrow_mut();
            return index
                .get_or_insert_with(|| NameIndex::of(self))
                .holds(schema, name, keys);
        }
        let Some(s) = self.schemas.get(schema) else {
            return false;
        };
        let none = BTreeSet::new();
        if keys {
            return s.tables.values().any(|t| {
                t.primary_key
                    .iter()
                    .chain(&t.unique)
                    .any(|k| k.name == name)
            });
        }
        s.tables.values().any(|t| has_constraint(t, &none, name))
            || self
                .checks
                .range((schema.to_owned(), String::new())..)
                .take_while(|((of, _), _)| of == schema)
                .any(|((_, table), checks)| s.tables.contains_key(table) && checks.contains(name))
    }
}

/// The constraint names of every table, by schema (see `Catalog::name_index`).
#[derive(Default, Clone)]
pub(super) struct NameIndex {
    /// Primary keys and unique constraints.
    keys: BTreeMap<String, HashSet<String>>,
    /// Every constraint: keys, foreign keys, checks.
    all: BTreeMap<String, HashSet<String>>,
}

impl NameIndex {
    fn of(catalog: &Catalog) -> Self {
        let mut index = Self::default();
        let none = BTreeSet::new();
        for (schema, s) in &catalog.schemas {
            for t in s.tables.values() {
                let checks = catalog
                    .checks
                    .get(&(schema.clone(), t.name.clone()))
                    .unwrap_or(&none);
                index.add(schema, t, checks);
            }
        }
        index
    }

    /// Adds the names of table `t` of `schema`, whose checks are `checks`.
    pub(super) fn add(&mut self, schema: &str, t: &Table, checks: &BTreeSet<String>) {
        let keys = self.keys.entry(schema.to_owned()).or_default();
        let all = self.all.entry(schema.to_owned()).or_default();
        for key in t.primary_key.iter().chain(&t.unique) {
            keys.insert(key.name.clone());
            all.insert(key.name.clone());
        }
        all.extend(t.foreign_keys.iter().map(|f| f.name.clone()));
        all.extend(checks.iter().cloned());
    }

    fn holds(&self, schema: &str, name: &str, keys: bool) -> bool {
        let names = if keys { &self.keys } else { &self.all };
        names.get(schema).is_some_and(|names| names.contains(name))
    }
}

/// Whether table `t` (whose check constraints are `checks`) has a
/// constraint named `name`.
fn has_constraint(t: &Table, checks: &BTreeSet<String>, name: &str) -> bool {
    t.primary_key
        .iter()
        .chain(&t.unique)
        .any(|k| k.name == name)
        || t.foreign_keys.iter().any(|f| f.name == name)
        || checks.contains(name)
}

fn constraint_count(t: &Table) -> usize {
    usize::from(t.primary_key.is_some()) + t.unique.len() + t.foreign_keys.len()
}

/// PostgreSQL's `ChooseConstraintName`: `<table>_<label>_<suffix>`, shortened
/// to 63 bytes by trimming the longer of table and label, then made unique
/// with a counter.
/// PostgreSQL's `ChooseRelationName`: what a `serial` or identity
/// column's sequence is named (`<table>_<column>_seq`, then with a
/// counter).
pub(super) fn choose_relation_name(
    table: &str,
    column: &str,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    choose_constraint_name(table, column, label, taken)
}

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

pub(super) fn sequence_name(schema: &str, table: &str, column: &str) -> String {
    let seq = make_object_name(table, column, "seq");
    format!(
        "{}.{}",
        quote_for_regclass(schema),
        quote_for_regclass(&seq)
    )
    .replace('\'', "''")
}

/// A part of a sequence's name as a `nextval('…'::regclass)` default
/// writes it (quoted where it must be, quotes doubled for the literal).
pub(super) fn regclass_part(name: &str) -> String {
    quote_for_regclass(name).replace('\'', "''")
}

/// How a sequence's schema starts its name in a `nextval('…'::regclass)` default.
fn sequence_schema(schema: &str) -> String {
    quote_for_regclass(schema).replace('\'', "''")
}

fn quote_for_regclass(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
    {
        s.to_owned()
    } else {
        format!("\"{}\"", s.replace('"', "\"\""))
    }
}

/// Refuses a default of `'now'` (or `'today'`, …) of a date or time type:
/// the server turns it into the instant the migration ran, a constant no
/// source can know, and rarely what was meant.
/// Refuses a default the server's grammar takes only in parentheses
/// (`DEFAULT NOT x`, `DEFAULT a IN (…)`): a syntax error there.
pub(super) fn parenthesized(ctx: &Ctx<'_, '_>, expr: &Expr) -> Fold<()> {
    match super::super::expr::needs_parentheses(expr) {
        None => Ok(()),
        Some((span, word)) => Err(ctx
            .at(
                span,
                format!("PostgreSQL takes `{word}` in a default only inside parentheses, and refuses this one"),
            )
            .help(format!("write `DEFAULT ({expr})`"))),
    }
}

fn frozen_instant(ctx: &Ctx<'_, '_>, expr: &Expr, ty: &crate::model::PgType) -> Fold<()> {
    match super::super::expr::evaluated_when_created(expr, ty) {
        None => Ok(()),
        Some(word) => Err(ctx
            .at(
                expr.span(),
                format!(
                    "a default of '{word}' is read once, when the migration runs, and stored as a constant: every row would get that same value"
                ),
            )
            .help(match word.as_str() {
                "now" => "write `DEFAULT now()` (or `CURRENT_TIMESTAMP`) for the time each row is inserted".to_owned(),
                _ => "write `DEFAULT CURRENT_DATE` (± an integer) for the date each row is inserted".to_owned(),
            })),
    }
}
