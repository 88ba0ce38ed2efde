//! Per-section migrations on a live database: which are applied, which are
//! pending, and applying the pending ones.
//!
//! One implementation serves the `cargo sections migrate` command and the
//! migrations a build script embeds in an application
//! ([`include_migrations!`](crate::include_migrations)): the same history
//! tables, checksums, lock and messages.
//!
//! Each section records its applied migrations in its own history table,
//! `sections_history."<section>"` (name, checksum, applied at, by which
//! role and application). Each migration runs in its own transaction
//! together with its history row, so a failing migration leaves the
//! database exactly as it was; a file whose first line is `-- pg-sections:
//! no-transaction` runs statement by statement instead, and is recorded
//! once all succeeded. A run holds a session advisory lock, so two
//! processes starting at once (two replicas of a service, say) apply each
//! migration once: the second waits (at most [`Options::lock_wait`]), then
//! finds nothing pending. A pending migration older than an applied one is
//! refused unless [`Options::allow_out_of_order`]. The sections' seeds
//! ([`crate::seed`]) travel with the migrations and take the same lock.
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
//!     &[std::ops::Range { start: 0, end: 19 }],
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
use std::ops::Range;
use std::time::Duration;

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
    /// Where each statement of `sql` starts and ends (byte offsets, in
    /// order, each with its semicolon): they run one by one, so an error
    /// the server gives no position still names its statement's line.
    /// Empty: `sql` runs as one batch.
    pub statements: Cow<'static, [Range<usize>]>,
    /// Whether the file runs in a transaction of its own (the default).
    /// A file whose first line is `-- pg-sections: no-transaction` runs
    /// statement by statement outside any transaction (`CREATE INDEX
    /// CONCURRENTLY`, `ALTER TYPE … ADD VALUE` then a use of the value,
    /// `VACUUM`) and is recorded once all of them succeeded.
    pub transaction: bool,
}

impl Migration {
    /// A migration whose strings live in the binary (what
    /// [`include_migrations!`](crate::include_migrations) builds), run in
    /// a transaction of its own.
    #[must_use]
    pub const fn embedded(
        section: &'static str,
        schema: &'static str,
        name: &'static str,
        file: &'static str,
        checksum: &'static str,
        sql: &'static str,
        statements: &'static [Range<usize>],
    ) -> Self {
        Self {
            section: Cow::Borrowed(section),
            schema: Cow::Borrowed(schema),
            name: Cow::Borrowed(name),
            file: Cow::Borrowed(file),
            checksum: Cow::Borrowed(checksum),
            sql: Cow::Borrowed(sql),
            statements: Cow::Borrowed(statements),
            transaction: true,
        }
    }

    /// The same migration run outside a transaction, statement by
    /// statement (see [`Migration::transaction`]).
    #[must_use]
    pub const fn without_transaction(mut self) -> Self {
        self.transaction = false;
        self
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
    /// Not applied yet, and older than a migration that is (by name, then
    /// section: the one timeline of every section given): applying it
    /// would run it out of order, which [`Options::allow_out_of_order`]
    /// allows.
    OutOfOrder {
        /// The newest applied migration's section.
        section: String,
        /// Its name.
        name: String,
    },
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Apply pending migrations even when the history records migrations
    /// that are not among those given. Off by default: that usually means
    /// a binary (or a checkout) older than the database.
    pub ignore_missing: bool,
    /// Apply pending migrations older than the newest applied one (a
    /// branch merged after a newer migration went out), in name order
    /// after it. Off by default (Flyway's `outOfOrder`): such a file was
    /// written against a schema without the newer migration, and runs
    /// against one with it.
    pub allow_out_of_order: bool,
    /// How long to wait for another run's lock before giving up (nothing
    /// runs then); `None`: as long as it takes. [`LOCK_WAIT`] by default.
    pub lock_wait: Option<Duration>,
}

impl Options {
    /// The defaults: refuse when an applied migration is unknown, and when
    /// a pending one is older than an applied one.
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

    /// Sets [`Options::lock_wait`].
    #[must_use]
    pub fn lock_wait(mut self, wait: Option<Duration>) -> Self {
        self.lock_wait = wait;
        self
    }

