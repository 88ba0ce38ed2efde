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

use super::deparse::Deparser;
use super::statements::{Statement, span_position};
use super::types::{self, TypeError, TypeScope};
use super::view;
use crate::error::{Position, SqlError};
use crate::model::{
    Action, Column, Domain, Enum, ForeignKey, Identity, Key, PgType, Section, Table, TableKind,
    View,
};

mod newer;
mod objects;
mod respell;
pub(crate) mod rewrite;
mod tables;
mod user_types;

/// Every schema seen so far, with the objects in it.
#[derive(Default, Clone)]
pub(crate) struct Catalog {
    pub schemas: BTreeMap<String, Section>,
    /// The constraint names of every table, by schema, for the names
    /// generated for unnamed constraints to avoid: built on the first
    /// lookup and kept while only statements that leave the tables'
    /// constraints alone run (`CREATE TABLE` adds its own), so that a
    /// schema of thousands of tables is not scanned once per constraint.
    name_index: std::cell::RefCell<Option<tables::NameIndex>>,
    /// Whether the statement being folded leaves `name_index` true.
    name_index_live: bool,
    /// Names of CHECK constraints per `(schema, table)`: not part of the
    /// model, but `DROP CONSTRAINT` must find them.
    checks: BTreeMap<(String, String), BTreeSet<String>>,
    /// Columns dropped per `(schema, table)`: they still count towards the
    /// table's 1 600 columns.
    dropped_columns: BTreeMap<(String, String), usize>,
    /// Partitions per `(schema, name)`: storage of their parent, not tables
    /// of the model (as the live source reads them), yet statements about
    /// them (their keys, `DROP TABLE`) must find them.
    /// Each partition's parent, also `(schema, name)`.
    partitions: BTreeMap<(String, String), (String, String)>,
    /// Extensions created, by name, with the schema holding their objects:
    /// a type named in that schema and known nowhere else is the
    /// extension's.
    extensions: BTreeMap<String, String>,
    /// Each table's parents (`INHERITS`), by `(schema, name)`: column
    /// changes to a parent reach its children.
    parents: BTreeMap<(String, String), Vec<(String, String)>>,
    /// The columns an inheritance child declares itself (`attislocal`):
    /// dropping them from a parent leaves them in the child.
    local_columns: BTreeMap<(String, String), BTreeSet<String>>,
    /// The foreign tables created, by `(schema, name)`, with their
    /// columns: no part of the model (as the live source reads them), but
    /// views may read them.
    foreign_tables: BTreeMap<(String, String), Vec<Column>>,
    /// The sequences created by `CREATE SEQUENCE`, by `(schema, name)`:
    /// where `nextval('name')` resolves.
    sequences: BTreeSet<(String, String)>,
    /// The functions and procedures created, by `(schema, name)`: where a
    /// default's unqualified call of one resolves, and each overload's
    /// input argument types (`None` where they could not be read).
    functions: BTreeMap<(String, String), Vec<Option<Signature>>>,
    /// The types the model does not hold, per `(schema, name)`: a column
    /// may have one, which reaches Rust only through a `sections.toml`
    /// override, as the live source reads it.
    other_types: BTreeMap<(String, String), OtherType>,
    /// The schemas of the sections another source reads (the live
    /// database, a shadow one) from a stream shared with DDL sections:
    /// their views are not typed here, the server types them.
    pub untyped_views: BTreeSet<String>,
    /// Named `NOT NULL` constraints (PostgreSQL 18) per `(schema, table)`:
    /// their names, with their columns.
    not_null_names: BTreeMap<(String, String), BTreeMap<String, String>>,
    /// The indexes `CREATE INDEX name` made, by `(schema, name)`: not in
    /// the model, but their names are taken for a key's index; with the
    /// table and columns of a unique index of plain columns, which `ADD
    /// CONSTRAINT … USING INDEX` makes a key.
    indexes: BTreeMap<(String, String), Option<UniqueIndex>>,
    /// The tables and views each view reads, by `(schema, name)`: dropping
    /// one drops its views with `CASCADE`, and is refused without.
    view_reads: BTreeMap<(String, String), super::view::Reads>,
    /// The sequences `serial` and identity columns made, by `(schema,
    /// name)`, with their `(table, column)`: in `sequences` too (their
    /// names are taken), dropped with their column or table.
    owned_sequences: BTreeMap<(String, String), (String, String)>,
    /// The columns' own defaults of each table attached as a partition
    /// (`ATTACH PARTITION`), by `(schema, name)`: what it has again when
    /// detached. A partition made by `PARTITION OF` took its parent's.
    attached_defaults: BTreeMap<(String, String), BTreeMap<String, Option<String>>>,
}

/// A unique index of plain columns, without a predicate: one that can
/// become a table's key.
#[derive(Clone)]
pub(crate) struct UniqueIndex {
    /// The table's name (in the index's schema).
    pub table: String,
    pub columns: Vec<String>,
}

