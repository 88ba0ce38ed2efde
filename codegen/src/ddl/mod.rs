//! The DDL source: migration files, parsed statement by statement with
//! sqlparser and folded in order into the model. No database needed.

mod builtins;
mod constant;
mod deparse;
mod expr;
mod fold;
mod lexer;
mod resolve;
mod statements;
mod types;
mod view;

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::error::{Error, SqlError};
use crate::layout::{Layout, Streams};
use crate::model::{Section, UserType};
use fold::{Catalog, Source};
pub(crate) use statements::qualified_name;
use statements::{Control, Kind};
pub use statements::{NO_TRANSACTION, Runnable, Unrunnable};

/// A migration file as the migrator runs it: its text with psql
/// meta-commands (and, in a transaction, the statements that begin or end
/// one) blanked out, positions kept; where each statement is; whether it
/// runs in a transaction. Savepoints stay.
///
/// # Errors
/// A `ROLLBACK`/`ABORT` of the whole transaction, which would undo the
/// migration's own work; a psql meta-command that changes what runs;
/// transaction control in a file that runs without a transaction; a
/// misplaced or unknown `-- pg-sections:` directive.
pub fn runnable(text: &str) -> Result<Runnable, Unrunnable> {
    statements::runnable(text)
}

/// An identifier as PostgreSQL's `quote_identifier` writes it: quoted only
/// when it must be.
pub(crate) fn quote_identifier(name: &str) -> String {
    expr::ident(name)
}

/// The sequence a `serial` column `column` of `schema.table` owns, as its
/// default names it (`nextval('…'::regclass)`, quotes doubled).
pub(crate) fn serial_sequence(schema: &str, table: &str, column: &str) -> String {
    fold::serial_sequence(schema, table, column)
}

/// Reads every section of `layout` from its migrations.
///
/// # Errors
/// All SQL errors of all files at once, or a configuration error.
pub fn read(layout: &Layout, settings: &Settings) -> Result<Vec<Section>, Error> {
    read_except(layout, settings, &[])
}

/// Reads the sections of `layout` from their migrations, except `live`
/// (sections read elsewhere, which settings may name too).
///
/// # Errors
/// All SQL errors of all files at once, or a configuration error.
pub fn read_except(
    layout: &Layout,
    settings: &Settings,
    live: &[String],
) -> Result<Vec<Section>, Error> {
    read_noting(layout, settings, live, None)
}

