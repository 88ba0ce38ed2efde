//! Per-section migrations of a sections folder on a live database: apply
//! pending `up` files, revert with `down` files, report status, create new
//! pairs.
//!
//! The files become [`pg_sections::migrate::Migration`]s (the text the
//! server runs and the checksum of the bytes), and the runtime applies them:
//! the migrations a build embeds in an application run through the same
//! code, with the same history tables, checksums, lock and messages.
//! Transaction control statements and psql meta-commands in the files are
//! left out (each file runs in a transaction of its own); line and column
//! of a server error refer to the file as written.

use std::path::{Path, PathBuf};

use pg_sections::migrate as runtime;
use postgres::Client;

use crate::ddl;
use crate::embed::{self, Embedded};
use crate::error::{Error, SqlError};
use crate::layout::{Layout, MigrationFile, Streams};

pub use crate::layout::SHARED_STREAM;
pub use pg_sections::migrate::{HISTORY_SCHEMA, Options, State, Status, checksum};

/// A migration file of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The section (or [`SHARED_STREAM`]).
    pub section: String,
    /// File name without `.up.sql` (`20250101_000000_create_core`).
    pub name: String,
    /// The `up` file.
    pub up: PathBuf,
    /// The `down` file, when there is one.
    pub down: Option<PathBuf>,
}

impl From<&Embedded> for Migration {
    fn from(m: &Embedded) -> Self {
        Self {
            section: m.section.clone(),
            name: m.name.clone(),
            up: m.file.clone(),
            down: m.down.clone(),
        }
    }
}

fn runnable(m: &Embedded) -> runtime::Migration {
    runtime::Migration {
        section: m.section.clone().into(),
        schema: m.schema.clone().into(),
        name: m.name.clone().into(),
        file: m.file.display().to_string().into(),
        checksum: m.checksum.clone().into(),
        sql: m.sql.clone().into(),
    }
}

/// The migration streams of a layout: `(section, migrations in order)`.
#[must_use]
pub fn streams(layout: &Layout) -> Vec<(String, Vec<Migration>)> {
    embed::streams(layout)
        .into_iter()
        .map(|(section, files)| {
            let migrations = files
                .iter()
                .map(|file: &MigrationFile| Migration {
                    section: section.to_owned(),
                    name: file.name.clone(),
                    up: file.up.clone(),
                    down: file.down.clone(),
                })
                .collect();
            (section.to_owned(), migrations)
        })
        .collect()
}