fn unique_index(create: &sqlparser::ast::CreateIndex) -> Option<UniqueIndex> {
    if !create.unique || create.predicate.is_some() || !create.include.is_empty() {
        return None;
    }
    let columns = create
        .columns
        .iter()
        .map(|c| match &c.column.expr {
            sqlparser::ast::Expr::Identifier(ident) => Some(fold_ident(ident)),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let table = create.table_name.0.last()?.as_ident().map(fold_ident)?;
    Some(UniqueIndex { table, columns })
}

/// A function's input argument types, and its result's where it returns
/// one value of a type the DDL source knows.
#[derive(Clone)]
pub(crate) struct Signature {
    pub arguments: Vec<PgType>,
    pub result: Option<PgType>,
    /// The last argument is `VARIADIC` (an array).
    pub variadic: bool,
    /// How many of the last arguments have a default (a call may leave
    /// them out).
    pub defaults: usize,
    /// The input arguments' names, where they have one (named notation:
    /// `f(p => 1)`).
    pub names: Vec<Option<String>>,
}

/// A user type that is neither an enum nor a domain.
#[derive(Clone)]
pub(crate) enum OtherType {
    /// `CREATE TYPE … AS (…)`: its attributes, which `(x).field` reads.
    Composite(Vec<(String, PgType)>),
    /// `CREATE TYPE … AS RANGE`, and the multirange type it comes with.
    Range,
    /// A base type (`CREATE TYPE name (INPUT = …)`) or a shell
    /// (`CREATE TYPE name`).
    Base,
}

/// The file being folded.
pub(crate) struct Source<'a> {
    pub path: &'a std::path::Path,
    pub text: &'a str,
    /// The schema objects created without a schema land in: the first
    /// schema of the `search_path` that exists.
    pub default_schema: &'a str,
    /// The `search_path` unqualified names of existing objects are looked
    /// up on, in order; `pg_catalog` is on it (first, unless the path
    /// places it).
    pub search_path: &'a [String],
    /// In the per-section layout: the section that owns the file, and the
    /// schema all its objects must live in.
    pub owner: Option<(&'a str, &'a str)>,
    /// The schemas of the sections that extend the owner (overlays), with
    /// their names: the owner's objects never reference them.
    pub overlays: &'a BTreeMap<String, String>,
    /// The schemas of the sections the owner extends: where its tables and
    /// types may move (`SET SCHEMA`, a promotion).
    pub bases: &'a [String],
    /// Every section's schema, with its name (per-section layout).
    pub sections: &'a BTreeMap<String, String>,
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

    /// The schema and name an object created as `name` gets: an
    /// unqualified one lands in the creation schema.
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

    /// Where a `SET SCHEMA` may move the section's object: its own schema,
    /// that of a section it extends (a promotion), or another section's
    /// (the section hands its table over: `move`).
    fn may_move_to(&self, target: &str, what: &str, span: Span) -> Fold<()> {
        if self.source.bases.iter().any(|b| b == target)
            || self.source.sections.contains_key(target)
        {
            return Ok(());
        }
        self.owned(target, what, span)
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

/// The sequence a `serial` column owns, as its default names it.
pub(crate) fn serial_sequence(schema: &str, table: &str, column: &str) -> String {
    tables::sequence_name(schema, table, column)
}

/// PostgreSQL's identifier rule: unquoted names fold to lower case (ASCII
/// only, as the server does for multi-byte encodings); quoted names keep
/// case; both are cut to 63 bytes, as the server cuts them.
pub(crate) fn fold_ident(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        truncate_identifier(ident.value.clone())
    } else {
        truncate_identifier(ident.value.to_ascii_lowercase())
    }
}

/// The longest identifier PostgreSQL keeps, in bytes (`NAMEDATALEN - 1`).
pub(crate) const MAX_IDENTIFIER: usize = 63;

/// The most columns a table can have.
pub(crate) const MAX_COLUMNS: usize = 1600;

/// An identifier cut to [`MAX_IDENTIFIER`] bytes at a character boundary,
/// as the server cuts longer names (with a NOTICE) in every statement.
/// A `search_path` given as a string (`'a, "B c"'`), as the server splits
/// it: names separated by commas, unquoted ones in lower case.
pub(crate) fn split_search_path(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = list.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut name = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                if c == '"' && chars.next_if_eq(&'"').is_none() {
                    break;
                }
                name.push(c);
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                name.push(c);
            }
            name = name.trim_end().to_lowercase();
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if !name.is_empty() {
            out.push(name);
        }
        if chars.next_if_eq(&',').is_none() {
            return out;
        }
    }
}

pub(crate) fn truncate_identifier(mut name: String) -> String {
    if name.len() > MAX_IDENTIFIER {
        let mut cut = MAX_IDENTIFIER;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    name
}

/// Resolves type names against the catalog.
pub(crate) struct Scope<'c> {
    pub catalog: &'c Catalog,
    /// The `search_path`, `pg_catalog` on it (see [`Source::search_path`]).
    pub path: &'c [String],
}

impl TypeScope for Scope<'_> {
    fn path(&self) -> &[String] {
        self.path
    }
    fn has_type(&self, schema: &str, name: &str) -> bool {
        // A table's or view's row type is a type too.
        self.catalog.type_exists(schema, name) || self.catalog.relation_exists(schema, name)
    }
    fn has_extension_in(&self, schema: &str) -> bool {
        self.catalog.extensions.values().any(|s| s == schema)
    }
}

/// The `search_path` a file's statements look names up on: `path` as a
/// `SET` gave it (`schema, public` when none did), with `pg_catalog` first
/// unless it places it, and without the schemas no migration can create
/// objects in: `pg_temp`, and `$user` (the role that runs the migrations is
/// not known when the DDL source reads them).
pub(crate) fn lookup_path(path: &[String], schema: &str) -> Vec<String> {
    let given: Vec<String> = if path.is_empty() {
        vec![schema.to_owned(), "public".to_owned()]
    } else {
        path.iter()
            .filter(|s| !matches!(s.as_str(), "$user" | "pg_temp"))
            .cloned()
            .collect()
    };
    let mut out = Vec::with_capacity(given.len() + 1);
    if !given.iter().any(|s| s == "pg_catalog") {
        out.push("pg_catalog".to_owned());
    }
    out.extend(given);
    out
}

impl Catalog {
    /// The schema and name of the existing object `name` refers to: an
    /// unqualified one is the first relation, type or sequence of that name
    /// on the `search_path`, else (for an object that does not exist, which
    /// the caller reports) one in the creation schema.
    fn named(&self, ctx: &Ctx<'_, '_>, name: &ObjectName) -> Fold<(String, String)> {
        let (schema, object) = ctx.qualify(name)?;
        if name.0.len() > 1 {
            return Ok((schema, object));
        }
        let found = ctx.source.search_path.iter().find(|s| {
            self.relation_exists(s, &object)
                || self.type_exists(s, &object)
                || self.sequences.contains(&((*s).clone(), object.clone()))
        });
        Ok((found.cloned().unwrap_or(schema), object))
    }

    /// The schema objects created without one land in, after `SET
    /// search_path TO path`: the first of `path` that exists (`$user` and
    /// `pg_catalog` aside), else `fallback`.
    pub(crate) fn creation_schema(&self, path: &[String], fallback: &str) -> String {
        path.iter()
            .find(|s| {
                !matches!(s.as_str(), "$user" | "pg_catalog" | "pg_temp")
                    && (s.as_str() == "public" || self.schemas.contains_key(s.as_str()))
            })
            .cloned()
            .unwrap_or_else(|| fallback.to_owned())
    }