/// [`read_except`], noting in `runnables` each file's runnable form as it
/// is split, for the embedded migrations: each file is tokenized once.
///
/// # Errors
/// As [`read_except`].
pub(crate) fn read_noting(
    layout: &Layout,
    settings: &Settings,
    live: &[String],
    runnables: Option<&Runnables>,
) -> Result<Vec<Section>, Error> {
    // sqlparser's tree and the fold recurse on the depth of an expression
    // (`1+1+…` is as deep as it is long), in debug builds with large frames:
    // fold on a thread whose stack fits the deepest statement
    // `statements::MAX_NESTING` lets through, whatever thread called us.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("pg-sections ddl".to_owned())
            .stack_size(FOLD_STACK)
            .spawn_scoped(scope, || fold_all(layout, settings, live, runnables))
            .map_err(|e| Error::io("a thread for the DDL source", e))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The stack of the folding thread: address space, committed only as used.
const FOLD_STACK: usize = 256 * 1024 * 1024;

fn fold_all(
    layout: &Layout,
    settings: &Settings,
    live: &[String],
    runnables: Option<&Runnables>,
) -> Result<Vec<Section>, Error> {
    let mut catalog = Catalog::default();
    catalog
        .schemas
        .insert("public".to_owned(), Section::new("public", "public"));
    let mut errors = Vec::new();
    match &layout.streams {
        Streams::PerSection(dirs) => {
            let dirs: Vec<_> = dirs.iter().filter(|d| !live.contains(&d.name)).collect();
            let names: Vec<&str> = dirs.iter().map(|d| d.name.as_str()).collect();
            check_settings_sections(settings, &names, live)?;
            let mut schemas = std::collections::BTreeMap::new();
            for name in &names {
                let schema = settings.schema_of(name);
                if let Some(other) = schemas.insert(schema, *name) {
                    return Err(settings.error(format!(
                        "sections `{other}` and `{name}` both use schema `{schema}`; give each section its own schema"
                    )));
                }
            }
            // All streams in one timeline, so cross-section foreign keys resolve
            // in the order the migrator runs them: by migration name, then section.
            let mut files: Vec<(&str, &str, &PathBuf)> = Vec::new();
            for dir in &dirs {
                for m in &dir.migrations {
                    files.push((&m.name, &dir.name, &m.up));
                }
            }
            files.sort();
            let schemas: std::collections::BTreeMap<String, String> = names
                .iter()
                .copied()
                .chain(live.iter().map(String::as_str))
                .map(|name| (settings.schema_of(name).to_owned(), name.to_owned()))
                .collect();
            let families: std::collections::BTreeMap<&str, Family> = names
                .iter()
                .map(|name| {
                    let mut family = Family::of(settings, name);
                    family.sections.clone_from(&schemas);
                    (*name, family)
                })
                .collect();
            let paths: Vec<&Path> = files.iter().map(|(_, _, path)| path.as_path()).collect();
            each_prepared(&paths, runnables, |i, path, prepared| {
                let section = files[i].1;
                let schema = settings.schema_of(section);
                fold_file(
                    &mut catalog,
                    path,
                    prepared,
                    schema,
                    Some((section, schema)),
                    &families[section],
                    &mut errors,
                );
            })?;
            if !errors.is_empty() {
                return Err(Error::Sql(errors));
            }
            let sections = names
                .iter()
                .map(|name| {
                    let schema = settings.schema_of(name);
                    let mut section = catalog
                        .schemas
                        .get(schema)
                        .cloned()
                        .unwrap_or_else(|| Section::new(*name, schema));
                    (*name).clone_into(&mut section.name);
                    section
                })
                .collect();
            let all: Vec<&str> = names
                .iter()
                .copied()
                .chain(live.iter().map(String::as_str))
                .collect();
            Ok(with_outside(sections, &catalog, settings, &all))
        }
        Streams::Shared(files) => {
            let none = Family::default();
            catalog.untyped_views = live
                .iter()
                .map(|name| settings.schema_of(name).to_owned())
                .collect();
            let paths: Vec<&Path> = files.iter().map(|m| m.up.as_path()).collect();
            each_prepared(&paths, runnables, |_, path, prepared| {
                fold_file(
                    &mut catalog,
                    path,
                    prepared,
                    "public",
                    None,
                    &none,
                    &mut errors,
                );
            })?;
            if !errors.is_empty() {
                return Err(Error::Sql(errors));
            }
            let names: Vec<String> = match &settings.sections {
                Some(listed) => listed
                    .iter()
                    .filter(|n| !live.contains(n))
                    .cloned()
                    .collect(),
                None => catalog
                    .schemas
                    .keys()
                    .filter(|s| *s != "public" && !live.contains(s))
                    .cloned()
                    .collect(),
            };
            let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
            check_settings_sections(settings, &name_refs, live)?;
            let mut names = names;
            names.sort();
            let sections = names
                .iter()
                .map(|name| {
                    let schema = settings.schema_of(name);
                    let mut section = catalog.schemas.get(schema).cloned().ok_or_else(|| {
                        settings.error(format!(
                            "section `{name}` uses schema `{schema}`, which the migrations in `{}` never create",
                            layout.root.join("migrations").display()
                        ))
                    })?;
                    section.name.clone_from(name);
                    Ok(section)
                })
                .collect::<Result<_, Error>>()?;
            let all: Vec<&str> = names.iter().chain(live).map(String::as_str).collect();
            Ok(with_outside(sections, &catalog, settings, &all))
        }
    }
}

/// `sections` with the enums and domains they use from schemas that are no
/// section of `all` (section names), as `catalog` holds them.
fn with_outside(
    mut sections: Vec<Section>,
    catalog: &Catalog,
    settings: &Settings,
    all: &[&str],
) -> Vec<Section> {
    let schemas: std::collections::BTreeSet<&str> =
        all.iter().map(|name| settings.schema_of(name)).collect();
    for section in &mut sections {
        section.outside = section.outside_types(
            |schema| schemas.contains(schema),
            |schema, name| {
                let owner = catalog.schemas.get(schema)?;
                owner
                    .enums
                    .get(name)
                    .cloned()
                    .map(UserType::Enum)
                    .or_else(|| owner.domains.get(name).cloned().map(UserType::Domain))
            },
        );
    }
    sections
}

/// A section's overlays and bases, by schema.
#[derive(Default)]
struct Family {
    /// The schemas of the sections that extend it, with their names.
    overlays: std::collections::BTreeMap<String, String>,
    /// The schemas of the sections it extends.
    bases: Vec<String>,
    /// Every section's schema, with its name.
    sections: std::collections::BTreeMap<String, String>,
}

impl Family {
    fn of(settings: &Settings, section: &str) -> Self {
        Self {
            overlays: crate::overlay::overlays(settings, section)
                .into_iter()
                .map(|o| (settings.schema_of(o).to_owned(), o.to_owned()))
                .collect(),
            bases: crate::overlay::bases(settings, section)
                .into_iter()
                .map(|b| settings.schema_of(b).to_owned())
                .collect(),
            sections: std::collections::BTreeMap::new(),
        }
    }
}

fn check_settings_sections(
    settings: &Settings,
    names: &[&str],
    live: &[String],
) -> Result<(), Error> {
    for configured in settings.section.keys() {
        if !names.contains(&configured.as_str()) && !live.contains(configured) {
            let mut all: Vec<&str> = names.to_vec();
            all.extend(live.iter().map(String::as_str));
            all.sort_unstable();
            return Err(settings.error(format!(
                "`[section.{configured}]` names no section; the sections are: {}",
                all.join(", ")
            )));
        }
    }
    let mut all: Vec<&str> = names.to_vec();
    all.extend(live.iter().map(String::as_str));
    crate::overlay::validate(settings, &all)
}

/// The `search_path` of a file: the one a `SET` gave, and the one a `SET
/// LOCAL` inside an explicit transaction replaced, restored when that
/// transaction ends.
#[derive(Default, Clone)]
struct SearchPath {
    path: Vec<String>,
    before_local: Option<Vec<String>>,
}

impl SearchPath {
    /// Follows a `SET` of the `search_path`: `false` for another statement.
    fn set(&mut self, statement: &statements::Statement) -> bool {
        let Some(path) = statement.search_path() else {
            return false;
        };
        let local = statement.leading_words(2).get(1).map(String::as_str) == Some("LOCAL")
            || statement.sets_config_locally();
        if local && self.before_local.is_none() {
            self.before_local = Some(self.path.clone());
        }
        self.path = path;
        true
    }

    /// Transaction control: its end undoes a `SET LOCAL`.
    fn transaction(&mut self, statement: &statements::Statement) {
        if matches!(
            statement.leading_words(1).first().map(String::as_str),
            Some("COMMIT" | "END" | "ROLLBACK" | "ABORT")
        ) && let Some(saved) = self.before_local.take()
        {
            self.path = saved;
        }
    }
}

/// A `DO` block whose body can change the schema.
/// A statement the DDL source refuses before classifying it: a `DO` block
/// that can change the schema, a schema renamed, strings read with
/// backslash escapes.
fn refused(path: &Path, text: &str, statement: &statements::Statement) -> Option<SqlError> {
    if let Some(words) = statement.schema_changing_do() {
        return Some(schema_changing_do(path, text, statement, &words));
    }
    let words = statement.leading_words(2);
    if words.iter().map(String::as_str).eq(["ALTER", "SCHEMA"])
        && statement.word_after_name(2).as_deref() == Some("RENAME")
    {
        let start = statement.start();
        return Some(
            SqlError::new(
                path,
                text,
                crate::error::Position { width: 12, ..start },
                "`ALTER SCHEMA … RENAME TO` is not followed by the DDL source: every name in every schema would move with it",
            )
            .help("create the new schema and move the tables and types into it (`ALTER TABLE … SET SCHEMA`), or let the server read this section (`source = \"shadow\"`)"),
        );
    }
    statement.backslash_strings().then(|| {
        let start = statement.start();
        SqlError::new(
            path,
            text,
            crate::error::Position { width: 3, ..start },
            "`standard_conforming_strings` off makes a backslash in '…' an escape, which the DDL source does not read",
        )
        .help("keep it on (the default since PostgreSQL 9.1) and write escapes as E'…' strings")
    })
}

fn schema_changing_do(
    path: &Path,
    text: &str,
    statement: &statements::Statement,
    words: &str,
) -> SqlError {
    let start = statement.start();
    SqlError::new(
        path,
        text,
        crate::error::Position { width: 2, ..start },
        format!("this `DO` block can change the schema (`{words}` in its body), which the DDL source cannot follow"),
    )
    .help("write the change as plain SQL statements (each migration runs once, so `IF NOT EXISTS` guards are not needed), or let the server read the section: from its migrations applied to a throwaway database (`source = \"shadow\"`) or from the live one (`source = \"live\"`)")
}

/// A migration file read, lexed and split into statements: what the fold
/// of a file needs before it touches the catalog.
struct Prepared {
    text: String,
    lexed: lexer::Lexed,
    statements: Result<Vec<statements::Statement>, (crate::Position, String)>,
}

impl Prepared {
    /// `path` read and split, or the SQL error that its bytes are not SQL text.
    fn read(path: &Path) -> Result<Result<Self, SqlError>, Error> {
        Ok(read_sql(path)?.map(|text| {
            let lexed = lexer::lex(&text);
            let statements = statements::split_lexed(&lexed);
            Prepared {
                text,
                lexed,
                statements,
            }
        }))
    }
}

/// The runnable form of each file the DDL source split, by path, with
/// the checksum of the text it was split from: what the embedded
/// migrations take instead of lexing and tokenizing the file again.
#[derive(Debug, Default)]
pub(crate) struct Runnables(std::sync::Mutex<std::collections::HashMap<PathBuf, Noted>>);

/// A file's checksum and runnable form; a runnable text that is the
/// file's own (nothing blanked) is not kept twice: `take` has the text.
type Noted = (String, Result<Runnable, Unrunnable>, bool);

impl Runnables {
    fn note(&self, path: &Path, prepared: &Prepared) {
        let mut runnable =
            statements::runnable_split(&prepared.lexed, prepared.statements.as_deref().ok());
        let own_text = runnable.as_ref().is_ok_and(|r| r.sql == prepared.text);
        if own_text && let Ok(r) = &mut runnable {
            r.sql = String::new();
        }
        let checksum = crate::embed::checksum(prepared.text.as_bytes());
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned(), (checksum, runnable, own_text));
    }

    /// The runnable form of the file at `path`, when it was split from
    /// `text` (a file changed since is split again).
    pub(crate) fn take(&self, path: &Path, text: &str) -> Option<Result<Runnable, Unrunnable>> {
        let (checksum, mut runnable, own_text) = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(path)?;
        if checksum != crate::embed::checksum(text.as_bytes()) {
            return None;
        }
        if own_text && let Ok(r) = &mut runnable {
            text.clone_into(&mut r.sql);
        }
        Some(runnable)
    }
}

