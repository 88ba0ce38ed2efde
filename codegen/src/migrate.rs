//! Per-section migrations on a live database: apply pending `up` files,
//! revert with `down` files, report status, create new pairs.
//!
//! Each migration runs in its own transaction together with its row in the
//! section's history table (`sections_history."<section>"`: name, checksum,
//! applied at), so a failing migration leaves the database exactly as it
//! was. A file changed after it was applied is refused. Transaction control
//! statements and psql meta-commands in the files are left out (the file
//! already runs in a transaction); line and column of a server error refer
//! to the file as written.

use std::path::{Path, PathBuf};

use postgres::Client;

use crate::ddl;
use crate::error::Error;
use crate::layout::{Layout, MigrationFile, Streams};

pub use crate::layout::HISTORY_SCHEMA;

/// The name of the single stream of the shared layout.
pub const SHARED_STREAM: &str = "shared";

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

/// A migration's state in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Recorded as applied, file unchanged.
    Applied {
        /// When, as the server prints it.
        at: String,
    },
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since (checksum differs).
    Changed,
    /// Recorded as applied, but its file is gone.
    Missing,
}

/// One line of `codegen status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The section.
    pub section: String,
    /// The migration's name.
    pub name: String,
    /// Its state.
    pub state: State,
}

/// The migration streams of a layout: `(section, migrations in order)`.
#[must_use]
pub fn streams(layout: &Layout) -> Vec<(String, Vec<Migration>)> {
    let stream = |section: &str, files: &[MigrationFile]| {
        files
            .iter()
            .map(|file| Migration {
                section: section.to_owned(),
                name: file.name.clone(),
                up: file.up.clone(),
                down: file.down.clone(),
            })
            .collect::<Vec<_>>()
    };
    match &layout.streams {
        Streams::PerSection(dirs) => dirs
            .iter()
            .filter(|d| !d.migrations.is_empty())
            .map(|d| (d.name.clone(), stream(&d.name, &d.migrations)))
            .collect(),
        Streams::Shared(files) => vec![(SHARED_STREAM.to_owned(), stream(SHARED_STREAM, files))],
    }
}

/// FNV-1a, 64 bits, as hex: a change detector, not a security measure.
fn checksum(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn history_table(section: &str) -> String {
    format!("{HISTORY_SCHEMA}.\"{}\"", section.replace('"', "\"\""))
}

fn db_error(what: &str, e: &postgres::Error) -> Error {
    Error::Database {
        message: format!("{what}: {}", server_message(e)),
    }
}

fn server_message(e: &postgres::Error) -> String {
    e.as_db_error().map_or_else(
        || e.to_string(),
        |db| {
            let mut message = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                message.push_str(&format!(" ({detail})"));
            }
            message
        },
    )
}

fn ensure_history(client: &mut Client, section: &str) -> Result<(), Error> {
    let table = history_table(section);
    client
        .batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {HISTORY_SCHEMA};
             CREATE TABLE IF NOT EXISTS {table} (
                 name text PRIMARY KEY,
                 checksum text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now()
             );"
        ))
        .map_err(|e| db_error("cannot create the migration history table", &e))
}

/// `(name, checksum, applied at)` of the applied migrations of `section`,
/// by name.
fn applied(client: &mut Client, section: &str) -> Result<Vec<(String, String, String)>, Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[&history_table(section)],
        )
        .map_err(|e| db_error("cannot read the migration history", &e))?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            &format!(
                "SELECT name, checksum, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') \
                 FROM {} ORDER BY name",
                history_table(section)
            ),
            &[],
        )
        .map_err(|e| db_error("cannot read the migration history", &e))?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// The sections that have a history table.
