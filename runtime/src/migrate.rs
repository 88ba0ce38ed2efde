//! Per-section migrations on a live database: which are applied, which are
//! pending, and applying the pending ones.
//!
//! One implementation serves the `cargo sections migrate` command and the
//! migrations a build script embeds in an application
//! ([`include_migrations!`](crate::include_migrations)): the same history
//! tables, checksums, lock and messages.
//!
//! Each section records its applied migrations in its own history table,
//! `sections_history."<section>"` (name, checksum, applied at). Each
//! migration runs in its own transaction together with its history row, so a
//! failing migration leaves the database exactly as it was. A run holds a
//! session advisory lock, so two processes starting at once (two replicas of
//! a service, say) apply each migration once: the second waits, then finds
//! nothing pending.
//!
//! ```no_run
//! use pg_sections::migrate::{Migration, Migrations};
//!
//! // What `pg_sections::include_migrations!()` builds from the files.
//! static LIST: [Migration; 1] = [Migration::embedded(
//!     "core",
//!     "core",
//!     "20250101_000000_create_core",
//!     "sections/core/migrations/20250101_000000_create_core.up.sql",
//!     "5d3c5a0f2b8e4c11",
//!     "CREATE SCHEMA core;",
//! )];
//! static MIGRATIONS: Migrations = Migrations::embedded(&LIST);
//!
//! # fn main() -> pg_sections::Result<()> {
//! let conn = pg_sections::blocking::Connection::connect("postgres://localhost/app")?;
//! for applied in conn.migrate(&MIGRATIONS)? {
//!     println!("applied {} of section {}", applied.name, applied.section);
//! }
//! # Ok(())
//! # }
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use postgres::Client;

use crate::error::{Error, Result};

/// The schema that holds one history table per section.
pub const HISTORY_SCHEMA: &str = "sections_history";

/// The key of the session advisory lock a run holds (the bytes of
/// `PgSectio`), the same for every process and tool.
pub const LOCK_KEY: i64 = 0x5067_5365_6374_696f;

/// One migration of a section: the SQL to run and the checksum of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The section (its history table's name).
    pub section: Cow<'static, str>,
    /// The schema unqualified names in the file resolve to: the section's
    /// schema (`public` for a shared migration stream). It leads the
    /// `search_path` while the migration runs, as the DDL source reads it.
    pub schema: Cow<'static, str>,
    /// The file name without `.up.sql` (`20250101_000000_create_core`).
    pub name: Cow<'static, str>,
    /// The file, as messages show it (`sections/core/migrations/…up.sql`).
    pub file: Cow<'static, str>,
    /// [`checksum`] of the file's bytes.
    pub checksum: Cow<'static, str>,
    /// What runs: the file's text with transaction control and psql
    /// meta-commands blanked out, every other character where it was, so
    /// the server's error positions are the file's lines and columns.
    pub sql: Cow<'static, str>,
}

impl Migration {
    /// A migration whose strings live in the binary (what
    /// [`include_migrations!`](crate::include_migrations) builds).
    #[must_use]
    pub const fn embedded(
        section: &'static str,
        schema: &'static str,
        name: &'static str,
        file: &'static str,
        checksum: &'static str,
        sql: &'static str,
    ) -> Self {
        Self {
            section: Cow::Borrowed(section),
            schema: Cow::Borrowed(schema),
            name: Cow::Borrowed(name),
            file: Cow::Borrowed(file),
            checksum: Cow::Borrowed(checksum),
            sql: Cow::Borrowed(sql),
        }
    }
}

/// FNV-1a, 64 bits, as 16 hex digits: a change detector, not a security
/// measure. The history records it for every applied file.
#[must_use]
pub fn checksum(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A migration's state in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Recorded as applied, file unchanged.
    Applied {
        /// When, in UTC (`YYYY-MM-DD HH:MM:SS`).
        at: String,
    },
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since (its checksum differs).
    Changed,
    /// Recorded as applied, but not among the migrations given.
    Missing,
}

/// One migration and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The section.
    pub section: String,
    /// The migration's name.
    pub name: String,
    /// Its state.
    pub state: State,
}

/// A migration that [`Migrations::run`] applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The section.
    pub section: String,
    /// The migration's name.
    pub name: String,
}