/// Calls `fold` with each of `paths` prepared, in order, on this thread,
/// while the next file is read, lexed, split and noted on a second one
/// (the fold is the longer half: preparing goes off the critical path).
/// The hand-over is a rendezvous: at most the file being folded and the
/// one prepared after it are alive, so memory stays that of two files.
fn each_prepared(
    paths: &[&Path],
    runnables: Option<&Runnables>,
    mut fold: impl FnMut(usize, &Path, Result<Prepared, SqlError>),
) -> Result<(), Error> {
    let prepare = |path: &Path| {
        let prepared = Prepared::read(path)?;
        if let (Some(runnables), Ok(prepared)) = (runnables, &prepared) {
            runnables.note(path, prepared);
        }
        Ok::<_, Error>(prepared)
    };
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(0);
        let reader = std::thread::Builder::new()
            .name("pg-sections ddl reader".to_owned())
            .spawn_scoped(scope, move || {
                for path in paths {
                    let prepared = prepare(path);
                    let failed = prepared.is_err();
                    // The fold stopped (an I/O error of its own): so do we.
                    if send.send(prepared).is_err() || failed {
                        break;
                    }
                }
            })
            .map_err(|e| Error::io("a thread for the DDL source", e))?;
        for (i, path) in paths.iter().enumerate() {
            let Ok(prepared) = receive.recv() else {
                // The reader sends every file or stops at an error, which
                // ends this loop first: it ended early only by panicking.
                let panic = reader
                    .join()
                    .expect_err("the reader ends early only by panicking");
                std::panic::resume_unwind(panic);
            };
            fold(i, path, prepared?);
        }
        Ok(())
    })
}