    /// Notes the function, procedure or sequence a `CREATE FUNCTION` or
    /// `CREATE SEQUENCE` (skipped otherwise) creates; `schema` is where an
    /// unqualified name lands.
    pub(crate) fn note_function(&mut self, statement: &Statement, schema: &str, path: &[String]) {
        if statement.leading_words(1).first().map(String::as_str) == Some("ALTER") {
            self.note_moved(statement, path);
            return;
        }
        if statement
            .leading_words(2)
            .iter()
            .map(String::as_str)
            .eq(["DROP", "SEQUENCE"])
        {
            self.note_dropped_sequences(statement, path);
            return;
        }
        if statement.leading_words(1).first().map(String::as_str) != Some("CREATE") {
            return;
        }
        if let Some(index) = statement.index_name()
            && let Some((_, _, table)) = statement.attached_to()
        {
            let schema = match table.as_slice() {
                [name] => self.relation_schema(name, path),
                [.., schema, _] => schema.clone(),
                [] => return,
            };
            let unique = match parser(statement).parse_statement() {
                Ok(Ast::CreateIndex(create)) => unique_index(&create),
                _ => None,
            };
            self.indexes.insert((schema, index), unique);
            return;
        }
        if statement.leading_words(3).get(1).map(String::as_str) == Some("FOREIGN") {
            self.note_foreign_table(statement, schema, path);
            return;
        }
        if let Some(("sequence", _, parts)) = statement.skipped_target() {
            let key = match parts.as_slice() {
                [name] => (schema.to_owned(), name.clone()),
                [.., schema, name] => (schema.clone(), name.clone()),
                [] => return,
            };
            self.sequences.insert(key);
            return;
        }
        if let Some(("function" | "procedure", _, parts)) = statement.skipped_target() {
            let (function_schema, name) = match parts.as_slice() {
                [name] => (schema.to_owned(), name.clone()),
                [.., schema, name] => (schema.clone(), name.clone()),
                [] => return,
            };
            // Its input arguments' types, for the casts a call's literals
            // get.
            let scope = Scope {
                catalog: self,
                path,
            };
            let arguments = match parser(statement).parse_statement() {
                Ok(Ast::CreateFunction(create)) => create
                    .args
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .filter(|a| !matches!(a.mode, Some(sqlparser::ast::ArgMode::Out)))
                    .map(|a| types::pg_type(&a.data_type, &scope).ok())
                    .collect::<Option<Vec<_>>>()
                    .map(|arguments| Signature {
                        names: create
                            .args
                            .as_deref()
                            .unwrap_or_default()
                            .iter()
                            .filter(|a| !matches!(a.mode, Some(sqlparser::ast::ArgMode::Out)))
                            .map(|a| a.name.as_ref().map(fold_ident))
                            .collect(),
                        defaults: create
                            .args
                            .as_deref()
                            .unwrap_or_default()
                            .iter()
                            .filter(|a| a.default_expr.is_some())
                            .count(),
                        variadic: create
                            .args
                            .as_deref()
                            .unwrap_or_default()
                            .last()
                            .is_some_and(|a| {
                                matches!(a.mode, Some(sqlparser::ast::ArgMode::Variadic))
                            }),
                        arguments,
                        result: match &create.return_type {
                            Some(sqlparser::ast::FunctionReturnType::DataType(t)) => {
                                types::pg_type(t, &scope).ok()
                            }
                            _ => None,
                        },
                    }),
                _ => None,
            };
            self.functions
                .entry((function_schema, name))
                .or_default()
                .push(arguments);
        }
    }