    /// Sets [`Options::allow_out_of_order`].
    #[must_use]
    pub fn allow_out_of_order(mut self, on: bool) -> Self {
        self.allow_out_of_order = on;
        self
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            ignore_missing: false,
            allow_out_of_order: false,
            lock_wait: Some(LOCK_WAIT),
        }
    }
}

/// The migrations of a set of sections, in the order they apply (by name,
/// then section).
#[derive(Debug, Clone)]
pub struct Migrations {
    list: Cow<'static, [Migration]>,
    every_section: bool,
    /// The sections' seeds, in the order they apply (see [`crate::seed`]).
    seeds: &'static [Migration],
}

impl Migrations {
    /// Migrations embedded in the binary, in order, covering every section
    /// of the crate (what [`include_migrations!`](crate::include_migrations)
    /// builds): the history of any other section counts as missing.
    #[must_use]
    pub const fn embedded(migrations: &'static [Migration]) -> Self {
        Self {
            list: Cow::Borrowed(migrations),
            every_section: true,
            seeds: &[],
        }
    }

    /// Migrations embedded in the binary, in order, of the sections a crate
    /// generates when it generates only some (hard mode: one crate per
    /// section, `codegen::Config::sections`): the other sections' history
    /// belongs to the crates that embed them, so it is never missing here.
    #[must_use]
    pub const fn embedded_subset(migrations: &'static [Migration]) -> Self {
        Self {
            list: Cow::Borrowed(migrations),
            every_section: false,
            seeds: &[],
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
            list: Cow::Owned(migrations),
            every_section,
            seeds: &[],
        }
    }

    /// The same migrations with the sections' seeds (`seeds/*.sql`, what
    /// [`include_migrations!`](crate::include_migrations) embeds), in the
    /// order they apply (a base's before its overlays', then by name and
    /// section).
    #[must_use]
    pub const fn with_seeds(mut self, seeds: &'static [Migration]) -> Self {
        self.seeds = seeds;
        self
    }

    /// The seeds, in the order they apply.
    #[must_use]
    pub fn seeds(&self) -> &[Migration] {
        self.seeds
    }

    /// Applies the seeds that are new or whose file changed since they
    /// ran, once every migration is applied, each in its own transaction
    /// with its record (see [`crate::seed`]), holding the migration lock.
    ///
    /// # Errors
    /// [`Error::SeedsBeforeMigrations`] while a migration is pending
    /// (nothing is seeded); [`Error::Seed`] for the first seed that fails
    /// (rolled back; the ones before it stay applied).
    pub fn seed(&self, client: &mut Client) -> Result<Vec<crate::seed::Seeded>> {
        crate::seed::run(
            client,
            self.seeds,
            Some(LOCK_WAIT),
            |_| {},
            |client| self.pending_before_seeds(client),
        )
    }

    /// The migrations seeds must wait for: the pending ones, whatever their
    /// order or the history of files that are gone (`` `name` of section
    /// `section` ``).
    ///
    /// # Errors
    /// The history cannot be read, or an applied file changed.
    pub fn pending_before_seeds(&self, client: &mut Client) -> Result<Vec<String>> {
        Ok(self
            .pending(
                client,
                &Options::new().allow_out_of_order(true).ignore_missing(true),
            )?
            .into_iter()
            .map(|m| format!("`{}` of section `{}`", m.name, m.section))
            .collect())
    }

    /// The migrations, in the order they apply.
    pub fn iter(&self) -> std::slice::Iter<'_, Migration> {
        self.list.iter()
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The sections, each once, in name order.
    fn sections(&self) -> Vec<&str> {
        let mut sections: Vec<&str> = self.list.iter().map(|m| &*m.section).collect();
        sections.sort_unstable();
        sections.dedup();
        sections
    }