fn fold_file(
    catalog: &mut Catalog,
    path: &Path,
    prepared: Result<Prepared, SqlError>,
    default_schema: &str,
    owner: Option<(&str, &str)>,
    family: &Family,
    errors: &mut Vec<SqlError>,
) {
    let (text, lexed, statements) = match prepared {
        Ok(p) => (p.text, p.lexed, p.statements),
        Err(e) => return errors.push(e),
    };
    // `SET search_path` changes where the rest of the file creates.
    let mut search_path = SearchPath::default();
    let statements = match statements {
        Ok(statements) => statements,
        Err((position, message)) => {
            let help = if message.contains("NUL") {
                "remove the escape; for binary data use a `bytea` literal such as '\\x00'::bytea"
            } else {
                "close the string, quoted name, body or comment that starts here"
            };
            errors.push(
                SqlError::new(
                    path,
                    &text,
                    position,
                    format!("cannot read this file: {message}"),
                )
                .help(help),
            );
            return;
        }
    };
    for (at, name) in statements::unrunnable_meta_commands(&lexed) {
        errors.push(unrunnable_error(
            path,
            &text,
            &Unrunnable::MetaCommand(at, name),
        ));
    }
    if let Some(e) = nul_in_string(path, &text, &statements) {
        errors.push(e);
        return;
    }
    // `SAVEPOINT` snapshots the catalog and the `search_path`; `ROLLBACK
    // TO` restores them, as the server undoes what ran since.
    let mut savepoints: Vec<(String, Catalog, SearchPath)> = Vec::new();
    // The objects statements that failed would have made.
    let mut failed: Vec<String> = Vec::new();
    for statement in &statements {
        match statement.control() {
            Some(Control::Transaction) => {
                search_path.transaction(statement);
                continue;
            }
            Some(Control::Savepoint(name)) => {
                savepoints.push((name, catalog.clone(), search_path.clone()));
                continue;
            }
            Some(Control::RollbackTo(name)) => {
                if !to_savepoint(&mut savepoints, (catalog, &mut search_path), &name, true) {
                    errors.push(missing_savepoint(
                        path,
                        &text,
                        statement,
                        &name,
                        "ROLLBACK TO",
                    ));
                }
                continue;
            }
            Some(Control::Release(name)) => {
                if !to_savepoint(&mut savepoints, (catalog, &mut search_path), &name, false) {
                    errors.push(missing_savepoint(path, &text, statement, &name, "RELEASE"));
                }
                continue;
            }
            Some(Control::Rollback) => {
                errors.push(unrunnable_error(
                    path,
                    &text,
                    &Unrunnable::Rollback(statement.start()),
                ));
                continue;
            }
            None => {}
        }
        if search_path.set(statement) {
            continue;
        }
        // The first schema of the path that exists now.
        let current_schema = catalog.creation_schema(&search_path.path, default_schema);
        let lookup = fold::lookup_path(&search_path.path, default_schema);
        let source = Source {
            path,
            text: &text,
            default_schema: &current_schema,
            search_path: &lookup,
            owner,
            overlays: &family.overlays,
            bases: &family.bases,
            sections: &family.sections,
        };
        if let Some(e) = names_an_overlay(&source, statement) {
            errors.push(e);
            continue;
        }
        if let Some(e) = refused(path, &text, statement) {
            errors.push(e);
            // What the block would have made is missing from what follows:
            // one error, not one more for each statement naming it.
            failed.extend(do_block_creates(statement, &current_schema));
            continue;
        }
        match statements::classify(statement) {
            Kind::Skip => {
                if let Some(e) = attached_elsewhere(catalog, &source, statement)
                    .or_else(|| in_another_section(&source, statement))
                {
                    errors.push(e);
                }
                catalog.note_function(statement, &current_schema, &lookup);
            }
            Kind::Model => {
                if let Some(at) = statement.too_deep() {
                    errors.push(
                        SqlError::new(
                            path,
                            &text,
                            at,
                            format!(
                                "this expression nests deeper than the DDL source reads ({} levels of operators, parentheses or array brackets)",
                                statements::MAX_NESTING
                            ),
                        )
                        .help("split the expression (a view over a view, a function), or read this section from the live database (`source = \"live\"`)"),
                    );
                } else if let Err(e) = catalog.apply(&source, statement) {
                    failure(e, statement, &current_schema, &mut failed, errors);
                }
            }
            Kind::Unsupported => {
                let start = statement.start();
                let words = statement.leading_text(2);
                errors.push(
                    SqlError::new(
                        path,
                        &text,
                        crate::error::Position {
                            width: u64::try_from(words.trim().chars().count()).unwrap_or(1).max(1),
                            ..start
                        },
                        format!("`{}` is not a statement the DDL source understands", words.trim()),
                    )
                    .help("if it changes tables, views or types, rewrite it with supported DDL (see the README under \"Supported DDL\"); if it does not, please report it so it can be skipped"),
                );
            }
        }
    }
}