fn recorded_sections(client: &mut Client) -> Result<Vec<String>, Error> {
    let rows = client
        .query(
            "SELECT c.relname::text FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1",
            &[&HISTORY_SCHEMA],
        )
        .map_err(|e| db_error("cannot read the migration history", &e))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
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
    let mut out = Vec::new();
    let streams = selected(layout, sections)?;
    if sections.is_empty() {
        // History of a section whose folder is gone: every row is missing.
        for gone in recorded_sections(client)? {
            if streams.iter().any(|(s, _)| *s == gone) {
                continue;
            }
            for (name, _, _) in applied(client, &gone)? {
                out.push(Status {
                    section: gone.clone(),
                    name,
                    state: State::Missing,
                });
            }
        }
    }
    for (section, migrations) in streams {
        let history = applied(client, &section)?;
        for m in &migrations {
            let text = std::fs::read(&m.up).map_err(|e| Error::io(&m.up, e))?;
            let state = match history.iter().find(|(name, _, _)| *name == m.name) {
                Some((_, sum, _)) if *sum != checksum(&text) => State::Changed,
                Some((_, _, at)) => State::Applied { at: at.clone() },
                None => State::Pending,
            };
            out.push(Status {
                section: section.clone(),
                name: m.name.clone(),
                state,
            });
        }
        for (name, _, _) in &history {
            if !migrations.iter().any(|m| m.name == *name) {
                out.push(Status {
                    section: section.clone(),
                    name: name.clone(),
                    state: State::Missing,
                });
            }
        }
    }
    Ok(out)
}