    /// The state of every migration, section by section, then the applied
    /// ones that are missing. A pending migration older than the newest
    /// applied one of all these sections is [`State::OutOfOrder`].
    ///
    /// # Errors
    /// The history cannot be read.
    pub fn status(&self, client: &mut Client) -> Result<Vec<Status>> {
        let mut out = self.recorded_status(client)?;
        let newest = out
            .iter()
            .filter(|s| !matches!(s.state, State::Pending))
            .map(|s| (s.name.clone(), s.section.clone()))
            .max();
        if let Some((name, section)) = newest {
            for status in &mut out {
                if status.state == State::Pending
                    && (&status.name, &status.section) < (&name, &section)
                {
                    status.state = State::OutOfOrder {
                        section: section.clone(),
                        name: name.clone(),
                    };
                }
            }
        }
        Ok(out)
    }

    /// [`Migrations::status`] before out-of-order migrations are told
    /// apart.
    fn recorded_status(&self, client: &mut Client) -> Result<Vec<Status>> {
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
            let mine = || self.list.iter().filter(move |m| m.section == section);
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
    /// checking that the history matches: no applied migration changed,
    /// none missing and none pending older than an applied one, unless
    /// `options` allow it.
    ///
    /// # Errors
    /// [`Error::MigrationChanged`], [`Error::MigrationsMissing`],
    /// [`Error::MigrationOutOfOrder`], or the history cannot be read.
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
        let file_of = |section: &str, name: &str| {
            self.list
                .iter()
                .find(|m| m.section == section && m.name == name)
                .map(|m| m.file.clone().into_owned())
        };
        if !options.allow_out_of_order
            && let Some((older, (section, name))) = states.iter().find_map(|s| match &s.state {
                State::OutOfOrder { section, name } => Some((s, (section, name))),
                _ => None,
            })
        {
            return Err(Error::MigrationOutOfOrder(Box::new(OutOfOrder {
                file: file_of(&older.section, &older.name).unwrap_or_default(),
                section: older.section.clone(),
                name: older.name.clone(),
                newer_file: file_of(section, name),
                newer_section: section.clone(),
                newer_name: name.clone(),
            })));
        }
        Ok(self
            .list
            .iter()
            .filter(|m| {
                states.iter().any(|s| {
                    s.section == m.section
                        && s.name == m.name
                        && matches!(s.state, State::Pending | State::OutOfOrder { .. })
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
            options.lock_wait,
            |_| {},
            |client| {
                let pending = self.pending(client, options)?;
                let mut done = Vec::with_capacity(pending.len());
                for m in pending {
                    apply(client, m).map_err(|e| still_applied(e, &done))?;
                    lock_still_held(client, &m.section, &m.file)?;
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

/// How long a run waits for another one's lock by default.
pub const LOCK_WAIT: Duration = Duration::from_mins(5);

/// The session that holds the migration lock, as `pg_stat_activity` shows
/// it to this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// Its server process id (what `pg_terminate_backend` takes).
    pub pid: i32,
    /// Its role, when this session may see it.
    pub user: Option<String>,
    /// Its `application_name`, when set.
    pub application: Option<String>,
    /// Where it connected from (`local socket` for a Unix socket), when
    /// this session may see it.
    pub client: Option<String>,
    /// When it connected, in UTC.
    pub since: Option<String>,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "server process {}", self.pid)?;
        let mut said = Vec::new();
        if let Some(user) = &self.user {
            said.push(format!("role `{user}`"));
        }
        if let Some(application) = &self.application {
            said.push(format!("application `{application}`"));
        }
        if let Some(client) = &self.client {
            said.push(format!("from {client}"));
        }
        if let Some(since) = &self.since {
            said.push(format!("connected at {since} UTC"));
        }
        if !said.is_empty() {
            write!(f, " ({})", said.join(", "))?;
        }
        Ok(())
    }
}

/// Who holds the migration lock on this database, if anyone does.
///
/// # Errors
/// The server's activity views cannot be read.
pub fn lock_holder(client: &mut Client) -> Result<Option<LockHolder>> {
    let row = client
        .query_opt(
            "SELECT a.pid, a.usename::text, nullif(a.application_name, ''), \
                    CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr) \
                         WHEN a.client_port = -1 THEN 'local socket' END, \
                    to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') \
             FROM pg_catalog.pg_locks l \
             JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
               AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) \
               AND l.classid = ($1::bigint >> 32)::oid \
               AND l.objid = ($1::bigint & 4294967295)::oid \
               AND l.pid <> pg_backend_pid() \
             LIMIT 1",
            &[&LOCK_KEY],
        )
        .map_err(|e| history_error("cannot read who holds the migration lock", &e))?;
    Ok(row.map(|r| LockHolder {
        pid: r.get(0),
        user: r.get(1),
        application: r.get(2),
        client: r.get(3),
        since: r.get(4),
    }))
}

/// Runs `work` holding the session advisory lock [`LOCK_KEY`], and
/// releases it whatever `work` returns. When another session holds it,
/// calls `waiting` with who that is (to say so), then waits for it, at
/// most `wait` (`None`: as long as it takes).
///
/// # Errors
/// [`Error::MigrationLocked`] when the wait ends first (nothing ran), the
/// lock cannot be taken or released, or what `work` returns.
pub fn locked<T, E: From<Error>>(
    client: &mut Client,
    wait: Option<Duration>,
    waiting: impl FnOnce(Option<&LockHolder>),
    work: impl FnOnce(&mut Client) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let taken: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
        .map_err(|e| history_error("cannot take the migration lock", &e))?
        .get(0);
    if !taken {
        let holder = lock_holder(client)?;
        waiting(holder.as_ref());
        wait_for_lock(client, wait, holder)?;
    }
    let result = work(client);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]);
    match (result, unlocked) {
        (Ok(value), Ok(_)) => Ok(value),
        (Err(e), _) => Err(e),
        (Ok(_), Err(e)) => Err(history_error("cannot release the migration lock", &e).into()),
    }
}

/// Checks that this session still holds the migration lock, after a file
/// ran: a file can release it (`pg_advisory_unlock_all()`, `DISCARD ALL`),
/// and another run would then apply the same migrations at once.
///
/// # Errors
/// [`Error::MigrationHistory`] when it is gone (the run stops), or the
/// server cannot say.
pub fn lock_still_held(client: &mut Client, section: &str, file: &str) -> Result<()> {
    let held: bool = client
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_locks \
             WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid = pg_backend_pid() \
               AND classid = ($1::bigint >> 32)::oid AND objid = ($1::bigint & 4294967295)::oid)",
            &[&LOCK_KEY],
        )
        .map_err(|e| history_error("cannot check the migration lock", &e))?
        .get(0);
    if held {
        Ok(())
    } else {
        Err(Error::MigrationHistory {
            message: format!(
                "{file} of section `{section}` released the run's migration lock (`pg_advisory_unlock_all()`, `DISCARD ALL`, …); the file ran to its end and is recorded, and the run stopped there so that no other run changes the database at the same time\n  = help: take that statement out of the file, then run again"
            ),
        })
    }
}

/// Asks for the lock again and again, at most `wait`, idle in between.
///
/// Not `pg_advisory_lock`, which waits inside a statement: a waiting
/// statement holds a snapshot, and a `CREATE INDEX CONCURRENTLY` in the
/// holder's migration waits for every snapshot older than it to end. The
/// two would wait for each other (the server reports a deadlock).
fn wait_for_lock(
    client: &mut Client,
    wait: Option<Duration>,
    holder: Option<LockHolder>,
) -> Result<()> {
    const POLL: Duration = Duration::from_millis(200);
    let started = std::time::Instant::now();
    loop {
        let left = wait.map(|w| w.saturating_sub(started.elapsed()));
        if left == Some(Duration::ZERO) {
            // Whoever holds it now, which may be another run than before.
            let now = lock_holder(client).ok().flatten().or(holder);
            return Err(Error::MigrationLocked {
                holder: now.map(Box::new),
                waited: wait.unwrap_or_default(),
            });
        }
        std::thread::sleep(left.map_or(POLL, |l| l.min(POLL)));
        let taken: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
            .map_err(|e| history_error("cannot take the migration lock", &e))?
            .get(0);
        if taken {
            return Ok(());
        }
    }
}

/// `error` of a failed migration, saying which migrations of the same run
/// ran before it and stay applied.
#[must_use]
pub fn still_applied(error: Error, before: &[Applied]) -> Error {
    still(error, before, "applied")
}

/// `error` of a failed down file, saying which migrations the same run
/// reverted before it and stay reverted.
#[must_use]
pub fn still_reverted(error: Error, before: &[Applied]) -> Error {
    still(error, before, "reverted")
}

fn still(error: Error, before: &[Applied], done: &str) -> Error {
    let names: Vec<String> = before
        .iter()
        .map(|a| format!("`{}` of section `{}`", a.name, a.section))
        .collect();
    match error {
        Error::Migration {
            section,
            file,
            mut message,
            rolled_back,
        } => {
            note_still(&mut message, "migration", done, &names);
            Error::Migration {
                section,
                file,
                message,
                rolled_back,
            }
        }
        other => other,
    }
}

/// Adds to `message` which files (`names`, of `kind`: "migration", "seed")
/// the same run ran before the failing one, and that they stay `done`.
pub(crate) fn note_still(message: &mut String, kind: &str, done: &str, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let one = names.len() == 1;
    let _ = write!(
        message,
        "\n  = note: the {} {kind}{} before it in this run stay{} {done}: {}",
        names.len(),
        if one { "" } else { "s" },
        if one { "s" } else { "" },
        names.join(", ")
    );
}

/// A pending migration older than an applied one: what
/// [`Error::MigrationOutOfOrder`] says, in words the CLI shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfOrder {
    /// The pending migration's section.
    pub section: String,
    /// Its name.
    pub name: String,
    /// Its file.
    pub file: String,
    /// The newest applied migration's section.
    pub newer_section: String,
    /// Its name.
    pub newer_name: String,
    /// Its file, when the migrations given have it.
    pub newer_file: Option<String>,
}