    /// `DROP SEQUENCE [IF EXISTS] s, … [CASCADE]`: the names are free
    /// again; with `CASCADE`, the defaults that draw from them go too, as
    /// the server drops them.
    fn note_dropped_sequences(&mut self, statement: &Statement, path: &[String]) {
        let Ok(Ast::Drop { names, cascade, .. }) = parser(statement).parse_statement() else {
            return;
        };
        for name in &names {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().map(fold_ident))
                .collect();
            let (schema, sequence) = match parts.as_slice() {
                [sequence] => (self.relation_schema(sequence, path), sequence.clone()),
                [.., schema, sequence] => (schema.clone(), sequence.clone()),
                [] => continue,
            };
            let key = (schema.clone(), sequence.clone());
            self.sequences.remove(&key);
            self.owned_sequences.remove(&key);
            if cascade {
                let default = format!(
                    "nextval('{}.{}'::regclass)",
                    tables::regclass_part(&schema),
                    tables::regclass_part(&sequence)
                );
                for section in self.schemas.values_mut() {
                    for t in section.tables.values_mut() {
                        for c in &mut t.columns {
                            if c.default.as_deref() == Some(default.as_str()) {
                                c.default = None;
                            }
                        }
                    }
                }
            }
        }
    }

    /// `ALTER SEQUENCE | FUNCTION | PROCEDURE | ROUTINE … RENAME TO | SET
    /// SCHEMA`: the expressions that name the object (`nextval('s.q'::
    /// regclass)`, `s.f()`) follow it, as the server prints them.
    fn note_moved(&mut self, statement: &Statement, path: &[String]) {
        // A renamed index may be a key's: the names in use change.
        *self.name_index.get_mut() = None;
        let Some((what, _, parts)) = statement.skipped_target() else {
            return;
        };
        let Some(moved) = statement.moved_to() else {
            return;
        };
        let sequence = what == "sequence";
        if what == "index" {
            if let crate::ddl::statements::Moved::Name(new) = moved {
                self.index_renamed(&parts, &new, path);
            }
            return;
        }
        if !sequence && !matches!(what, "function" | "procedure" | "routine") {
            return;
        }
        let (schema, name) = match parts.as_slice() {
            [name] if sequence => (self.relation_schema(name, path), name.clone()),
            [name] => match self.function_schema(name, path) {
                Some(schema) => (schema, name.clone()),
                None => return,
            },
            [.., schema, name] => (schema.clone(), name.clone()),
            [] => return,
        };
        let (new_schema, new_name) = match moved {
            crate::ddl::statements::Moved::Name(new) => (schema.clone(), new),
            crate::ddl::statements::Moved::Schema(new) => (new, name.clone()),
        };
        if sequence {
            self.sequence_moved((&schema, &name), (&new_schema, &new_name));
            self.respell(|text| {
                respell::sequence(text, (&schema, &name), (&new_schema, &new_name))
            });
        } else {
            if let Some(overloads) = self.functions.remove(&(schema.clone(), name.clone())) {
                self.functions
                    .entry((new_schema.clone(), new_name.clone()))
                    .or_default()
                    .extend(overloads);
            }
            self.respell(|text| {
                respell::qualified(
                    text,
                    (&schema, &name),
                    (&new_schema, &new_name),
                    respell::Kind::Function,
                )
            });
        }
    }

    /// `ALTER TABLE seq RENAME TO new` and `ALTER TABLE index RENAME TO
    /// new`, as PostgreSQL takes them (Rails' `rename_table` writes both):
    /// `None` when `name` is no sequence or index of the migrations.
    fn alter_table_of_other(
        &mut self,
        ctx: &Ctx<'_, '_>,
        name: &ObjectName,
        operations: &[sqlparser::ast::AlterTableOperation],
    ) -> Option<Fold<()>> {
        let [sqlparser::ast::AlterTableOperation::RenameTable { table_name }] = operations else {
            return None;
        };
        let (schema, object) = self.named(ctx, name).ok()?;
        if self.relation_exists(&schema, &object) {
            return None;
        }
        let (sqlparser::ast::RenameTableNameKind::To(new_name)
        | sqlparser::ast::RenameTableNameKind::As(new_name)) = table_name;
        let new = new_name.0.last()?.as_ident().map(fold_ident)?;
        let key = (schema.clone(), object.clone());
        let is_index = self.indexes.contains_key(&key)
            || self.schemas.get(&schema).is_some_and(|s| {
                s.tables.values().any(|t| {
                    t.primary_key
                        .iter()
                        .chain(&t.unique)
                        .any(|k| k.name == object)
                })
            });
        if !self.sequences.contains(&key) && !is_index {
            return None;
        }
        Some((|| {
            ctx.owned(
                &schema,
                &format!("relation `{schema}.{object}`"),
                name.span(),
            )?;
            if self.relation_name_taken(&schema, &new) {
                return Err(ctx.at(
                    new_name.span(),
                    format!("relation `{schema}.{new}` already exists"),
                ));
            }
            if self.sequences.contains(&key) {
                self.sequence_moved((&schema, &object), (&schema, &new));
            } else {
                self.index_renamed(&[schema.clone(), object.clone()], &new, &[]);
            }
            Ok(())
        })())
    }

    /// A sequence renamed or moved: its name, its owner's record, and the
    /// defaults that name it follow.
    pub(super) fn sequence_moved(
        &mut self,
        (schema, name): (&str, &str),
        (new_schema, new_name): (&str, &str),
    ) {
        let old = (schema.to_owned(), name.to_owned());
        let new = (new_schema.to_owned(), new_name.to_owned());
        if self.sequences.remove(&old) {
            self.sequences.insert(new.clone());
        }
        if let Some(owner) = self.owned_sequences.remove(&old) {
            self.owned_sequences.insert(new, owner);
        }
        self.respell(|text| respell::sequence(text, (schema, name), (new_schema, new_name)));
    }

    /// Notes the sequences the `serial` and identity columns of
    /// `schema.table` made: a `nextval` default naming a sequence no
    /// statement created is its `serial` column's; an identity column's
    /// is named as the server names it.
    pub(super) fn note_owned_sequences(&mut self, schema: &str, table: &str) {
        let Some(t) = self.schemas.get(schema).and_then(|s| s.tables.get(table)) else {
            return;
        };
        let owned: Vec<(String, String)> = self
            .sequences_of_schema(schema)
            .filter(|(_, (t, _))| t == table)
            .map(|(_, owner)| owner.clone())
            .collect();
        let mut found = Vec::new();
        for column in &t.columns {
            if owned.iter().any(|(_, c)| *c == column.name) {
                continue;
            }
            let drawn = column
                .default
                .as_deref()
                .and_then(|d| d.strip_prefix("nextval('"))
                .and_then(|d| d.strip_suffix("'::regclass)"))
                .and_then(|d| super::qualified_name(&d.replace("''", "'"), false));
            if let Some([s, seq]) = drawn.as_deref() {
                if !self.sequences.contains(&(s.clone(), seq.clone())) {
                    found.push((s.clone(), seq.clone(), column.name.clone()));
                }
            } else if column.identity.is_some() {
                let name = tables::choose_relation_name(table, &column.name, "seq", |n| {
                    self.relation_name_taken(schema, n)
                        || found.iter().any(|(s, q, _)| s == schema && q == n)
                });
                found.push((schema.to_owned(), name, column.name.clone()));
            }
        }
        for (s, seq, column) in found {
            self.sequences.insert((s.clone(), seq.clone()));
            self.owned_sequences
                .insert((s, seq), (table.to_owned(), column));
        }
    }

    /// The owned sequences of `schema` (an owned sequence lives in its
    /// table's schema), without walking every schema's: a table created
    /// looks its up, and a dump creates thousands.
    fn sequences_of_schema<'a>(
        &'a self,
        schema: &'a str,
    ) -> impl Iterator<Item = (&'a (String, String), &'a (String, String))> + 'a {
        self.owned_sequences
            .range((schema.to_owned(), String::new())..)
            .take_while(move |((s, _), _)| s == schema)
    }

    /// Drops the sequences owned by `schema.table` (by its `column` only,
    /// when given), as the server drops them with it.
    pub(super) fn drop_owned_sequences(&mut self, schema: &str, table: &str, column: Option<&str>) {
        let gone: Vec<(String, String)> = self
            .sequences_of_schema(schema)
            .filter(|(_, (t, c))| t == table && column.is_none_or(|col| col == c))
            .map(|(key, _)| key.clone())
            .collect();
        for key in gone {
            self.owned_sequences.remove(&key);
            self.sequences.remove(&key);
        }
    }

    /// `ALTER INDEX [schema.]name RENAME TO new`: a key's index renames
    /// the key (the server keeps the two names one), as Rails'
    /// `rename_table` does after renaming the table.
    fn index_renamed(&mut self, parts: &[String], new: &str, path: &[String]) {
        let is_key = |section: &Section, name: &str| {
            section.tables.values().any(|t| {
                t.primary_key
                    .iter()
                    .chain(&t.unique)
                    .any(|k| k.name == name)
            })
        };
        let (schema, name) = match parts {
            [name] => {
                let found = path.iter().find(|s| {
                    self.indexes.contains_key(&((*s).clone(), name.clone()))
                        || self
                            .schemas
                            .get(*s)
                            .is_some_and(|section| is_key(section, name))
                });
                let Some(schema) = found else {
                    return;
                };
                (schema.clone(), name.clone())
            }
            [.., schema, name] => (schema.clone(), name.clone()),
            [] => return,
        };
        if let Some(index) = self.indexes.remove(&(schema.clone(), name.clone())) {
            self.indexes.insert((schema, new.to_owned()), index);
            return;
        }
        let Some(section) = self.schemas.get_mut(&schema) else {
            return;
        };
        for t in section.tables.values_mut() {
            for key in t.primary_key.iter_mut().chain(t.unique.iter_mut()) {
                if key.name == name {
                    new.clone_into(&mut key.name);
                }
            }
            t.unique.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }

    /// The schema an unqualified call of `name` (no built-in) finds it in,
    /// on the `search_path`: the first that created a function of that
    /// name, else the first holding an extension (whose functions are not
    /// listed).
    pub(crate) fn function_schema(&self, name: &str, path: &[String]) -> Option<String> {
        let path = path.iter().filter(|s| *s != "pg_catalog");
        path.clone()
            .find(|s| {
                self.functions
                    .contains_key(&((*s).clone(), name.to_owned()))
            })
            .or_else(|| {
                path.clone()
                    .find(|s| self.extensions.values().any(|e| e == *s))
            })
            .cloned()
    }

    /// The schema an unqualified relation or sequence `name` is found in
    /// on the `search_path`: the first that holds it, else the first schema
    /// that exists (where the name would be created).
    pub(crate) fn relation_schema(&self, name: &str, path: &[String]) -> String {
        let mut path = path.iter().filter(|s| *s != "pg_catalog");
        path.clone()
            .find(|s| {
                self.relation_exists(s, name)
                    || self.sequences.contains(&((*s).clone(), name.to_owned()))
            })
            .or_else(|| path.find(|s| *s == "public" || self.schemas.contains_key(s.as_str())))
            .map_or_else(|| "public".to_owned(), Clone::clone)
    }

    /// `CREATE FOREIGN TABLE [IF NOT EXISTS] name (column type …, …) SERVER
    /// …`: its columns, read as a table's (what cannot be read is left
    /// out, and a view over it says the relation is unknown).
    fn note_foreign_table(&mut self, statement: &Statement, schema: &str, path: &[String]) {
        // A column's `OPTIONS (…)` (the remote name) is no part of its type.
        let mut tokens = Vec::with_capacity(statement.tokens.len());
        let mut depth = 0usize;
        let mut skipping = false;
        for t in &statement.tokens {
            match &t.token {
                Token::Word(w)
                    if depth == 1
                        && w.quote_style.is_none()
                        && w.value.eq_ignore_ascii_case("OPTIONS") =>
                {
                    skipping = true;
                    continue;
                }
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if skipping && depth == 1 {
                        skipping = false;
                        continue;
                    }
                }
                _ => {}
            }
            if !skipping {
                tokens.push(t.clone());
            }
        }
        let mut p = parser(&Statement { tokens });
        let parsed = (|| {
            p.expect_keyword_is(Keyword::CREATE).ok()?;
            p.expect_keyword_is(Keyword::FOREIGN).ok()?;
            p.expect_keyword_is(Keyword::TABLE).ok()?;
            let _ = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
            let name = p.parse_object_name(false).ok()?;
            p.expect_token(&Token::LParen).ok()?;
            let mut columns = Vec::new();
            loop {
                let def = p.parse_column_def().ok()?;
                columns.push(def);
                if !p.consume_token(&Token::Comma) {
                    break;
                }
            }
            p.expect_token(&Token::RParen).ok()?;
            Some((name, columns))
        })();
        let Some((name, defs)) = parsed else { return };
        let parts: Vec<String> = name
            .0
            .iter()
            .filter_map(|p| p.as_ident().map(fold_ident))
            .collect();
        let key = match parts.as_slice() {
            [table] => (schema.to_owned(), table.clone()),
            [.., s, table] => (s.clone(), table.clone()),
            [] => return,
        };
        let scope = Scope {
            catalog: self,
            path,
        };
        let columns = defs
            .iter()
            .filter_map(|d| {
                Some(Column {
                    name: fold_ident(&d.name),
                    ty: types::pg_type(&d.data_type, &scope).ok()?,
                    nullable: true,
                    default: None,
                    identity: None,
                    generated: None,
                    comment: None,
                })
            })
            .collect();
        self.foreign_tables.insert(key, columns);
    }

    /// The columns of a foreign table created earlier.
    pub(crate) fn foreign_table(&self, schema: &str, name: &str) -> Option<&Vec<Column>> {
        self.foreign_tables
            .get(&(schema.to_owned(), name.to_owned()))
    }

    /// Whether the migrations created a function `schema.name`.
    pub(crate) fn created_function(&self, schema: &str, name: &str) -> bool {
        self.functions
            .contains_key(&(schema.to_owned(), name.to_owned()))
    }

    /// The signature of the one function `schema.name` of `arity`
    /// arguments created; `None` when there is not exactly one, or its
    /// types could not be read.
    /// Among several, the one that `fits` alone (its parameters match
    /// the arguments' own types), as the server's resolution picks it for
    /// the plain cases.
    pub(crate) fn function_signature(
        &self,
        schema: &str,
        name: &str,
        arity: usize,
        fits: impl Fn(&Signature) -> bool,
    ) -> Option<&Signature> {
        let overloads = self.functions.get(&(schema.to_owned(), name.to_owned()))?;
        let of_arity: Vec<&Option<Signature>> = overloads
            .iter()
            .filter(|o| {
                o.as_ref().is_none_or(|s| {
                    (s.arguments.len().saturating_sub(s.defaults)..=s.arguments.len())
                        .contains(&arity)
                        || (s.variadic && arity + 1 >= s.arguments.len())
                })
            })
            .collect();
        match of_arity.as_slice() {
            [one] => one.as_ref(),
            several => {
                // Each must be known to choose.
                let known: Vec<&Signature> = several
                    .iter()
                    .map(|o| o.as_ref())
                    .collect::<Option<Vec<_>>>()?;
                let mut fitting = known.into_iter().filter(|s| fits(s));
                let one = fitting.next()?;
                fitting.next().is_none().then_some(one)
            }
        }
    }

    /// The schema extension `name` was created in.
    pub(crate) fn extension_schema(&self, name: &str) -> Option<&str> {
        self.extensions.get(name).map(String::as_str)
    }

    /// Spells expressions over `columns` as the server does.
    fn deparser<'c>(&'c self, ctx: &'c Ctx<'_, '_>, columns: &'c [Column]) -> Deparser<'c> {
        Deparser::new(self, ctx.source.search_path, columns)
    }

    fn scope<'c>(&'c self, source: &'c Source<'_>) -> Scope<'c> {
        Scope {
            catalog: self,
            path: source.search_path,
        }
    }

    /// Folds one statement that `classify` marked as changing the model.
    pub fn apply(&mut self, source: &Source<'_>, statement: &Statement) -> Fold<()> {
        let words = statement.leading_words(3);
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        // Statements that change no table's constraints (a new table's are
        // added to the index as it is made); any other drops the index.
        // A statement folded as others (a rewrite) gets its flag back after.
        let outer = self.name_index_live;
        self.name_index_live = matches!(
            w.as_slice(),
            [
                "CREATE",
                "TABLE"
                    | "UNLOGGED"
                    | "INDEX"
                    | "UNIQUE"
                    | "SCHEMA"
                    | "SEQUENCE"
                    | "TYPE"
                    | "DOMAIN"
                    | "VIEW"
                    | "EXTENSION"
                    | "FUNCTION"
                    | "PROCEDURE",
                ..
            ] | ["COMMENT" | "GRANT" | "REVOKE" | "SET" | "SELECT", ..]
        );
        if !self.name_index_live {
            *self.name_index.get_mut() = None;
        }
        let result = self.apply_statement(source, statement);
        if result.is_err() {
            // A statement that failed half-way may have left names behind.
            *self.name_index.get_mut() = None;
        }
        self.name_index_live = outer;
        result
    }

    fn apply_statement(&mut self, source: &Source<'_>, statement: &Statement) -> Fold<()> {
        let ctx = Ctx {
            source,
            start: statement.start(),
        };
        let words = statement.leading_words(3);
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["CREATE", "DOMAIN", ..] => {
                let readable = rewrite::in_sqlparsers_terms(statement);
                return self.create_domain(&ctx, readable.as_ref().unwrap_or(statement));
            }
            ["ALTER", "VIEW" | "MATERIALIZED", ..] => {
                // `ALTER [MATERIALIZED] VIEW v ALTER COLUMN … | RENAME …` is
                // `ALTER TABLE v …` on a view, which sqlparser reads.
                let mut as_table = Statement {
                    tokens: statement.tokens.clone(),
                };
                let is_word = |t: &sqlparser::tokenizer::TokenWithSpan, word: &str| matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word));
                if let Some(at) = as_table
                    .tokens
                    .iter()
                    .position(|t| is_word(t, "MATERIALIZED"))
                {
                    as_table.tokens[at].token =
                        Token::Whitespace(sqlparser::tokenizer::Whitespace::Space);
                }
                if let Some(view) = as_table.tokens.iter_mut().find(|t| is_word(t, "VIEW")) {
                    view.token = Token::make_keyword("TABLE");
                }
                return self.apply(source, &as_table);
            }
            ["CREATE", "TABLE" | "UNLOGGED", ..] | ["ALTER", "TABLE", ..] => {
                if let Some(spelled_out) = self.typed_table(statement) {
                    return self.apply(source, &spelled_out);
                }
                if let Some((spelled_out, comments)) = self.like_table(&ctx, statement) {
                    self.apply(source, &spelled_out)?;
                    return self.comment_columns(&ctx, &spelled_out, &comments);
                }
                if let Some(newer) = newer::rewrite(statement) {
                    self.apply(source, &newer.statement)?;
                    if !newer.not_null.is_empty() {
                        self.set_not_null(&ctx, &newer.statement, &newer.not_null)?;
                    }
                    if !newer.names.is_empty() {
                        let table = match parser(&newer.statement).parse_statement() {
                            Ok(Ast::CreateTable(create)) => Some(ctx.qualify(&create.name)?),
                            Ok(Ast::AlterTable(alter)) => Some(self.named(&ctx, &alter.name)?),
                            _ => None,
                        };
                        if let Some(table) = table {
                            self.not_null_names
                                .entry(table)
                                .or_default()
                                .extend(newer.names);
                        }
                    }
                    return Ok(());
                }
            }
            ["CREATE", "SCHEMA", ..] => {
                if let Some((schema, elements)) = schema_elements(statement) {
                    return self.create_schema_with_elements(source, &schema, &elements);
                }
            }
            ["COMMENT", ..] => return self.comment(&ctx, statement),
            _ => {}
        }
        let trimmed;
        let statement = if let Some(without) = without_data_clause(statement) {
            trimmed = without;
            &trimmed
        } else {
            statement
        };
        let uncollated;
        let statement = if let Some(without) = rewrite::in_sqlparsers_terms(statement) {
            uncollated = without;
            &uncollated
        } else {
            statement
        };
        let mut parser = parser(statement);
        let ast = match parser.parse_statement() {
            Ok(ast) => ast,
            Err(e) => {
                if let Some(result) = self.unparsed(&ctx, source, statement, &w) {
                    return result;
                }
                return Err(parse_error(&ctx, &e));
            }
        };
        if let Err(e) = expect_end(&ctx, &mut parser) {
            // A prefix parses: the whole may still be a form read token
            // by token (a key's `WITH (fillfactor=…)`).
            if let Some(result) = self.unparsed(&ctx, source, statement, &w) {
                return result;
            }
            return Err(e);
        }
        match ast {
            Ast::CreateSchema {
                schema_name,
                if_not_exists,
                ..
            } => self.create_schema(&ctx, &schema_name, if_not_exists),
            Ast::CreateTable(create) => self.create_table(&ctx, &create),
            Ast::CreateExtension(create) => {
                self.create_extension(&ctx, &create);
                Ok(())
            }
            Ast::CreateType {
                name,
                representation,
            } => self.create_type(&ctx, &name, representation.as_ref()),
            Ast::CreateView(create) => self.create_view(&ctx, &create),
            Ast::AlterTable(alter) => {
                if let Some(done) = self.alter_table_of_other(&ctx, &alter.name, &alter.operations)
                {
                    return done;
                }
                self.alter_table(&ctx, &alter.name, alter.if_exists, &alter.operations)?;
                self.note_local_columns(&ctx, &alter.name, &alter.operations)?;
                if alter.only {
                    Ok(())
                } else {
                    self.alter_children(&ctx, &alter.name, &alter.operations)
                }
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

    /// The forms sqlparser does not parse, read token by token; `None`
    /// when `statement` is none of them.
    fn unparsed(
        &mut self,
        ctx: &Ctx<'_, '_>,
        source: &Source<'_>,
        statement: &Statement,
        w: &[&str],
    ) -> Option<Fold<()>> {
        if w.starts_with(&["ALTER", "TABLE"]) {
            if let Some(result) = self.try_set_schema(ctx, statement) {
                return Some(result);
            }
            if let Some(result) = self.try_attach_partition(ctx, statement) {
                return Some(result);
            }
            if let Some(result) = self.try_detach_partition(ctx, statement) {
                return Some(result);
            }
            if let Some(result) = self.try_column_storage(ctx, statement) {
                return Some(result);
            }
            if let Some(result) = self.try_set_expression(ctx, statement) {
                return Some(result);
            }
            if let Some(result) = self.try_alter_identity(ctx, statement) {
                return Some(result);
            }
            if let Some(result) = self.try_inherit(ctx, statement) {
                return Some(result);
            }
            if let Some(without) = without_identity_options(statement) {
                return Some(self.apply(source, &without));
            }
        }
        // A key's index parameters (`WITH (fillfactor='80')`, `USING INDEX
        // TABLESPACE t`), which pg_dump writes: how the index is stored.
        if (w.starts_with(&["ALTER", "TABLE"]) || matches!(w, ["CREATE", "TABLE" | "UNLOGGED", ..]))
            && let Some(without) = without_index_parameters(statement)
        {
            return Some(self.apply(source, &without));
        }
        // `GENERATED … AS IDENTITY (START WITH 1 INCREMENT BY 1)`:
        // the sequence's options are no part of the model.
        if matches!(w, ["CREATE", "TABLE" | "UNLOGGED", ..])
            && let Some(without) = without_identity_options(statement)
        {
            return Some(self.apply(source, &without));
        }
        if (w.starts_with(&["ALTER", "TYPE"]) || w.starts_with(&["ALTER", "DOMAIN"]))
            && let Some(result) = self.try_type_set_schema(ctx, statement)
        {
            return Some(result);
        }
        if w.starts_with(&["ALTER", "DOMAIN"]) {
            return Some(self.alter_domain(ctx, statement));
        }
        if w.starts_with(&["ALTER", "TYPE"])
            && let Some(result) = self.try_alter_attributes(ctx, statement)
        {
            return Some(result);
        }
        None
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
        if !section.tables.contains_key(name) {
            // Listed only on the error path: a lookup must stay O(log n).
            let known: Vec<String> = section.tables.keys().cloned().collect();
            return Err(ctx
                .at(span, format!("table `{schema}.{name}` does not exist"))
                .help(known_help("tables", schema, &known)));
        }
        Ok(section.tables.get_mut(name).expect("checked above"))
    }

    /// Whether `schema.name` is taken in the schema's relations, which
    /// hold tables, views, sequences and indexes (those of keys too): where
    /// a key's index must find a name of its own.
    pub(crate) fn relation_name_taken(&self, schema: &str, name: &str) -> bool {
        let key = (schema.to_owned(), name.to_owned());
        self.relation_exists(schema, name)
            || self.sequences.contains(&key)
            || self.indexes.contains_key(&key)
            || self.table_constraint_taken(schema, name, true)
    }

    fn relation_exists(&self, schema: &str, name: &str) -> bool {
        self.schemas
            .get(schema)
            .is_some_and(|s| s.tables.contains_key(name) || s.views.contains_key(name))
            || self
                .partitions
                .contains_key(&(schema.to_owned(), name.to_owned()))
    }

    fn type_exists(&self, schema: &str, name: &str) -> bool {
        self.schemas
            .get(schema)
            .is_some_and(|s| s.enums.contains_key(name) || s.domains.contains_key(name))
            || self
                .other_types
                .contains_key(&(schema.to_owned(), name.to_owned()))
    }

    /// The fields of a composite type, or of a table's or view's row type:
    /// what `(x).field` reads.
    pub(crate) fn fields(&self, ty: &PgType) -> Option<Vec<(String, PgType)>> {
        let schema = ty.schema.as_ref()?;
        if ty.array_dims > 0 {
            return None;
        }
        if let Some(OtherType::Composite(attributes)) =
            self.other_types.get(&(schema.clone(), ty.name.clone()))
        {
            return Some(attributes.clone());
        }
        let section = self.schemas.get(schema)?;
        let columns = section
            .tables
            .get(&ty.name)
            .map(|t| &t.columns)
            .or_else(|| section.views.get(&ty.name).map(|v| &v.columns))?;
        Some(
            columns
                .iter()
                .map(|c| (c.name.clone(), c.ty.clone()))
                .collect(),
        )
    }
}

/// `CREATE SCHEMA name [AUTHORIZATION role] element…` split into the
/// schema's own statement and its elements (`CREATE TABLE`, `CREATE VIEW`,
/// `CREATE INDEX`, `CREATE SEQUENCE`, `CREATE TRIGGER`, `GRANT`), each
/// starting at a top-level `CREATE` or `GRANT`; `None` without elements.
fn schema_elements(statement: &Statement) -> Option<(Statement, Vec<Statement>)> {
    let mut depth = 0usize;
    let mut starts = Vec::new();
    let mut seen_words = 0usize;
    for (i, t) in statement.tokens.iter().enumerate() {
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Word(w) if depth == 0 && w.quote_style.is_none() => {
                seen_words += 1;
                // The first two words are the schema's own `CREATE SCHEMA`.
                if seen_words > 2
                    && (w.value.eq_ignore_ascii_case("CREATE")
                        || w.value.eq_ignore_ascii_case("GRANT"))
                {
                    starts.push(i);
                }
            }
            _ => {}
        }
    }
    let first = *starts.first()?;
    let head = Statement {
        tokens: statement.tokens[..first].to_vec(),
    };
    let ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain([statement.tokens.len()]);
    let elements = starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| Statement {
            tokens: statement.tokens[start..end].to_vec(),
        })
        .collect();
    Some((head, elements))
}

