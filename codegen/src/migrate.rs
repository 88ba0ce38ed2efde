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
pub use pg_sections::migrate::{Entry, HISTORY_SCHEMA, Options, State, Status, checksum};

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
    /// Whether the up file runs in a transaction (all but those whose
    /// first line is `-- pg-sections: no-transaction`; `true` for a file
    /// not read yet).
    pub transaction: bool,
}

impl From<&Embedded> for Migration {
    fn from(m: &Embedded) -> Self {
        Self {
            section: m.section.clone(),
            name: m.name.clone(),
            up: m.file.clone(),
            down: m.down.clone(),
            transaction: m.transaction,
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
        statements: m.statements.clone().into(),
        transaction: m.transaction,
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
                    transaction: true,
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
                rolled_back,
            } => Self::Migration {
                section,
                file: file.into(),
                message,
                rolled_back,
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
            pg_sections::Error::MigrationOutOfOrder(what) => Self::Layout {
                message: format!(
                    "{what}; nothing was applied\n  = help: if it can run after the other, give it a newer timestamp (rename the file pair, or move its SQL into a file `{}` creates), or apply it as it is with `--allow-out-of-order`",
                    crate::command::suggest(&format!("new {} <name>", what.section))
                ),
            },
            pg_sections::Error::MigrationLocked { holder, waited } => Self::Database {
                message: format!(
                    "{}; nothing was applied\n  = help: run again once it is done, or wait longer with `--lock-timeout SECONDS` (0: no limit)",
                    runtime::still_locked(holder.as_deref(), waited)
                ),
            },
            pg_sections::Error::MigrationChanged { section, name } => Self::Layout {
                message: format!(
                    "migration `{name}` of section `{section}` was changed after it was applied; restore the file as it was and put the change in a new migration (`{}`)",
                    crate::command::suggest(&format!("new {section} <name>"))
                ),
            },
            pg_sections::Error::SeedsBeforeMigrations { pending } => Self::Layout {
                message: format!(
                    "seeds run after migrations, and {} pending: {}; nothing was seeded\n  = help: apply them first: `{}`",
                    if pending.len() == 1 {
                        "this one is"
                    } else {
                        "these are"
                    },
                    pending.join(", "),
                    crate::command::suggest("migrate")
                ),
            },
            other => Self::Database {
                message: other.to_string(),
            },
        }
    }
}

/// Says on standard error that the run waits for another one's lock, and
/// for how long it will.
fn waiting(wait: Option<std::time::Duration>) -> impl FnOnce(Option<&runtime::LockHolder>) {
    move |holder| {
        let who = holder.map_or_else(
            || "another migration run".to_owned(),
            |h| format!("another migration run, {h},"),
        );
        let limit = wait.map_or_else(
            || "for as long as it takes".to_owned(),
            |w| format!("up to {} s (`--lock-timeout`)", w.as_secs_f64()),
        );
        eprintln!("waiting for the migration lock: {who} holds it; waiting {limit}");
    }
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
    let settings = crate::Settings::load(&layout.root)?;
    let read = embed::read(
        layout,
        selected(layout, &with_bases(layout, &settings, sections)?)?,
        &settings,
        None,
    )?;
    let migrations = read.migrations.iter().map(runnable).collect();
    Ok(runtime::Migrations::new(migrations, sections.is_empty()).status(client)?)
}

/// The applied migrations of `section`, oldest first: who applied each,
/// and when.
///
/// # Errors
/// The history cannot be read.
pub fn history(client: &mut Client, section: &str) -> Result<Vec<Entry>, Error> {
    Ok(runtime::history(client, section)?)
}

/// Checks that every one of `sections` has migrations in `layout`, before
/// anything connects.
///
/// # Errors
/// The first section without migrations, naming those that have some.
pub fn check_sections(layout: &Layout, sections: &[String]) -> Result<(), Error> {
    // A malformed `sections.toml` is said before anything connects, too.
    crate::Settings::load(&layout.root)?;
    selected(layout, sections).map(|_| ())
}