impl std::fmt::Display for OutOfOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "migration `{}` of section `{}` ({}) is pending, but `{}` of section `{}`{}, which comes after it, is applied: it would run out of order",
            self.name,
            self.section,
            self.file,
            self.newer_name,
            self.newer_section,
            self.newer_file
                .as_deref()
                .map_or_else(String::new, |f| format!(" ({f})"))
        )
    }
}

/// Says that another run held the migration lock for all of `waited`: the
/// words [`Error::MigrationLocked`] and the CLI share.
#[must_use]
pub fn still_locked(holder: Option<&LockHolder>, waited: Duration) -> String {
    format!(
        "another migration run on this database held the migration lock for all of the {} s this run would wait{}",
        waited.as_secs(),
        holder.map_or_else(String::new, |h| format!(
            ": {h}; if that process is gone for good, `SELECT pg_terminate_backend({})` frees the lock",
            h.pid
        ))
    )
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

pub(crate) fn history_error(what: &str, e: &postgres::Error) -> Error {
    Error::MigrationHistory {
        message: format!("{what}: {}", server_message(e)),
    }
}

/// Creates the history schema and `section`'s table when they do not
/// exist, and gives a table of an older version the columns it lacks.
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
                 applied_at timestamptz NOT NULL DEFAULT now(),
                 applied_by text DEFAULT current_user,
                 application text DEFAULT nullif(current_setting('application_name'), '')
             );"
        ))
        .map_err(|e| history_error("cannot create the migration history table", &e))?;
    if records_who(client, &table)? {
        return Ok(());
    }
    // A table an earlier version made: rows it holds say nothing of who.
    client
        .batch_execute(&format!(
            "ALTER TABLE {table}
                 ADD COLUMN IF NOT EXISTS applied_by text DEFAULT current_user,
                 ADD COLUMN IF NOT EXISTS application text DEFAULT nullif(current_setting('application_name'), '');
             UPDATE {table} SET applied_by = NULL, application = NULL;"
        ))
        .map_err(|e| history_error("cannot add columns to the migration history table", &e))
}