/// `CREATE MATERIALIZED VIEW … WITH [NO] DATA` and `CREATE VIEW … WITH
/// [CASCADED | LOCAL] CHECK OPTION` without that last clause, which says
/// when the view is filled (`pg_dump` writes `WITH NO DATA`) or which rows it
/// lets through, not what columns it has; `None` for any other statement.
fn without_data_clause(statement: &Statement) -> Option<Statement> {
    let words = statement.leading_words(4);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let w = w.strip_prefix(&["CREATE"])?;
    let w = w.strip_prefix(&["OR", "REPLACE"]).unwrap_or(w);
    let materialized = match w.first().copied() {
        Some("MATERIALIZED") => true,
        Some("VIEW" | "RECURSIVE") => false,
        _ => return None,
    };
    let significant: Vec<usize> = statement
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect();
    let word = |back: usize| {
        significant.len().checked_sub(back).and_then(|i| {
            match &statement.tokens[significant[i]].token {
                Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
                _ => None,
            }
        })
    };
    let last: Vec<Option<String>> = (1..=4).rev().map(word).collect();
    let last: Vec<&str> = last.iter().map(|w| w.as_deref().unwrap_or("")).collect();
    let clause = match (materialized, last.as_slice()) {
        (true, [_, "WITH", "NO", "DATA"]) => 3,
        (true, [_, _, "WITH", "DATA"]) => 2,
        (false, ["WITH", "CASCADED" | "LOCAL", "CHECK", "OPTION"]) => 4,
        (false, [_, "WITH", "CHECK", "OPTION"]) => 3,
        _ => return None,
    };
    let cut = significant[significant.len() - clause];
    Some(Statement {
        tokens: statement.tokens[..cut].to_vec(),
    })
}