/// The streams of `sections` (all when empty) and of the sections they
/// extend: an overlay's migrations run after its base's, in one timeline.
fn selected<'a>(
    layout: &'a Layout,
    sections: &[String],
) -> Result<Vec<(&'a str, &'a [MigrationFile])>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let mut all = embed::streams(layout);
    // A tenant template's migrations build its tenants' schemas, never its
    // own (`tenants`).
    if let Some(template) = sections.iter().find(|s| settings.is_tenant(s)) {
        return Err(Error::Usage {
            message: format!(
                "section `{template}` is a tenant template: its migrations run for each tenant, \
                 with `migrate --tenants` (and `tenant new NAME` for a new one)"
            ),
        });
    }
    all.retain(|(s, _)| !settings.is_tenant(s));
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

/// `sections` (each must have migrations) and the sections they extend
/// that have migrations: an overlay's run takes its bases along, on one
/// timeline. None stays none: every section.
fn with_bases(
    layout: &Layout,
    settings: &crate::Settings,
    sections: &[String],
) -> Result<Vec<String>, Error> {
    let migrated: Vec<&str> = selected(layout, &[])?.into_iter().map(|(s, _)| s).collect();
    selected(layout, sections)?;
    let mut out: Vec<String> = Vec::new();
    for name in sections.iter().map(String::as_str).chain(
        sections
            .iter()
            .flat_map(|s| crate::overlay::bases(settings, s))
            .filter(|b| migrated.contains(b)),
    ) {
        if !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    Ok(out)
}

/// What [`plan`] and [`up`] share: every up file of `sections` read, as
/// the runtime's migrations.
struct Prepared {
    read: embed::Read,
    migrations: runtime::Migrations,
    /// With a subset: the migrations of the overlays of its sections left
    /// out of it, whose pending ones the run must not overtake.
    left_out: Option<runtime::Migrations>,
}

impl Prepared {
    fn new(layout: &Layout, sections: &[String]) -> Result<Self, Error> {
        let settings = crate::Settings::load(&layout.root)?;
        let chosen = selected(layout, &with_bases(layout, &settings, sections)?)?;
        let names: Vec<&str> = chosen.iter().map(|(s, _)| *s).collect();
        let read = embed::read(layout, chosen, &settings, None)?;
        let migrations = runtime::Migrations::new(
            read.migrations.iter().map(runnable).collect(),
            sections.is_empty(),
        );
        let left_out = if sections.is_empty() {
            None
        } else {
            let overlays: Vec<String> = names
                .iter()
                .flat_map(|s| crate::overlay::overlays(&settings, s))
                .filter(|o| !names.contains(o))
                .map(str::to_owned)
                .collect();
            let files = embed::read(
                layout,
                embed::streams(layout)
                    .into_iter()
                    .filter(|(s, _)| overlays.iter().any(|o| o == s)),
                &settings,
                None,
            )?;
            Some(runtime::Migrations::new(
                files.migrations.iter().map(runnable).collect(),
                false,
            ))
        };
        Ok(Self {
            read,
            migrations,
            left_out,
        })
    }

    /// Refuses a subset's run that would apply a migration newer than a
    /// pending one of an overlay left out: that one would then be out of
    /// order, and every later run would refuse it.
    fn overtakes(&self, client: &mut Client, pending: &[&runtime::Migration]) -> Result<(), Error> {
        let (Some(left_out), Some(newest)) = (&self.left_out, pending.last()) else {
            return Ok(());
        };
        if left_out.is_empty() {
            return Ok(());
        }
        let waiting = left_out.status(client)?.into_iter().find(|s| {
            s.state == State::Pending
                && (s.name.as_str(), s.section.as_str()) < (&*newest.name, &*newest.section)
        });
        match waiting {
            Some(older) => Err(Error::Layout {
                message: format!(
                    "`{}` of section `{}` (an overlay this run leaves out) is pending and older than `{}` of `{}`, which this run would apply: it would then be out of order; nothing was applied\n  = help: migrate them together: `{}`",
                    older.name,
                    older.section,
                    newest.name,
                    newest.section,
                    crate::command::suggest(&format!(
                        "migrate {} {}",
                        newest.section, older.section
                    ))
                ),
            }),
            None => Ok(()),
        }
    }

    fn index_of(&self, m: &runtime::Migration) -> usize {
        self.read
            .migrations
            .iter()
            .position(|f| f.section == m.section && f.name == m.name)
            .expect("BUG: every runtime migration comes from a file")
    }

    fn file_of(&self, m: &runtime::Migration) -> &Embedded {
        &self.read.migrations[self.index_of(m)]
    }

    /// The pending migrations, after every check: a history that does not
    /// match, or a pending file that cannot run (all such errors at once).
    fn pending(
        &self,
        client: &mut Client,
        options: &Options,
    ) -> Result<Vec<&runtime::Migration>, Error> {
        let pending = self.migrations.pending(client, options)?;
        if !options.allow_out_of_order {
            self.overtakes(client, &pending)?;
        }
        let cannot_run: Vec<SqlError> = pending
            .iter()
            .filter_map(|m| {
                let index = self.index_of(m);
                self.read
                    .errors
                    .iter()
                    .find(|(at, _)| *at == index)
                    .map(|(_, e)| e.clone())
            })
            .collect();
        if cannot_run.is_empty() {
            Ok(pending)
        } else {
            Err(Error::Sql(cannot_run))
        }
    }
}

/// What [`up`] would apply now, in order, after the same checks, without
/// taking the lock or changing anything: `migrate --dry-run`.
///
/// # Errors
/// As [`up`] before anything runs.
pub fn plan(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    let prepared = Prepared::new(layout, sections)?;
    Ok(prepared
        .pending(client, options)?
        .into_iter()
        .map(|m| Migration::from(prepared.file_of(m)))
        .collect())
}

/// Applies the pending migrations of `sections` (all when empty), in the
/// global file-name order, each in its own transaction (or statement by
/// statement, for a file that says so), holding the migration lock (saying
/// so on standard error while another run holds it, and waiting at most
/// `options.lock_wait`). Returns what ran.
///
/// # Errors
/// A changed applied file or, unless `options` allow it, an applied
/// migration whose file is gone or a pending one older than an applied
/// one, or a pending file that cannot run (nothing runs); the lock still
/// held elsewhere after the wait; or the first failing migration (rolled
/// back as far as its transaction goes; the ones before it stay applied).
pub fn up(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    // Every file is read before anything runs, so that a file that cannot
    // run stops the whole run, with every such error at once.
    let prepared = Prepared::new(layout, sections)?;
    runtime::locked(
        client,
        options.lock_wait,
        waiting(options.lock_wait),
        |client| -> Result<Vec<Migration>, Error> {
            let pending = prepared.pending(client, options)?;
            let mut done = Vec::with_capacity(pending.len());
            let mut applied = Vec::with_capacity(pending.len());
            for m in pending {
                runtime::apply(client, m).map_err(|e| runtime::still_applied(e, &applied))?;
                runtime::lock_still_held(client, &m.section, &m.file)?;
                applied.push(runtime::Applied {
                    section: m.section.clone().into_owned(),
                    name: m.name.clone().into_owned(),
                });
                done.push(Migration::from(prepared.file_of(m)));
            }
            Ok(done)
        },
    )
}

/// Applies the seeds (`seeds/*.sql`) of `sections` (all when empty) and of
/// the sections they extend that are new or changed since they ran, by
/// name then section, each in its own transaction with its record, holding
/// the migration lock; refused while a migration of those sections is
/// pending. Returns every seed and what happened to it.
///
/// # Errors
/// A section without migrations; a seed that cannot run (every such error
/// at once, before anything runs); pending migrations; the lock still held
/// elsewhere after the wait; the first failing seed (rolled back).
pub fn seed(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
    options: &Options,
) -> Result<Vec<pg_sections::seed::Seeded>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let streams = layout.seeds()?;
    let chosen = seed_sections(layout, &settings, &streams, sections)?;
    let read = embed::read(
        layout,
        streams
            .iter()
            .filter(|(s, _)| !settings.is_tenant(s))
            .filter(|(s, _)| sections.is_empty() || chosen.contains(s))
            .map(|(s, files)| (s.as_str(), files.as_slice())),
        &settings,
        None,
    )?;
    if !read.errors.is_empty() {
        return Err(Error::Sql(
            read.errors.into_iter().map(|(_, e)| e).collect(),
        ));
    }
    let mut seeds: Vec<runtime::Migration> = read.migrations.iter().map(runnable).collect();
    // A base's seeds before its overlays': an overlay's data builds on them.
    seeds.sort_by_cached_key(|m| {
        (
            crate::overlay::bases(&settings, &m.section).len(),
            m.name.clone(),
            m.section.clone(),
        )
    });
    // The migrations that must be applied first: all of them, or those of
    // the chosen sections that have any (a live section has none).
    let with_migrations: Vec<String> = embed::streams(layout)
        .into_iter()
        .map(|(s, _)| s.to_owned())
        .filter(|s| sections.is_empty() || chosen.contains(s))
        .collect();
    let prepared = if sections.is_empty() || !with_migrations.is_empty() {
        let names = if sections.is_empty() {
            Vec::new()
        } else {
            with_migrations
        };
        Some(Prepared::new(layout, &names)?)
    } else {
        None
    };
    Ok(pg_sections::seed::run(
        client,
        &seeds,
        options.lock_wait,
        waiting(options.lock_wait),
        |client| {
            prepared.as_ref().map_or(Ok(Vec::new()), |p| {
                p.migrations.pending_before_seeds(client)
            })
        },
    )?)
}