/// A statement failed with `error`: what it would have made is missing
/// from every later statement that names it, which makes one error, not
/// one per statement.
fn failure(
    error: SqlError,
    statement: &statements::Statement,
    current_schema: &str,
    failed: &mut Vec<String>,
    errors: &mut Vec<SqlError>,
) {
    if !is_cascade(&error, failed) {
        errors.push(error);
    }
    if let Some(parts) = statement.created_name() {
        let schema_itself = statement.leading_words(2).get(1).map(String::as_str) == Some("SCHEMA");
        match parts.as_slice() {
            [name] if schema_itself => failed.push(name.clone()),
            [name] => failed.push(format!("{current_schema}.{name}")),
            [.., schema, name] => failed.push(format!("{schema}.{name}")),
            [] => {}
        }
    }
}

/// The qualified names of what a refused `DO` block would have created.
fn do_block_creates(statement: &statements::Statement, current_schema: &str) -> Vec<String> {
    statement
        .do_block_creates()
        .into_iter()
        .filter_map(|parts| match parts.as_slice() {
            [name] => Some(format!("{current_schema}.{name}")),
            [.., schema, name] => Some(format!("{schema}.{name}")),
            [] => None,
        })
        .collect()
}

/// Whether `error` only says that an object a failed statement would have
/// made does not exist.
fn is_cascade(error: &SqlError, failed: &[String]) -> bool {
    let missing =
        error.message.contains("does not exist") || error.message.contains("is not partitioned");
    missing
        && failed
            .iter()
            .any(|name| error.message.contains(&format!("`{name}`")))
}