fn selected(layout: &Layout, sections: &[String]) -> Result<Vec<(String, Vec<Migration>)>, Error> {
    let all = streams(layout);
    for wanted in sections {
        if !all.iter().any(|(s, _)| s == wanted) {
            return Err(Error::Layout {
                message: format!(
                    "no migrations for section `{wanted}`; the sections with migrations are: {}",
                    all.iter()
                        .map(|(s, _)| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    Ok(all
        .into_iter()
        .filter(|(s, _)| sections.is_empty() || sections.contains(s))
        .collect())
}

/// How [`up`] treats a history that does not match the files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Apply pending migrations even when the history records migrations
    /// whose files are gone (`--ignore-missing`). Off by default: a missing
    /// file usually means a checkout that is behind the database.
    pub ignore_missing: bool,
}

impl Options {
    /// The defaults: refuse when an applied migration's file is gone.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Options::ignore_missing`].
    #[must_use]
    pub fn ignore_missing(mut self, on: bool) -> Self {
        self.ignore_missing = on;
        self
    }
}

/// Applies the pending migrations of `sections` (all when empty), in the
/// global file-name order, each in its own transaction. Returns what ran.
///
/// # Errors
/// A changed applied file or, unless `options` allow it, an applied
/// migration whose file is gone (nothing runs); or the first failing
/// migration (rolled back; the ones before it stay applied).
pub fn up(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    let states = status(client, layout, sections)?;
    let missing: Vec<&Status> = states
        .iter()
        .filter(|s| s.state == State::Missing)
        .collect();
    if !options.ignore_missing && !missing.is_empty() {
        return Err(Error::Database {
            message: format!(
                "the database records {} applied migration{} whose file is gone: {}; nothing was applied\n  = help: check out the branch that has {}, or run again with `--ignore-missing` if {} deleted on purpose",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|s| format!("`{}` of section `{}`", s.name, s.section))
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() == 1 {
                    "the file"
                } else {
                    "the files"
                },
                if missing.len() == 1 {
                    "it was"
                } else {
                    "they were"
                },
            ),
        });
    }
    if let Some(changed) = states.iter().find(|s| s.state == State::Changed) {
        return Err(Error::Database {
            message: format!(
                "migration `{}` of section `{}` was changed after it was applied; restore the file as it was and put the change in a new migration (`cargo run -p codegen -- new {} <name>`)",
                changed.name, changed.section, changed.section
            ),
        });
    }
    let mut pending: Vec<Migration> = selected(layout, sections)?
        .into_iter()
        .flat_map(|(_, ms)| ms)
        .filter(|m| {
            states
                .iter()
                .any(|s| s.section == m.section && s.name == m.name && s.state == State::Pending)
        })
        .collect();
    pending.sort_by(|a, b| (&a.name, &a.section).cmp(&(&b.name, &b.section)));
    // Read every pending file before applying any, so that a file that is
    // not SQL text (or ends in a whole-transaction ROLLBACK) stops the run
    // before it changes anything, with every such error at once.
    let mut texts = Vec::with_capacity(pending.len());
    let mut errors = Vec::new();
    for m in &pending {
        // The checksum is of the bytes on disk, as `status` computes it.
        let bytes = std::fs::read(&m.up).map_err(|e| Error::io(&m.up, e))?;
        let sum = checksum(&bytes);
        match ddl::sql_text(&m.up, &bytes) {
            Ok(text) => {
                if let Err(what) = ddl::executable(&text) {
                    errors.push(ddl::unrunnable_error(&m.up, &text, &what));
                }
                texts.push((text, sum));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Sql(errors));
    }
    for (m, (text, sum)) in pending.iter().zip(&texts) {
        ensure_history(client, &m.section)?;
        run(client, &m.section, &m.up, text, |tx| {
            tx.execute(
                &format!(
                    "INSERT INTO {} (name, checksum) VALUES ($1, $2)",
                    history_table(&m.section)
                ),
                &[&m.name, sum],
            )
            .map(|_| ())
        })?;
    }
    Ok(pending)
}

/// Reverts the last `count` applied migrations of `section` with their
/// `.down.sql` files, newest first. Returns what was reverted.
///
/// # Errors
/// A missing down file (nothing runs), or the first failing one (rolled back).
pub fn down(
    client: &mut Client,
    layout: &Layout,
    section: &str,
    count: usize,
) -> Result<Vec<Migration>, Error> {
    let (_, migrations) = selected(layout, &[section.to_owned()])?
        .into_iter()
        .next()
        .expect("selected checks the section exists");
    let history = applied(client, section)?;
    let mut targets = Vec::new();
    for (name, _, _) in history.iter().rev().take(count) {
        let m = migrations.iter().find(|m| m.name == *name).ok_or_else(|| Error::Database {
            message: format!("migration `{name}` of section `{section}` is applied but its file is gone, so it cannot be reverted"),
        })?;
        let Some(down) = m.down.clone() else {
            return Err(Error::Database {
                message: format!(
                    "migration `{name}` of section `{section}` has no down file; write {} to revert it",
                    m.up.with_file_name(format!("{name}.down.sql")).display()
                ),
            });
        };
        targets.push((m.clone(), down));
    }
    for (m, down) in &targets {
        let text = ddl::read_sql(down)?.map_err(|e| Error::Sql(vec![e]))?;
        run(client, section, down, &text, |tx| {
            tx.execute(
                &format!("DELETE FROM {} WHERE name = $1", history_table(section)),
                &[&m.name],
            )
            .map(|_| ())
        })?;
    }
    Ok(targets.into_iter().map(|(m, _)| m).collect())
}

/// Runs `text` and `record` in one transaction; on failure rolls back and
/// reports the file, line and column the server points at.
fn run(
    client: &mut Client,
    section: &str,
    file: &Path,
    text: &str,
    record: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<(), postgres::Error>,
) -> Result<(), Error> {
    let sql = ddl::executable(text)
        .map_err(|what| Error::Sql(vec![ddl::unrunnable_error(file, text, &what)]))?;
    let mut tx = client
        .transaction()
        .map_err(|e| db_error("cannot start a transaction", &e))?;
    let result = tx.batch_execute(&sql).and_then(|()| record(&mut tx));
    match result {
        Ok(()) => tx.commit().map_err(|e| Error::Migration {
            section: section.to_owned(),
            file: file.to_path_buf(),
            message: server_message(&e),
        }),
        Err(e) => {
            // Dropping the transaction rolls it back.
            drop(tx);
            let mut message = server_message(&e);
            if let Some(db) = e.as_db_error()
                && let Some(postgres::error::ErrorPosition::Original(position)) = db.position()
            {
                let (line, column) = line_column(&sql, *position as usize);
                message = format!("{message} at {}:{line}:{column}", file.display());
            }
            Err(Error::Migration {
                section: section.to_owned(),
                file: file.to_path_buf(),
                message,
            })
        }
    }
}

/// 1-based line and column of the 1-based character `position` in `text`.
fn line_column(text: &str, position: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for c in text.chars().take(position.saturating_sub(1)) {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
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
        return Err(Error::Layout {
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
        return Err(Error::Layout {
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
        return Err(Error::Layout {
            message: format!("{} already exists", up.display()),
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
    use super::{checksum, line_column, timestamp};

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "19700101_000000");
        assert_eq!(timestamp(1_763_767_405), "20251121_232325");
        assert_eq!(timestamp(951_782_400), "20000229_000000");
    }

    #[test]
    fn checksums_change_with_the_text() {
        assert_ne!(checksum(b"a"), checksum(b"b"));
        assert_eq!(checksum(b""), "cbf29ce484222325");
    }

    #[test]
    fn positions_become_lines_and_columns() {
        assert_eq!(line_column("ab\ncd", 4), (2, 1));
        assert_eq!(line_column("ab\ncd", 1), (1, 1));
    }
}