/// Whether history `table` has the columns that say who applied each
/// migration (tables an earlier version made do not).
fn records_who(client: &mut Client, table: &str) -> Result<bool> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_attribute \
             WHERE attrelid = pg_catalog.to_regclass($1) AND attname = 'application' AND NOT attisdropped)",
            &[&table],
        )
        .map_err(|e| history_error("cannot read the migration history table", &e))?
        .get(0))
}

/// One applied migration as the history records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The migration's name.
    pub name: String,
    /// The checksum of its file when it was applied.
    pub checksum: String,
    /// When, in UTC (`YYYY-MM-DD HH:MM:SS`).
    pub applied_at: String,
    /// The role that applied it (none for migrations an earlier version
    /// of pg-sections recorded).
    pub applied_by: Option<String>,
    /// The `application_name` of the session that applied it, when set.
    pub application: Option<String>,
}

/// The applied migrations of `section`, oldest first (by when, then
/// name); none when it has no history table.
///
/// # Errors
/// The history cannot be read.
pub fn history(client: &mut Client, section: &str) -> Result<Vec<Entry>> {
    let table = history_table(section);
    if !table_exists(client, &table)
        .map_err(|e| history_error("cannot read the migration history", &e))?
    {
        return Ok(Vec::new());
    }
    let who = if records_who(client, &table)? {
        "applied_by, application"
    } else {
        "NULL::text, NULL::text"
    };
    let rows = client
        .query(
            &format!(
                "SELECT name, checksum, \
                 to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), {who} \
                 FROM {table} ORDER BY applied_at, name"
            ),
            &[],
        )
        .map_err(|e| history_error("cannot read the migration history", &e))?;
    Ok(rows
        .iter()
        .map(|r| Entry {
            name: r.get(0),
            checksum: r.get(1),
            applied_at: r.get(2),
            applied_by: r.get(3),
            application: r.get(4),
        })
        .collect())
}