/// The statement without the sequence options of `… AS IDENTITY (SEQUENCE
/// NAME s START WITH 1 …)`, which `pg_dump` writes and sqlparser does not
/// parse; they shape the sequence, not the model. `None` when it has none.
fn without_identity_options(statement: &Statement) -> Option<Statement> {
    let tokens = &statement.tokens;
    let mut out = Vec::with_capacity(tokens.len());
    let mut changed = false;
    let mut i = 0;
    while i < tokens.len() {
        out.push(tokens[i].clone());
        let is_identity = matches!(&tokens[i].token, Token::Word(w)
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("IDENTITY"));
        i += 1;
        if !is_identity {
            continue;
        }
        let mut j = i;
        while j < tokens.len() && matches!(tokens[j].token, Token::Whitespace(_)) {
            j += 1;
        }
        if j < tokens.len() && tokens[j].token == Token::LParen {
            i = closing_paren(tokens, j) + 1;
            changed = true;
        }
    }
    changed.then_some(Statement { tokens: out })
}

/// The index of the `)` that closes the `(` at `open` (the last token's
/// when it never closes).
fn closing_paren(tokens: &[sqlparser::tokenizer::TokenWithSpan], open: usize) -> usize {
    let mut depth = 0usize;
    let mut j = open;
    while j < tokens.len() {
        match tokens[j].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
        j += 1;
    }
    j
}