/// How [`Migrations::run_with`] treats a history that does not match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Apply pending migrations even when the history records migrations
    /// that are not among those given. Off by default: that usually means
    /// a binary (or a checkout) older than the database.
    pub ignore_missing: bool,
}

impl Options {
    /// The defaults: refuse when an applied migration is unknown.
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

/// The migrations of a set of sections, in the order they apply (by name,
/// then section).
#[derive(Debug, Clone)]
pub struct Migrations {
    migrations: Cow<'static, [Migration]>,
    every_section: bool,
}

impl Migrations {
    /// Migrations embedded in the binary, in order, covering every section
    /// of the crate (what [`include_migrations!`](crate::include_migrations)
    /// builds): the history of any other section counts as missing.
    #[must_use]
    pub const fn embedded(migrations: &'static [Migration]) -> Self {
        Self {
            migrations: Cow::Borrowed(migrations),
            every_section: true,
        }
    }

    /// Migrations embedded in the binary, in order, of the sections a crate
    /// generates when it generates only some (hard mode: one crate per
    /// section, `codegen::Config::sections`): the other sections' history
    /// belongs to the crates that embed them, so it is never missing here.
    #[must_use]
    pub const fn embedded_subset(migrations: &'static [Migration]) -> Self {
        Self {
            migrations: Cow::Borrowed(migrations),
            every_section: false,
        }
    }

    /// Migrations built at run time, sorted here into the order they apply.
    /// `every_section`: they cover every section of the application, so
    /// the history of any other section counts as missing; otherwise only
    /// the sections present are compared with their history.
    #[must_use]
    pub fn new(mut migrations: Vec<Migration>, every_section: bool) -> Self {
        migrations.sort_by(|a, b| (&a.name, &a.section).cmp(&(&b.name, &b.section)));
        Self {
            migrations: Cow::Owned(migrations),
            every_section,
        }
    }

    /// The migrations, in the order they apply.
    pub fn iter(&self) -> std::slice::Iter<'_, Migration> {
        self.migrations.iter()
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }

    /// The sections, each once, in name order.
    fn sections(&self) -> Vec<&str> {
        let mut sections: Vec<&str> = self.migrations.iter().map(|m| &*m.section).collect();
        sections.sort_unstable();
        sections.dedup();
        sections
    }