/// `(name, checksum, applied at)` of the applied migrations of `section`,
/// by name; none when it has no history table.
///
/// # Errors
/// The history cannot be read.
pub fn applied(client: &mut Client, section: &str) -> Result<Vec<(String, String, String)>> {
    if !table_exists(client, &history_table(section))
        .map_err(|e| history_error("cannot read the migration history", &e))?
    {
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

/// The sections that have a history table (not counting the seeds'
/// tables, `seeds/<section>`, nor the tenant registry, `tenants/registry`:
/// no section's name holds a `/`; nor the tenants' own, `<section>@<tenant>`,
/// which `cargo sections migrate --tenants` keeps).
fn recorded_sections(client: &mut Client) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT c.relname::text FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relkind = 'r' AND strpos(c.relname, '/') = 0 \
             AND strpos(c.relname, '@') = 0 ORDER BY 1",
            &[&HISTORY_SCHEMA],
        )
        .map_err(|e| history_error("cannot read the migration history", &e))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Applies one migration and records it: in one transaction, or, for a
/// file that runs without one, statement by statement and then the record.
///
/// # Errors
/// [`Error::Migration`] (rolled back as far as its transaction goes), or
/// the history table cannot be made.
pub fn apply(client: &mut Client, m: &Migration) -> Result<()> {
    ensure_history(client, &m.section)?;
    let (by, application) = who(client)?;
    let insert = format!(
        "INSERT INTO {} (name, checksum, applied_by, application) VALUES ($1, $2, $3, $4)",
        history_table(&m.section)
    );
    run_file(client, &m.as_file(), |tx| {
        tx.execute(&insert, &[&m.name, &m.checksum, &by, &application])
            .map(|_| ())
    })
}

/// The role and `application_name` a run records, asked before a file
/// runs: a `SET ROLE` or `SET application_name` in the file says nothing of
/// who ran it.
pub(crate) fn who(client: &mut Client) -> Result<(String, Option<String>)> {
    let row = client
        .query_one(
            "SELECT current_user::text, nullif(current_setting('application_name'), '')",
            &[],
        )
        .map_err(|e| history_error("cannot read the session's role", &e))?;
    Ok((row.get(0), row.get(1)))
}

/// Whether table `table` (a qualified, quoted name) exists.
pub(crate) fn table_exists(
    client: &mut impl postgres::GenericClient,
    table: &str,
) -> std::result::Result<bool, postgres::Error> {
    Ok(client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])?
        .get(0))
}

impl Migration {
    /// The file as [`run_file`] runs it.
    pub(crate) fn as_file(&self) -> File<'_> {
        File {
            section: &self.section,
            schema: &self.schema,
            path: &self.file,
            sql: &self.sql,
            statements: &self.statements,
            transaction: self.transaction,
        }
    }
}

