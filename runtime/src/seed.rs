//! Seeds: the idempotent data a section starts with
//! (`sections/<section>/seeds/*.sql`), applied after its migrations and
//! recorded like them.
//!
//! Each section records its seeds in `sections_history."seeds/<section>"`
//! (name, checksum, when, by which role and application). A seed runs when
//! it is new, and again when its file changed since it ran (it is written
//! to be run again: `INSERT … ON CONFLICT DO NOTHING`, `UPDATE … WHERE`);
//! an unchanged seed is left alone, until a migration of its section is
//! reverted. Seeds apply a base's before its overlays', then by file name
//! and section, each in its own transaction with its record, under the
//! migration lock, and only once no migration of their sections is pending.

use std::time::Duration;

use postgres::Client;

use crate::error::{Error, Result};
use crate::migrate::{HISTORY_SCHEMA, LockHolder, Migration, history_error, run_file};

/// `sections_history."seeds/<section>"`: a name no section's migration
/// history can have (a section is a folder, whose name holds no `/`).
#[must_use]
pub fn history_table(section: &str) -> String {
    format!(
        "{HISTORY_SCHEMA}.\"seeds/{}\"",
        section.replace('"', "\"\"")
    )
}

/// Forgets that the seeds of `sections` ran, in `tx`, so the next run
/// applies them again: what reverting one of their migrations does (the
/// down file may have dropped their rows).
///
/// # Errors
/// The server refuses.
pub fn forget(
    tx: &mut postgres::Transaction<'_>,
    sections: &[&str],
) -> std::result::Result<(), postgres::Error> {
    for section in sections {
        let table = history_table(section);
        if crate::migrate::table_exists(tx, &table)? {
            tx.execute(&format!("DELETE FROM {table}"), &[])?;
        }
    }
    Ok(())
}

/// What happened to one seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It ran for the first time.
    Applied,
    /// Its file changed since it last ran, so it ran again.
    Reapplied,
    /// It ran before, from the same file: left alone.
    Unchanged,
}

/// One seed and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    /// The section.
    pub section: String,
    /// The seed's name: its file name without `.sql`.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Applies `seeds` (migration-shaped: section, schema, name, file,
/// checksum, text, statements) in order: each that is new or changed runs
/// in its own transaction with its record. Holds the migration lock,
/// waiting at most `lock_wait` (calling `waiting` first, with its holder);
/// once it is held, `pending` names the migrations still to apply, and
/// any stop the run (see [`Migrations::seed`](crate::migrate::Migrations::seed)).
///
/// # Errors
/// [`Error::SeedsBeforeMigrations`] when `pending` names any (nothing
/// runs); [`Error::Seed`] for the first seed that fails (rolled back;
/// those before it stay applied), or the history or the lock cannot be used.
pub fn run(
    client: &mut Client,
    seeds: &[Migration],
    lock_wait: Option<Duration>,
    waiting: impl FnOnce(Option<&LockHolder>),
    pending: impl FnOnce(&mut Client) -> Result<Vec<String>>,
) -> Result<Vec<Seeded>> {
    crate::migrate::locked(client, lock_wait, waiting, |client| {
        let pending = pending(client)?;
        if !pending.is_empty() {
            return Err(Error::SeedsBeforeMigrations { pending });
        }
        let mut done = Vec::with_capacity(seeds.len());
        for seed in seeds {
            let outcome = apply(client, seed).map_err(|e| still_seeded(e, &done))?;
            crate::migrate::lock_still_held(client, &seed.section, &seed.file)?;
            done.push(Seeded {
                section: seed.section.clone().into_owned(),
                name: seed.name.clone().into_owned(),
                outcome,
            });
        }
        Ok(done)
    })
}

fn apply(client: &mut Client, seed: &Migration) -> Result<Outcome> {
    let table = history_table(&seed.section);
    client
        .batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {HISTORY_SCHEMA};
             CREATE TABLE IF NOT EXISTS {table} (
                 name text PRIMARY KEY,
                 checksum text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now(),
                 applied_by text,
                 application text
             );"
        ))
        .map_err(|e| history_error("cannot create the seed history table", &e))?;
    let before: Option<String> = client
        .query_opt(
            &format!("SELECT checksum FROM {table} WHERE name = $1"),
            &[&seed.name],
        )
        .map_err(|e| history_error("cannot read the seed history", &e))?
        .map(|row| row.get(0));
    let outcome = match before {
        Some(checksum) if checksum == seed.checksum => return Ok(Outcome::Unchanged),
        Some(_) => Outcome::Reapplied,
        None => Outcome::Applied,
    };
    let (by, application) = crate::migrate::who(client)?;
    let record = format!(
        "INSERT INTO {table} AS h (name, checksum, applied_by, application) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now(), \
         applied_by = excluded.applied_by, application = excluded.application"
    );
    run_file(client, &seed.as_file(), |tx| {
        tx.execute(&record, &[&seed.name, &seed.checksum, &by, &application])
            .map(|_| ())
    })
    .map_err(|e| match e {
        Error::Migration {
            section,
            file,
            message,
            rolled_back,
        } => Error::Seed {
            section,
            file,
            message,
            rolled_back,
        },
        other => other,
    })?;
    Ok(outcome)
}

/// `error` of a failed seed, saying which seeds of the same run ran before
/// it and stay applied.
fn still_seeded(error: Error, before: &[Seeded]) -> Error {
    let ran: Vec<String> = before
        .iter()
        .filter(|s| s.outcome != Outcome::Unchanged)
        .map(|s| format!("`{}` of section `{}`", s.name, s.section))
        .collect();
    match error {
        Error::Seed {
            section,
            file,
            mut message,
            rolled_back,
        } => {
            crate::migrate::note_still(&mut message, "seed", "applied", &ran);
            Error::Seed {
                section,
                file,
                message,
                rolled_back,
            }
        }
        other => other,
    }
}