/// A statement of a base's file that names an object of one of its
/// overlays (`team_d.project`, `nextval('team_d.seq')`), whatever kind of
/// statement it is (a view's subquery, a trigger's function, an index's
/// expression): an error at that name.
fn names_an_overlay(source: &Source<'_>, statement: &statements::Statement) -> Option<SqlError> {
    if source.overlays.is_empty() {
        return None;
    }
    let (at, schema, object) = statement.names_in(|schema| source.overlays.contains_key(schema))?;
    let (section, _) = source.owner.unwrap_or_default();
    Some(
        SqlError::new(
            source.path,
            source.text,
            at,
            format!(
                "this statement names `{schema}.{object}` of section `{}`, which extends `{section}`: a base never depends on its overlays",
                source.overlays[&schema]
            ),
        )
        .help("move this statement into the overlay's migrations, or promote what it uses into this section first"),
    )
}

/// In the per-section layout, an index, trigger, policy or rule that a
/// section's file attaches to another schema's table: the section would
/// change how another section's table behaves.
fn attached_elsewhere(
    catalog: &Catalog,
    source: &Source<'_>,
    statement: &statements::Statement,
) -> Option<SqlError> {
    let (section, own) = source.owner?;
    let (what, at, parts) = statement.attached_to()?;
    let (schema, table) = match parts.as_slice() {
        [table] => (
            catalog.relation_schema(table, source.search_path),
            table.as_str(),
        ),
        [.., schema, table] => (schema.clone(), table.as_str()),
        [] => return None,
    };
    (schema != own).then(|| {
        SqlError::new(
            source.path,
            source.text,
            at,
            format!(
                "section `{section}` attaches {what} to `{schema}.{table}`, a table of schema `{schema}`, which is not its own schema `{own}`"
            ),
        )
        .help(format!(
            "each section's migrations may only create, alter or drop objects on its own tables; move this statement to the migrations of the section for `{schema}`"
        ))
    })
}