/// A migration file to run: what [`run_file`] needs.
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
    /// Its statements' byte ranges in `sql` (empty: one batch).
    pub statements: &'a [Range<usize>],
    /// Whether it runs in a transaction (see [`Migration::transaction`]).
    pub transaction: bool,
}

/// Runs `file` and then `record`, with `search_path` set to the file's
/// schema and `public`; on failure names the file, line and column the
/// server points at (or where the failing statement starts).
///
/// A file that runs in a transaction runs in one with `record`, rolled
/// back on failure. A file that runs without one runs statement by
/// statement, each committed as it ends; `record` runs in a transaction
/// of its own once every statement succeeded, and a failure says which
/// statements stay applied. Either way the session's settings are reset
/// afterwards (`RESET ALL`), so a `SET` in a migration reaches neither the
/// next migration nor the application.
///
/// # Errors
/// [`Error::Migration`], or the transaction cannot start.
pub fn run_file(
    client: &mut Client,
    file: &File<'_>,
    record: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error>,
) -> Result<()> {
    let result = if file.transaction {
        run_and_record(client, file, record)
    } else {
        run_each_then_record(client, file, record)
    };
    let reset = client
        .batch_execute("RESET ALL")
        .map_err(|e| history_error("cannot reset the session after a migration", &e));
    result.and(reset)
}

/// `search_path` as a migration of `schema` runs with it.
fn search_path(schema: &str) -> String {
    format!("\"{}\", public", schema.replace('"', "\"\""))
}

/// The statements of `file`, each with its byte range.
///
/// # Errors
/// A range outside the text or inside a character: nothing runs.
fn statements<'a>(file: &File<'a>) -> Result<Vec<(Range<usize>, &'a str)>> {
    if file.statements.is_empty() {
        return Ok(vec![(0..file.sql.len(), file.sql)]);
    }
    file.statements
        .iter()
        .map(|range| {
            file.sql
                .get(range.clone())
                .map(|text| (range.clone(), text))
                .ok_or_else(|| Error::Migration {
                    section: file.section.to_owned(),
                    file: file.path.to_owned(),
                    message: format!(
                        "statement {range:?} is not a part of the file's {} bytes of text; nothing ran",
                        file.sql.len()
                    ),
                    rolled_back: true,
                })
        })
        .collect()
}

/// The server's message for a statement of `file` that failed, with the
/// line and column it points at, or where the statement starts.
fn failure(file: &File<'_>, statement: &Range<usize>, e: &postgres::Error) -> String {
    let mut message = server_message(e);
    let start = file
        .sql
        .get(..statement.start)
        .map_or(0, |s| s.chars().count());
    let path = file.path;
    if let Some(postgres::error::ErrorPosition::Original(position)) =
        e.as_db_error().and_then(|db| db.position())
    {
        let (line, column) = line_column(file.sql, start + *position as usize);
        let _ = write!(message, " at {path}:{line}:{column}");
    } else {
        // Skip what precedes the statement's first word in its range
        // (blanks and comments stay where they were).
        let text = file.sql.get(statement.clone()).unwrap_or_default();
        let lead = leading_blanks(text);
        let (line, column) = line_column(file.sql, start + lead + 1);
        let _ = write!(message, " in the statement at {path}:{line}:{column}");
    }
    message
}

/// How many characters of `text` are whitespace and comments before its
/// first token.
fn leading_blanks(text: &str) -> usize {
    let mut rest = text;
    let mut skipped = 0;
    loop {
        let trimmed = rest.trim_start();
        skipped += rest[..rest.len() - trimmed.len()].chars().count();
        rest = trimmed;
        if let Some(after) = rest.strip_prefix("--") {
            let line = after.find('\n').map_or(after.len(), |i| i + 1);
            skipped += 2 + after[..line].chars().count();
            rest = &after[line..];
        } else if let Some(after) = rest.strip_prefix("/*") {
            // Comments nest in PostgreSQL.
            let mut depth = 1;
            let mut end = after.len();
            let bytes = after.as_bytes();
            let mut i = 0;
            while i + 1 < bytes.len() {
                match (bytes[i], bytes[i + 1]) {
                    (b'/', b'*') => {
                        depth += 1;
                        i += 2;
                    }
                    (b'*', b'/') => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => i += 1,
                }
            }
            skipped += 2 + after[..end].chars().count();
            rest = &after[end..];
        } else {
            return skipped;
        }
    }
}