impl From<pg_sections::Error> for Error {
    fn from(e: pg_sections::Error) -> Self {
        match e {
            pg_sections::Error::Migration {
                section,
                file,
                message,
            } => Self::Migration {
                section,
                file: file.into(),
                message,
            },
            pg_sections::Error::MigrationsMissing { missing } => {
                let one = missing.len() == 1;
                Self::Layout {
                    message: format!(
                        "the database records {} applied migration{} whose file is gone: {}; nothing was applied\n  = help: check out the branch that has {}, or run again with `--ignore-missing` if {} deleted on purpose",
                        missing.len(),
                        if one { "" } else { "s" },
                        missing
                            .iter()
                            .map(|(section, name)| format!("`{name}` of section `{section}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if one { "the file" } else { "the files" },
                        if one { "it was" } else { "they were" },
                    ),
                }
            }
            pg_sections::Error::MigrationChanged { section, name } => Self::Layout {
                message: format!(
                    "migration `{name}` of section `{section}` was changed after it was applied; restore the file as it was and put the change in a new migration (`{}`)",
                    crate::command::suggest(&format!("new {section} <name>"))
                ),
            },
            other => Self::Database {
                message: other.to_string(),
            },
        }
    }
}

/// Says on standard error that the run waits for another one's lock.
fn waiting() {
    eprintln!(
        "waiting for another migration run on this database to finish (it holds the advisory lock {})",
        runtime::LOCK_KEY
    );
}

/// The state of every migration of `sections` (all when empty; then also
/// the history of sections whose folder is gone, as missing).
///
/// # Errors
/// The history cannot be read, or a file cannot be read.
pub fn status(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
) -> Result<Vec<Status>, Error> {
    let read = embed::read(
        selected(layout, sections)?,
        &crate::Settings::load(&layout.root)?,
    )?;
    let migrations = read.migrations.iter().map(runnable).collect();
    Ok(runtime::Migrations::new(migrations, sections.is_empty()).status(client)?)
}

/// Checks that every one of `sections` has migrations in `layout`, before
/// anything connects.
///
/// # Errors
/// The first section without migrations, naming those that have some.
pub fn check_sections(layout: &Layout, sections: &[String]) -> Result<(), Error> {
    selected(layout, sections).map(|_| ())
}

fn selected<'a>(
    layout: &'a Layout,
    sections: &[String],
) -> Result<Vec<(&'a str, &'a [MigrationFile])>, Error> {
    let all = embed::streams(layout);
    for wanted in sections {
        if !all.iter().any(|(s, _)| s == wanted) {
            return Err(Error::Usage {
                message: format!(
                    "no migrations for section `{wanted}`; the sections with migrations are: {}",
                    all.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    Ok(all
        .into_iter()
        .filter(|(s, _)| sections.is_empty() || sections.iter().any(|w| w == s))
        .collect())
}

/// Applies the pending migrations of `sections` (all when empty), in the
/// global file-name order, each in its own transaction, holding the
/// migration lock (saying so on standard error while another run holds
/// it). Returns what ran.
///
/// # Errors
/// A changed applied file or, unless `options` allow it, an applied
/// migration whose file is gone, or a pending file that cannot run (nothing
/// runs); or the first failing migration (rolled back; the ones before it
/// stay applied).
///
/// # Panics
/// Never: every migration the runner reports comes from a file read here.
pub fn up(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    // Every file is read before anything runs, so that a file that cannot
    // run stops the whole run, with every such error at once.
    let read = embed::read(
        selected(layout, sections)?,
        &crate::Settings::load(&layout.root)?,
    )?;
    let migrations = runtime::Migrations::new(
        read.migrations.iter().map(runnable).collect(),
        sections.is_empty(),
    );
    runtime::locked(client, waiting, |client| -> Result<Vec<Migration>, Error> {
        let pending = migrations.pending(client, options)?;
        let file_of = |m: &runtime::Migration| {
            read.migrations
                .iter()
                .position(|f| f.section == m.section && f.name == m.name)
                .expect("BUG: every runtime migration comes from a file")
        };
        let cannot_run: Vec<SqlError> = pending
            .iter()
            .filter_map(|m| {
                let i = file_of(m);
                read.errors
                    .iter()
                    .find(|(at, _)| *at == i)
                    .map(|(_, e)| e.clone())
            })
            .collect();
        if !cannot_run.is_empty() {
            return Err(Error::Sql(cannot_run));
        }
        let mut done = Vec::with_capacity(pending.len());
        let mut applied = Vec::with_capacity(pending.len());
        for m in pending {
            runtime::apply(client, m).map_err(|e| runtime::still_applied(e, &applied))?;
            applied.push(runtime::Applied {
                section: m.section.clone().into_owned(),
                name: m.name.clone().into_owned(),
            });
            done.push(Migration::from(&read.migrations[file_of(m)]));
        }
        Ok(done)
    })
}

/// Reverts the last `count` applied migrations of `section` with their
/// `.down.sql` files, newest first, holding the migration lock (saying so
/// on standard error while another run holds it). Returns
/// what was reverted.
///
/// # Errors
/// A missing down file (nothing runs), or the first failing one (rolled back).
///
/// # Panics
/// Never: the section is checked to have migrations first.
pub fn down(
    client: &mut Client,
    layout: &Layout,
    section: &str,
    count: usize,
) -> Result<Vec<Migration>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let (_, migrations) = selected(layout, &[section.to_owned()])?
        .into_iter()
        .next()
        .expect("BUG: selected checks the section exists");
    runtime::locked(client, waiting, |client| -> Result<Vec<Migration>, Error> {
        let history = runtime::applied(client, section)?;
        let mut targets = Vec::new();
        for (name, _, _) in history.iter().rev().take(count) {
            let m = migrations.iter().find(|m| m.name == *name).ok_or_else(|| Error::Layout {
                message: format!("migration `{name}` of section `{section}` is applied but its file is gone, so it cannot be reverted"),
            })?;
            let Some(down) = m.down.clone() else {
                return Err(Error::Layout {
                    message: format!(
                        "migration `{name}` of section `{section}` has no down file; write {} to revert it",
                        m.up.with_file_name(format!("{name}.down.sql")).display()
                    ),
                });
            };
            targets.push((m.clone(), down));
        }
        let delete = format!(
            "DELETE FROM {} WHERE name = $1",
            runtime::history_table(section)
        );
        for (m, down) in &targets {
            let text = ddl::read_sql(down)?.map_err(|e| Error::Sql(vec![e]))?;
            let sql = ddl::executable(&text)
                .map_err(|what| Error::Sql(vec![ddl::unrunnable_error(down, &text, &what)]))?;
            let path = down.display().to_string();
            let file = runtime::File {
                section,
                schema: embed::schema_of(section, &settings),
                path: &path,
                sql: &sql,
            };
            runtime::run_in_transaction(client, &file, |tx| {
                tx.execute(&delete, &[&m.name]).map(|_| ())
            })?;
        }
        Ok(targets
            .into_iter()
            .map(|(m, _)| Migration {
                section: section.to_owned(),
                name: m.name,
                up: m.up,
                down: m.down,
            })
            .collect())
    })
}

/// Creates `<timestamp>_<name>.up.sql` and `.down.sql` for `section`
/// (the shared stream in the shared layout), stamped with `now` (seconds
/// since the Unix epoch, UTC). Returns the two paths.
///
/// # Errors
/// A bad name, or the files cannot be written.
pub fn new(
    root: &Path,
    layout: Option<&Layout>,
    section: &str,
    name: &str,
    now: u64,
) -> Result<(PathBuf, PathBuf), Error> {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if slug.is_empty() {
        return Err(Error::Usage {
            message: format!(
                "`{name}` is not a usable migration name; use words like `add_stock_level`"
            ),
        });
    }
    let plain = !section.is_empty()
        && section != "."
        && section != ".."
        && section != "migrations"
        && !section.starts_with('.')
        && !section.contains(['/', '\\'])
        && !section.chars().any(char::is_control)
        && !root.join(section).is_file();
    if !plain {
        return Err(Error::Usage {
            message: format!(
                "`{section}` is not a section name; a section is a folder directly in `{}`, named like `vendor`",
                root.display()
            ),
        });
    }
    let shared = layout.is_some_and(|l| matches!(l.streams, Streams::Shared(_)));
    let dir = if shared {
        root.join("migrations")
    } else {
        root.join(section).join("migrations")
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let stem = format!("{}_{slug}", timestamp(now));
    let up = dir.join(format!("{stem}.up.sql"));
    let down = dir.join(format!("{stem}.down.sql"));
    if up.exists() || down.exists() {
        return Err(Error::Usage {
            message: format!(
                "{} already exists; wait a second and run it again, or pick another name",
                up.display()
            ),
        });
    }
    let schema_hint = if shared {
        "schema.table"
    } else {
        &format!("{section}.table")
    };
    std::fs::write(
        &up,
        format!("-- {stem}: {name}\n-- Schema-qualify every object ({schema_hint}).\n\n"),
    )
    .map_err(|e| Error::io(&up, e))?;
    std::fs::write(&down, format!("-- Reverts {stem}.\n\n")).map_err(|e| Error::io(&down, e))?;
    Ok((up, down))
}

/// `YYYYMMDD_HHMMSS` of a Unix time, UTC.
fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}_{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::timestamp;

    #[test]
    fn the_build_and_the_runtime_agree_on_checksums_and_the_history_schema() {
        for bytes in [&b""[..], b"CREATE SCHEMA core;\n", "é\u{0}".as_bytes()] {
            assert_eq!(
                crate::embed::checksum(bytes),
                pg_sections::migrate::checksum(bytes)
            );
        }
        assert_eq!(
            crate::layout::HISTORY_SCHEMA,
            pg_sections::migrate::HISTORY_SCHEMA
        );
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "19700101_000000");
        assert_eq!(timestamp(1_763_767_405), "20251121_232325");
        assert_eq!(timestamp(951_782_400), "20000229_000000");
    }
}