/// In the per-section layout, a function, sequence, index or the like that
/// a section's file creates, alters or drops in another section's schema
/// (the model holds none of them, so the fold's own check never sees them).
fn in_another_section(source: &Source<'_>, statement: &statements::Statement) -> Option<SqlError> {
    let (section, own) = source.owner?;
    let (what, at, parts) = statement.skipped_target()?;
    let [.., schema, object] = parts.as_slice() else {
        return None;
    };
    let other = source.sections.get(schema).filter(|_| schema != own)?;
    Some(
        SqlError::new(
            source.path,
            source.text,
            at,
            format!(
                "section `{section}` acts on {what} `{schema}.{object}`, in the schema of section `{other}`"
            ),
        )
        .help(format!(
            "each section's migrations may only create, alter or drop objects in its own schema `{own}`; move this statement to `{other}`'s migrations"
        )),
    )
}

/// `ROLLBACK TO SAVEPOINT name` (`rollback`: the catalog goes back to what
/// it was at the savepoint, which stays) or `RELEASE SAVEPOINT name` (it
/// ends, with the savepoints after it). False when there is no such
/// savepoint.
fn to_savepoint(
    savepoints: &mut Vec<(String, Catalog, SearchPath)>,
    (catalog, search_path): (&mut Catalog, &mut SearchPath),
    name: &str,
    rollback: bool,
) -> bool {
    let Some(i) = savepoints.iter().rposition(|(n, _, _)| n == name) else {
        return false;
    };
    if rollback {
        savepoints.truncate(i + 1);
        catalog.clone_from(&savepoints[i].1);
        search_path.clone_from(&savepoints[i].2);
    } else {
        savepoints.truncate(i);
    }
    true
}

fn missing_savepoint(
    path: &Path,
    text: &str,
    statement: &statements::Statement,
    name: &str,
    verb: &str,
) -> SqlError {
    SqlError::new(
        path,
        text,
        statement.start(),
        format!("savepoint `{name}` does not exist"),
    )
    .help(format!(
        "a `{verb} SAVEPOINT` needs a `SAVEPOINT` of that name earlier in the same file"
    ))
}

/// Reads a migration file as PostgreSQL would take it: UTF-8, a leading
/// byte-order mark dropped, no NUL character.
///
/// # Errors
/// The outer error when the file cannot be read at all; the inner one,
/// with line and column, when its content is not SQL text the server takes.
pub(crate) fn read_sql(path: &Path) -> Result<Result<String, SqlError>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(sql_text(path, &bytes))
}

/// The SQL text of `path`'s `bytes`, as [`read_sql`] reads it.
///
/// # Errors
/// With line and column, when the bytes are not SQL text the server takes.
pub(crate) fn sql_text(path: &Path, bytes: &[u8]) -> Result<String, SqlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes);
            return Err(SqlError::new(
                path,
                &lossy,
                position_after(&String::from_utf8_lossy(&bytes[..offset])),
                format!(
                    "this file is not valid UTF-8: byte 0x{:02X} at byte offset {offset}",
                    bytes[offset]
                ),
            )
            .help("save the file as UTF-8 (PostgreSQL reads SQL in the database's encoding, UTF-8 here)"));
        }
    };
    if let Some(index) = text.find('\0') {
        return Err(SqlError::new(
            path,
            text,
            position_after(&text[..index]),
            "this file holds a NUL character (U+0000), which PostgreSQL does not accept in SQL",
        )
        .help(
            "remove it; a file with NUL bytes is usually not a text file, or was saved as UTF-16",
        ));
    }
    Ok(text.to_owned())
}