fn run_and_record(
    client: &mut Client,
    file: &File<'_>,
    record: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error>,
) -> Result<()> {
    let failed = |message: String| Error::Migration {
        section: file.section.to_owned(),
        file: file.path.to_owned(),
        message,
        rolled_back: true,
    };
    let mut tx = client
        .transaction()
        .map_err(|e| history_error("cannot start a transaction", &e))?;
    tx.execute(
        "SELECT pg_catalog.set_config('search_path', $1, true)",
        &[&search_path(file.schema)],
    )
    .map_err(|e| history_error("cannot set the migration's search_path", &e))?;
    for (statement, text) in statements(file)? {
        if let Err(e) = tx.batch_execute(text) {
            // Dropping the transaction rolls it back.
            drop(tx);
            return Err(failed(failure(file, &statement, &e)));
        }
    }
    if let Err(e) = as_the_run(&mut tx).and_then(|()| record(&mut tx)) {
        drop(tx);
        return Err(failed(not_recorded(&e)));
    }
    tx.commit().map_err(|e| failed(server_message(&e)))
}

/// Back to the run's own role for the history row, whatever role the file
/// switched to (`SET ROLE` to an owner is common).
fn as_the_run(tx: &mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error> {
    tx.batch_execute("RESET SESSION AUTHORIZATION; RESET ROLE")
}

/// The message of a history row that could not be written.
fn not_recorded(e: &postgres::Error) -> String {
    format!(
        "its statements ran, but its history row could not be written: {}",
        server_message(e)
    )
}

fn run_each_then_record(
    client: &mut Client,
    file: &File<'_>,
    record: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error>,
) -> Result<()> {
    let failed = |message: String| Error::Migration {
        section: file.section.to_owned(),
        file: file.path.to_owned(),
        message,
        rolled_back: false,
    };
    client
        .execute(
            "SELECT pg_catalog.set_config('search_path', $1, false)",
            &[&search_path(file.schema)],
        )
        .map_err(|e| history_error("cannot set the migration's search_path", &e))?;
    let statements = statements(file)?;
    for (done, (statement, text)) in statements.iter().enumerate() {
        if let Err(e) = client.batch_execute(text) {
            let mut message = failure(file, statement, &e);
            let _ = write!(
                message,
                "\n  = note: this file runs without a transaction: {}, and its history is unchanged, so the next run starts the file again from its first statement",
                match done {
                    0 => "no statement before this one ran".to_owned(),
                    1 => "the statement before this one stays applied".to_owned(),
                    n => format!("the {n} statements before this one stay applied"),
                }
            );
            if done > 0 {
                message.push_str(
                    "\n  = help: make what stays applied safe to run again (`IF NOT EXISTS`, `IF EXISTS`) or undo it by hand before the next run",
                );
            }
            let words: Vec<String> = text
                .split_whitespace()
                .take(4)
                .map(str::to_ascii_uppercase)
                .collect();
            if words.iter().any(|w| w == "CONCURRENTLY") && words.iter().any(|w| w == "INDEX") {
                message.push_str(
                    "\n  = note: a failed `CREATE INDEX CONCURRENTLY` leaves an invalid index behind, which `IF NOT EXISTS` takes for done: drop it (`DROP INDEX CONCURRENTLY …`) before the next run",
                );
            }
            return Err(failed(message));
        }
    }
    let mut tx = client
        .transaction()
        .map_err(|e| history_error("cannot start a transaction", &e))?;
    if let Err(e) = as_the_run(&mut tx).and_then(|()| record(&mut tx)) {
        drop(tx);
        return Err(failed(not_recorded(&e)));
    }
    tx.commit().map_err(|e| failed(server_message(&e)))
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