/// Checks that each of `sections` has migrations or seeds in `layout`,
/// before anything connects.
///
/// # Errors
/// The first that has neither, naming those that have.
pub fn check_seed_sections(layout: &Layout, sections: &[String]) -> Result<(), Error> {
    let settings = crate::Settings::load(&layout.root)?;
    seed_sections(layout, &settings, &layout.seeds()?, sections).map(|_| ())
}

/// `sections` and the sections they extend; each must have migrations or
/// seeds.
fn seed_sections(
    layout: &Layout,
    settings: &crate::Settings,
    seeds: &[(String, Vec<MigrationFile>)],
    sections: &[String],
) -> Result<Vec<String>, Error> {
    if let Some(template) = sections.iter().find(|s| settings.is_tenant(s)) {
        return Err(Error::Usage {
            message: format!(
                "section `{template}` is a tenant template: its schema is never created, so its seeds \
                 have nowhere to run; seed a tenant's data through its handle (`pool.tenant::<…>(…)`)"
            ),
        });
    }
    let mut known: Vec<String> = embed::streams(layout)
        .into_iter()
        .map(|(s, _)| s.to_owned())
        .chain(seeds.iter().map(|(s, _)| s.clone()))
        .filter(|s| !settings.is_tenant(s))
        .collect();
    known.sort();
    known.dedup();
    let mut chosen = Vec::new();
    for wanted in sections {
        if !known.contains(wanted) {
            return Err(Error::Usage {
                message: format!(
                    "no migrations or seeds for section `{wanted}`; the sections with either are: {}",
                    known.join(", ")
                ),
            });
        }
        chosen.push(wanted.clone());
        chosen.extend(
            crate::overlay::bases(settings, wanted)
                .into_iter()
                .map(str::to_owned),
        );
    }
    Ok(chosen)
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
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let (_, migrations) = selected(layout, &[section.to_owned()])?
        .into_iter()
        .next()
        .expect("BUG: selected checks the section exists");
    runtime::locked(
        client,
        options.lock_wait,
        waiting(options.lock_wait),
        |client| -> Result<Vec<Migration>, Error> {
            let history = runtime::applied(client, section)?;
            // The oldest of the last `count`.
            if let Some((oldest, _, _)) = history.get(history.len().saturating_sub(count)) {
                newer_in_family(client, layout, &settings, section, oldest)?;
            }
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
            // Every down file is read before any runs: one that cannot run
            // stops the whole revert, with every such error at once.
            let mut runnables = Vec::with_capacity(targets.len());
            let mut errors = Vec::new();
            for (_, down) in &targets {
                let text = ddl::read_sql(down)?;
                match text.map(|text| {
                    ddl::runnable(&text).map_err(|what| ddl::unrunnable_error(down, &text, &what))
                }) {
                    Ok(Ok(runnable)) => runnables.push(runnable),
                    Ok(Err(e)) | Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                return Err(Error::Sql(errors));
            }
            let delete = format!(
                "DELETE FROM {} WHERE name = $1",
                runtime::history_table(section)
            );
            // The down file may drop the rows its section's seeds (and its
            // overlays') put there: they run again on the next `seed`.
            let forget: Vec<&str> = std::iter::once(section)
                .chain(crate::overlay::overlays(&settings, section))
                .collect();
            let mut reverted = Vec::with_capacity(targets.len());
            for ((m, down), runnable) in targets.into_iter().zip(&runnables) {
                let path = down.display().to_string();
                let file = runtime::File {
                    section,
                    schema: embed::schema_of(layout, section, &settings),
                    path: &path,
                    sql: &runnable.sql,
                    statements: &runnable.statements,
                    transaction: runnable.transaction,
                };
                runtime::run_file(client, &file, |tx| {
                    tx.execute(&delete, &[&m.name])?;
                    pg_sections::seed::forget(tx, &forget)
                })
                .map_err(|e| {
                    let before: Vec<runtime::Applied> = reverted
                        .iter()
                        .map(|r: &Migration| runtime::Applied {
                            section: r.section.clone(),
                            name: r.name.clone(),
                        })
                        .collect();
                    runtime::still_reverted(e, &before)
                })?;
                runtime::lock_still_held(client, section, &path)?;
                reverted.push(Migration {
                    section: section.to_owned(),
                    name: m.name,
                    up: m.up,
                    down: m.down,
                    transaction: runnable.transaction,
                });
            }
            Ok(reverted)
        },
    )
}

/// Refuses to revert `section`'s migrations from `oldest` on while a
/// section of its family (those it extends, those that extend them) has an
/// applied migration after it on the timeline, which may build on it.
fn newer_in_family(
    client: &mut Client,
    layout: &Layout,
    settings: &crate::Settings,
    section: &str,
    oldest: &str,
) -> Result<(), Error> {
    let names: Vec<&str> = embed::streams(layout).into_iter().map(|(s, _)| s).collect();
    for other in crate::overlay::family(settings, section, &names) {
        let newer = runtime::applied(client, other)?
            .into_iter()
            .filter(|(name, _, _)| (name.as_str(), other) > (oldest, section))
            .count();
        if newer > 0 {
            let (one, subject, object) = if newer == 1 {
                ("migration", "it", "it")
            } else {
                ("migrations", "they", "them")
            };
            return Err(Error::Layout {
                message: format!(
                    "section `{other}` has {newer} {one} applied after `{oldest}` of `{section}`, and {subject} may build on it; nothing was reverted\n  = help: revert {object} first: `{}`",
                    crate::command::suggest(&format!("migrate --down {other} {newer}"))
                ),
            });
        }
    }
    Ok(())
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
    // Two files written in the same second (two promotions in a row) keep
    // the order they were written in, not that of their names.
    let taken: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let mut now = now;
    while taken.iter().any(|name| name.starts_with(&timestamp(now))) {
        now += 1;
    }
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