/// The position of the character that follows `before`.
fn position_after(before: &str) -> crate::error::Position {
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    crate::error::Position {
        line: u64::try_from(line).unwrap_or(u64::MAX),
        column: u64::try_from(column).unwrap_or(u64::MAX),
        width: 1,
    }
}

/// A string literal whose escapes spell a NUL character (`E'\\0'`,
/// `U&'\\0000'`): PostgreSQL refuses it, so the DDL source does too.
fn nul_in_string(
    path: &Path,
    text: &str,
    statements: &[statements::Statement],
) -> Option<SqlError> {
    use sqlparser::tokenizer::Token;
    statements
        .iter()
        .flat_map(|s| &s.tokens)
        .find(|t| match &t.token {
            Token::EscapedStringLiteral(v)
            | Token::UnicodeStringLiteral(v)
            | Token::SingleQuotedString(v)
            | Token::DollarQuotedString(sqlparser::ast::DollarQuotedString { value: v, .. }) => {
                v.contains('\0')
            }
            _ => false,
        })
        .map(|t| {
            SqlError::new(
                path,
                text,
                statements::span_position(t.span),
                "this string holds a NUL character (U+0000), which PostgreSQL does not accept in text",
            )
            .help("remove the `\\0`/`\\000`/`\\x00`/`\\u0000` escape; for binary data use a `bytea` literal such as '\\x00'::bytea")
        })
}

/// What cannot run as the file means it, as an error at its position.
pub(crate) fn unrunnable_error(path: &Path, text: &str, what: &Unrunnable) -> SqlError {
    match what {
        Unrunnable::Rollback(at) => SqlError::new(
            path,
            text,
            crate::error::Position { width: 8, ..*at },
            "this `ROLLBACK` would undo the migration's own work",
        )
        .help("each migration file runs in a transaction of its own; to try something and undo it, use `SAVEPOINT name` and `ROLLBACK TO SAVEPOINT name`"),
        Unrunnable::MetaCommand(at, name) if name == "." => SqlError::new(
            path,
            text,
            *at,
            "`\\.` ends the rows of a `COPY … FROM STDIN`, which only psql sends; the migrator runs SQL, not psql",
        )
        .help("write the rows as `INSERT INTO … VALUES (…), (…)`"),
        Unrunnable::CopyFromStdin(at) => SqlError::new(
            path,
            text,
            *at,
            "`COPY … FROM STDIN` and `COPY … TO STDOUT` exchange rows with psql, which the migrator is not",
        )
        .help("write the rows as `INSERT INTO … VALUES (…), (…)`; export data with psql, not in a migration or seed"),
        Unrunnable::MetaCommand(at, name) => SqlError::new(
            path,
            text,
            *at,
            format!("the psql meta-command `\\{name}` changes what runs, and the migrator runs SQL, not psql"),
        )
        .help("write what it does as SQL in this file (inline an included file, drop a `\\connect`, resolve an `\\if`); `\\set`, `\\echo` and the like are ignored"),
        Unrunnable::ControlWithoutTransaction(at, keyword) => SqlError::new(
            path,
            text,
            *at,
            format!(
                "this file runs without a transaction (its first line says `{NO_TRANSACTION}`), so `{keyword}` has none to act on"
            ),
        )
        .help("each statement of such a file commits as it ends; put the statements that belong together in a migration of their own, which runs in a transaction"),
        Unrunnable::Directive(at, what) => SqlError::new(path, text, *at, what.clone())
            .help(format!("the one directive is `{NO_TRANSACTION}`, as the file's first line: the file then runs statement by statement outside a transaction")),
    }
}