/// The statement without the storage parameters of its keys' indexes: a
/// `WITH (…)` right after a closing parenthesis (a key's columns, an
/// `INCLUDE` list, an exclusion's elements) and `USING INDEX TABLESPACE
/// t`. `None` when it has none.
fn without_index_parameters(statement: &Statement) -> Option<Statement> {
    let tokens = &statement.tokens;
    let word = |i: usize, what: &str| {
        matches!(tokens.get(i).map(|t| &t.token), Some(Token::Word(w))
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(what))
    };
    // The index of the next significant token from `i` on.
    let next = |mut i: usize| {
        while i < tokens.len() && matches!(tokens[i].token, Token::Whitespace(_)) {
            i += 1;
        }
        i
    };
    let mut out = Vec::with_capacity(tokens.len());
    let mut changed = false;
    let mut after_paren = false;
    let mut i = 0;
    while i < tokens.len() {
        let with = next(i);
        if after_paren
            && word(with, "WITH")
            && tokens.get(next(with + 1)).map(|t| &t.token) == Some(&Token::LParen)
        {
            i = closing_paren(tokens, next(with + 1)) + 1;
            changed = true;
            after_paren = false;
            continue;
        }
        if word(i, "USING")
            && word(next(i + 1), "INDEX")
            && word(next(next(i + 1) + 1), "TABLESPACE")
        {
            let name = next(next(next(i + 1) + 1) + 1);
            i = name + 1;
            changed = true;
            continue;
        }
        match tokens[i].token {
            Token::Whitespace(_) => {}
            Token::RParen => after_paren = true,
            _ => after_paren = false,
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    changed.then_some(Statement { tokens: out })
}

/// `name SET SCHEMA new` to the end of the statement: how the forms of
/// `ALTER … SET SCHEMA` that sqlparser does not parse end.
fn set_schema_tail(p: &mut Parser<'_>) -> Result<(ObjectName, Ident), ParserError> {
    let name = p.parse_object_name(false)?;
    p.expect_keyword_is(Keyword::SET)?;
    p.expect_keyword_is(Keyword::SCHEMA)?;
    let new_schema = p.parse_identifier()?;
    if p.peek_token().token != Token::EOF {
        return p.expected("the end of the statement", p.peek_token());
    }
    Ok((name, new_schema))
}

fn parser(statement: &Statement) -> Parser<'static> {
    static DIALECT: PostgreSqlDialect = PostgreSqlDialect {};
    // The fold runs on a large stack and `Statement::too_deep` bounds the
    // nesting before parsing: sqlparser's own limit (50) must not be the
    // lower one.
    Parser::new(&DIALECT)
        .with_recursion_limit(super::statements::MAX_NESTING * 4)
        .with_tokens_with_locations(statement.tokens.clone())
}

fn expect_end(ctx: &Ctx<'_, '_>, parser: &mut Parser<'_>) -> Fold<()> {
    let next = parser.peek_token();
    if next.token == Token::EOF {
        Ok(())
    } else {
        // The statement reads as complete up to here: what follows is a
        // form the DDL source does not read, or a mistake.
        Err(ctx
            .at(
                next.span,
                format!(
                    "cannot read the statement from `{}` on: what comes before reads as a whole statement",
                    next.token
                ),
            )
            .help(unsupported_help()))
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
            .help("create it (`CREATE TYPE`, `CREATE DOMAIN`) in an earlier statement, or check the spelling"),
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
    use super::tables::make_object_name;

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
