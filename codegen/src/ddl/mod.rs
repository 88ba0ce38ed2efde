//! The DDL source: migration files, parsed statement by statement with
//! sqlparser and folded in order into the model. No database needed.

mod expr;
mod fold;
mod statements;
mod types;
mod view;

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::error::{Error, SqlError};
use crate::layout::{Layout, Streams};
use crate::model::Section;
use fold::{Catalog, Source};
use statements::Kind;

/// A migration file's SQL with psql meta-commands and transaction control
/// blanked out, positions kept: what the migrator runs in its transaction.
#[must_use]
pub fn executable(text: &str) -> String {
    statements::executable(text)
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
            // in the order the migrations run.
            let mut files: Vec<(&std::ffi::OsStr, &str, &PathBuf)> = Vec::new();
            for dir in &dirs {
                for path in &dir.migrations {
                    files.push((path.file_name().unwrap_or_default(), &dir.name, path));
                }
            }
            files.sort();
            for (_, section, path) in files {
                let schema = settings.schema_of(section);
                fold_file(
                    &mut catalog,
                    path,
                    schema,
                    Some((section, schema)),
                    &mut errors,
                )?;
            }
            if !errors.is_empty() {
                return Err(Error::Sql(errors));
            }
            Ok(names
                .iter()
                .map(|name| {
                    let schema = settings.schema_of(name);
                    let mut section = catalog
                        .schemas
                        .remove(schema)
                        .unwrap_or_else(|| Section::new(*name, schema));
                    (*name).clone_into(&mut section.name);
                    section
                })
                .collect())
        }
        Streams::Shared(files) => {
            for path in files {
                fold_file(&mut catalog, path, "public", None, &mut errors)?;
            }
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
            names
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
                .collect()
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
    Ok(())
}

fn fold_file(
    catalog: &mut Catalog,
    path: &Path,
    default_schema: &str,
    owner: Option<(&str, &str)>,
    errors: &mut Vec<SqlError>,
) -> Result<(), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let source = Source {
        path,
        text: &text,
        default_schema,
        owner,
    };
    let statements = match statements::split(&text) {
        Ok(statements) => statements,
        Err((position, message)) => {
            errors.push(
                SqlError::new(
                    path,
                    &text,
                    position,
                    format!("cannot read this file: {message}"),
                )
                .help("close the string, quoted name or comment that starts here"),
            );
            return Ok(());
        }
    };
    for statement in &statements {
        match statements::classify(statement) {
            Kind::Skip => {}
            Kind::Model => {
                if let Err(e) = catalog.apply(&source, statement) {
                    errors.push(e);
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
    Ok(())
}