    /// The state of every migration, section by section, then the applied
    /// ones that are missing.
    ///
    /// # Errors
    /// The history cannot be read.
    pub fn status(&self, client: &mut Client) -> Result<Vec<Status>> {
        let mut out = Vec::new();
        if self.every_section {
            for gone in recorded_sections(client)? {
                if self.sections().contains(&gone.as_str()) {
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
        for section in self.sections() {
            let history = applied(client, section)?;
            let mine = || self.migrations.iter().filter(move |m| m.section == section);
            for m in mine() {
                let state = match history.iter().find(|(name, _, _)| *name == *m.name) {
                    Some((_, sum, _)) if *sum != *m.checksum => State::Changed,
                    Some((_, _, at)) => State::Applied { at: at.clone() },
                    None => State::Pending,
                };
                out.push(Status {
                    section: section.to_owned(),
                    name: m.name.clone().into_owned(),
                    state,
                });
            }
            for (name, _, _) in &history {
                if !mine().any(|m| m.name == *name) {
                    out.push(Status {
                        section: section.to_owned(),
                        name: name.clone(),
                        state: State::Missing,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The migrations not applied yet, in the order they apply, after
    /// checking that the history matches: no applied migration changed, and
    /// none missing unless `options` allow it.
    ///
    /// # Errors
    /// [`Error::MigrationChanged`], [`Error::MigrationsMissing`], or the
    /// history cannot be read.
    pub fn pending(&self, client: &mut Client, options: &Options) -> Result<Vec<&Migration>> {
        let states = self.status(client)?;
        let missing: Vec<(String, String)> = states
            .iter()
            .filter(|s| s.state == State::Missing)
            .map(|s| (s.section.clone(), s.name.clone()))
            .collect();
        if !options.ignore_missing && !missing.is_empty() {
            return Err(Error::MigrationsMissing { missing });
        }
        if let Some(changed) = states.iter().find(|s| s.state == State::Changed) {
            return Err(Error::MigrationChanged {
                section: changed.section.clone(),
                name: changed.name.clone(),
            });
        }
        Ok(self
            .migrations
            .iter()
            .filter(|m| {
                states.iter().any(|s| {
                    s.section == m.section && s.name == m.name && s.state == State::Pending
                })
            })
            .collect())
    }

    /// Applies the pending migrations with the default [`Options`].
    ///
    /// # Errors
    /// As [`Migrations::run_with`].
    pub fn run(&self, client: &mut Client) -> Result<Vec<Applied>> {
        self.run_with(client, &Options::new())
    }

    /// Applies the pending migrations in order, each in its own transaction
    /// with its history row, holding the advisory lock [`LOCK_KEY`] for the
    /// whole run. Returns what ran.
    ///
    /// # Errors
    /// A mismatched history (nothing runs: see [`Migrations::pending`]), or
    /// the first failing migration ([`Error::Migration`]: it is rolled back,
    /// the ones before it stay applied).
    pub fn run_with(&self, client: &mut Client, options: &Options) -> Result<Vec<Applied>> {
        locked(
            client,
            || {},
            |client| {
                let pending = self.pending(client, options)?;
                let mut done = Vec::with_capacity(pending.len());
                for m in pending {
                    apply(client, m).map_err(|e| still_applied(e, &done))?;
                    done.push(Applied {
                        section: m.section.clone().into_owned(),
                        name: m.name.clone().into_owned(),
                    });
                }
                Ok(done)
            },
        )
    }
}

impl<'a> IntoIterator for &'a Migrations {
    type Item = &'a Migration;
    type IntoIter = std::slice::Iter<'a, Migration>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Runs `work` holding the session advisory lock [`LOCK_KEY`], and
/// releases it whatever `work` returns. When another session holds it,
/// calls `waiting` (to say so), then waits for it.
///
/// # Errors
/// The lock cannot be taken or released, or what `work` returns.
pub fn locked<T, E: From<Error>>(
    client: &mut Client,
    waiting: impl FnOnce(),
    work: impl FnOnce(&mut Client) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let taken: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
        .map_err(|e| history_error("cannot take the migration lock", &e))?
        .get(0);
    if !taken {
        waiting();
        client
            .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
            .map_err(|e| history_error("cannot take the migration lock", &e))?;
    }
    let result = work(client);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]);
    match (result, unlocked) {
        (Ok(value), Ok(_)) => Ok(value),
        (Err(e), _) => Err(e),
        (Ok(_), Err(e)) => Err(history_error("cannot release the migration lock", &e).into()),
    }
}

/// `error` of a failed migration, saying which migrations of the same run
/// ran before it and stay applied.
#[must_use]
pub fn still_applied(error: Error, before: &[Applied]) -> Error {
    match error {
        Error::Migration {
            section,
            file,
            mut message,
        } if !before.is_empty() => {
            let _ = write!(
                message,
                "\n  = note: the {} migration{} before it in this run stay{} applied: {}",
                before.len(),
                if before.len() == 1 { "" } else { "s" },
                if before.len() == 1 { "s" } else { "" },
                before
                    .iter()
                    .map(|a| format!("`{}` of section `{}`", a.name, a.section))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Error::Migration {
                section,
                file,
                message,
            }
        }
        other => other,
    }
}

/// `sections_history."<section>"`.
#[must_use]
pub fn history_table(section: &str) -> String {
    format!("{HISTORY_SCHEMA}.\"{}\"", section.replace('"', "\"\""))
}

/// The server's words for `e`: severity, message, detail.
#[must_use]
pub fn server_message(e: &postgres::Error) -> String {
    e.as_db_error().map_or_else(
        || e.to_string(),
        |db| {
            let mut message = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                let _ = write!(message, " ({detail})");
            }
            message
        },
    )
}

fn history_error(what: &str, e: &postgres::Error) -> Error {
    Error::MigrationHistory {
        message: format!("{what}: {}", server_message(e)),
    }
}

/// Creates the history schema and `section`'s table when they do not exist.
///
/// # Errors
/// The server refuses.
pub fn ensure_history(client: &mut Client, section: &str) -> Result<()> {
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
        .map_err(|e| history_error("cannot create the migration history table", &e))
}

/// `(name, checksum, applied at)` of the applied migrations of `section`,
/// by name; none when it has no history table.
///
/// # Errors
/// The history cannot be read.
pub fn applied(client: &mut Client, section: &str) -> Result<Vec<(String, String, String)>> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[&history_table(section)],
        )
        .map_err(|e| history_error("cannot read the migration history", &e))?
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
        .map_err(|e| history_error("cannot read the migration history", &e))?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// The sections that have a history table.
fn recorded_sections(client: &mut Client) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT c.relname::text FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1",
            &[&HISTORY_SCHEMA],
        )
        .map_err(|e| history_error("cannot read the migration history", &e))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Applies one migration and records it, in one transaction.
///
/// # Errors
/// [`Error::Migration`] (rolled back), or the history table cannot be made.
pub fn apply(client: &mut Client, m: &Migration) -> Result<()> {
    ensure_history(client, &m.section)?;
    let insert = format!(
        "INSERT INTO {} (name, checksum) VALUES ($1, $2)",
        history_table(&m.section)
    );
    let file = File {
        section: &m.section,
        schema: &m.schema,
        path: &m.file,
        sql: &m.sql,
    };
    run_in_transaction(client, &file, |tx| {
        tx.execute(&insert, &[&m.name, &m.checksum]).map(|_| ())
    })
}

/// A migration file to run: what [`run_in_transaction`] needs.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    /// The section.
    pub section: &'a str,
    /// The schema that leads the `search_path` while it runs.
    pub schema: &'a str,
    /// The file, as messages show it.
    pub path: &'a str,
    /// Its executable text.
    pub sql: &'a str,
}

/// Runs `file` and `record` in one transaction, with `search_path` set to
/// the file's schema and `public` for that transaction; on failure rolls
/// back and names the file, line and column the server points at. Either
/// way the session's settings are reset afterwards (`RESET ALL`), so a
/// `SET` in a migration reaches neither the next migration nor the
/// application.
///
/// # Errors
/// [`Error::Migration`], or the transaction cannot start.
pub fn run_in_transaction(
    client: &mut Client,
    file: &File<'_>,
    record: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error>,
) -> Result<()> {
    let result = run_and_record(client, file, record);
    let reset = client
        .batch_execute("RESET ALL")
        .map_err(|e| history_error("cannot reset the session after a migration", &e));
    result.and(reset)
}

fn run_and_record(
    client: &mut Client,
    file: &File<'_>,
    record: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error>,
) -> Result<()> {
    let File {
        section,
        schema,
        path: file,
        sql,
    } = *file;
    let mut tx = client
        .transaction()
        .map_err(|e| history_error("cannot start a transaction", &e))?;
    let search_path = format!("\"{}\", public", schema.replace('"', "\"\""));
    tx.execute(
        "SELECT pg_catalog.set_config('search_path', $1, true)",
        &[&search_path],
    )
    .map_err(|e| history_error("cannot set the migration's search_path", &e))?;
    let result = tx.batch_execute(sql).and_then(|()| record(&mut tx));
    let failed = |message: String| Error::Migration {
        section: section.to_owned(),
        file: file.to_owned(),
        message,
    };
    match result {
        Ok(()) => tx.commit().map_err(|e| failed(server_message(&e))),
        Err(e) => {
            // Dropping the transaction rolls it back.
            drop(tx);
            let mut message = server_message(&e);
            if let Some(db) = e.as_db_error()
                && let Some(postgres::error::ErrorPosition::Original(position)) = db.position()
            {
                let (line, column) = line_column(sql, *position as usize);
                let _ = write!(message, " at {file}:{line}:{column}");
            }
            Err(failed(message))
        }
    }
}

/// 1-based line and column of the 1-based character `position` in `text`.
pub(crate) fn line_column(text: &str, position: usize) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use super::{LOCK_KEY, checksum, line_column};

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

    #[test]
    fn the_lock_key_is_stable() {
        // Changing it would let an old and a new binary migrate at once.
        assert_eq!(LOCK_KEY, 0x5067_5365_6374_696f);
    }
}
