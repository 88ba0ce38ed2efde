//! The migrations a build embeds in the application: each up file's
//! runnable text and the checksum of its bytes, written to
//! `OUT_DIR/pg-sections-migrations.rs` for `pg_sections::include_migrations!()`.
//!
//! `cargo sections migrate` reads the files through [`read`] too, so the
//! checksums and the text that runs are the same either way.

use std::path::PathBuf;

use crate::emit::{Code, List, Str, w};
use crate::error::{Error, SqlError};
use crate::layout::{Layout, MigrationFile, SHARED_STREAM, Streams};
use crate::{Settings, ddl};

/// The file in `OUT_DIR` (a name no section module's file can take).
pub const FILE: &str = "pg-sections-migrations.rs";

/// An up file, read.
#[derive(Debug, Clone)]
pub(crate) struct Embedded {
    pub(crate) section: String,
    /// The schema unqualified names resolve to, as the DDL source reads them.
    pub(crate) schema: String,
    pub(crate) name: String,
    pub(crate) file: PathBuf,
    pub(crate) down: Option<PathBuf>,
    /// FNV-1a of the bytes: what the history records.
    pub(crate) checksum: String,
    /// The text that runs (empty when the file cannot run: see `errors`).
    pub(crate) sql: String,
    /// Each statement's byte range in `sql`.
    pub(crate) statements: Vec<std::ops::Range<usize>>,
    /// Whether it runs in a transaction of its own.
    pub(crate) transaction: bool,
}

/// The up files of a layout, read once each, in stream order.
pub(crate) struct Read {
    pub(crate) migrations: Vec<Embedded>,
    /// The files that cannot run (not SQL text, or a whole-transaction
    /// `ROLLBACK`, or a meta-command that changes what runs), by position
    /// in `migrations`.
    pub(crate) errors: Vec<(usize, SqlError)>,
}

/// The migration streams of a layout: `(section, files in order)`.
pub(crate) fn streams(layout: &Layout) -> Vec<(&str, &[MigrationFile])> {
    match &layout.streams {
        Streams::PerSection(dirs) => dirs
            .iter()
            .filter(|d| !d.migrations.is_empty())
            .map(|d| (d.name.as_str(), d.migrations.as_slice()))
            .collect(),
        Streams::Shared(files) => vec![(SHARED_STREAM, files.as_slice())],
    }
}

/// Reads the up files of `streams`.
///
/// # Errors
/// A file cannot be read at all.
pub(crate) fn read<'a>(
    layout: &Layout,
    streams: impl IntoIterator<Item = (&'a str, &'a [MigrationFile])>,
    settings: &Settings,
    split: Option<&ddl::Runnables>,
) -> Result<Read, Error> {
    let mut read = Read {
        migrations: Vec::new(),
        errors: Vec::new(),
    };
    for (section, files) in streams {
        for file in files {
            let bytes = std::fs::read(&file.up).map_err(|e| Error::io(&file.up, e))?;
            let runnable = match ddl::sql_text(&file.up, &bytes) {
                Ok(text) => split
                    .and_then(|split| split.take(&file.up, &text))
                    .unwrap_or_else(|| ddl::runnable(&text))
                    .map_err(|what| {
                        let at = read.migrations.len();
                        read.errors
                            .push((at, ddl::unrunnable_error(&file.up, &text, &what)));
                    }),
                Err(e) => {
                    read.errors.push((read.migrations.len(), e));
                    Err(())
                }
            };
            let ddl::Runnable {
                sql,
                statements,
                transaction,
            } = runnable.unwrap_or(ddl::Runnable {
                sql: String::new(),
                statements: Vec::new(),
                transaction: true,
            });
            read.migrations.push(Embedded {
                section: section.to_owned(),
                schema: schema_of(layout, section, settings).to_owned(),
                name: file.name.clone(),
                file: file.up.clone(),
                down: file.down.clone(),
                checksum: checksum(&bytes),
                sql,
                statements,
                transaction,
            });
        }
    }
    Ok(read)
}

/// The schema unqualified names of `section`'s files resolve to: its schema,
/// or `public` for the shared stream (as the DDL source reads them). A
/// section may be named like the shared stream (`shared`) in the
/// per-section layout: it is a section all the same.
pub(crate) fn schema_of<'a>(layout: &Layout, section: &'a str, settings: &'a Settings) -> &'a str {
    if matches!(layout.streams, Streams::Shared(_)) && section == SHARED_STREAM {
        "public"
    } else {
        settings.schema_of(section)
    }
}

/// FNV-1a, 64 bits, as 16 hex digits: the checksum the history records
/// (`pg_sections::migrate::checksum`, which a test holds equal).
#[must_use]
pub fn checksum(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `OUT_DIR/pg-sections-migrations.rs`: the items of the module that
/// `include_migrations!()` puts in a block whose value is its `MIGRATIONS`. A file that cannot run
/// becomes a `compile_error!` there, so only a crate that embeds the
/// migrations fails to build on it.
/// With `only`, the migrations of those sections and of the sections they
/// extend, which an overlay's migrations build on (a shared stream, one
/// history for every schema, stays whole).
pub(crate) fn code(
    layout: &Layout,
    settings: &Settings,
    only: Option<&[String]>,
    split: Option<&ddl::Runnables>,
) -> Result<String, Error> {
    let runtime: syn::Path = syn::parse_str(settings.runtime_path()).map_err(|e| {
        settings.error(format!(
            "`runtime = \"{}\"` is not a Rust path: {e}",
            settings.runtime_path()
        ))
    })?;
    let shared = matches!(layout.streams, Streams::Shared(_));
    // A tenant template's migrations build its tenants' schemas, with
    // `cargo sections tenant new` and `migrate --tenants`: never its own.
    let wanted = |section: &str| {
        !settings.is_tenant(section)
            && (shared
                || only.is_none_or(|names| {
                    names.iter().any(|n| {
                        n == section || crate::overlay::bases(settings, n).contains(&section)
                    })
                }))
    };
    let read_migrations = read(
        layout,
        streams(layout).into_iter().filter(|(s, _)| wanted(s)),
        settings,
        split,
    )?;
    let seed_streams = layout.seeds()?;
    let read_seeds = read(
        layout,
        seed_streams
            .iter()
            .filter(|(s, _)| wanted(s))
            .map(|(s, files)| (s.as_str(), files.as_slice())),
        settings,
        None,
    )?;
    let r = crate::emit::inline(quote::quote!(#runtime));
    let count = read_migrations.migrations.len();
    let seed_count = read_seeds.migrations.len();
    // Text for the compiler, written directly: each file's SQL is one
    // string literal, not worth a token tree in an unoptimised build script.
    let mut c = Code::new();
    w!(c, "{}", crate::HEADER.trim_end());
    c.open_with(
        format_args!("static LIST: [{r}::migrate::Migration; {count}] ="),
        "[",
    );
    entries(&mut c, &r, &read_migrations, |_| 0);
    c.close_with("];");
    if seed_count > 0 {
        c.open_with(
            format_args!("static SEEDS: [{r}::migrate::Migration; {seed_count}] ="),
            "[",
        );
        // A base's seeds before its overlays': an overlay's data builds on them.
        entries(&mut c, &r, &read_seeds, |section| {
            crate::overlay::bases(settings, section).len()
        });
        c.close_with("];");
    }
    // A subset leaves the other sections' history to the crates that
    // generate them; a shared stream is embedded whole, so it is every section.
    let constructor = if only.is_some() && !shared {
        "embedded_subset"
    } else {
        "embedded"
    };
    let with_seeds = if seed_count > 0 {
        ".with_seeds(&SEEDS)"
    } else {
        ""
    };
    c.doc("The migrations of the generated sections, in the order they apply.");
    w!(
        c,
        "pub const MIGRATIONS: {r}::migrate::Migrations = {r}::migrate::Migrations::{constructor}(&LIST){with_seeds};"
    );
    for (errors, what) in [
        (&read_migrations.errors, "a migration"),
        (&read_seeds.errors, "a seed"),
    ] {
        for (_, e) in errors {
            w!(
                c,
                "::core::compile_error!({});",
                Str(&format!("{what} cannot run: {e}"))
            );
        }
    }
    Ok(c.finish())
}

/// The `Migration::embedded(…)` of each file of `read`, one per line, in
/// the order they apply (by `rank` of their section, then name, then
/// section).
fn entries(c: &mut Code, r: &str, read: &Read, rank: impl Fn(&str) -> usize) {
    let mut sorted: Vec<&Embedded> = read.migrations.iter().collect();
    sorted.sort_by_cached_key(|m| (rank(&m.section), m.name.clone(), m.section.clone()));
    for m in sorted {
        let file = m.file.display().to_string();
        // `Range { … }` rather than `a..b`: a one-statement `&[a..b]` reads
        // to clippy as a range meant to be collected.
        let statements = m.statements.iter().map(|s| {
            format!(
                "::core::ops::Range {{ start: {}, end: {} }}",
                s.start, s.end
            )
        });
        let mode = if m.transaction {
            ""
        } else {
            ".without_transaction()"
        };
        w!(
            c,
            "{r}::migrate::Migration::embedded({}, {}, {}, {}, {}, {}, &[{}]){mode},",
            Str(&m.section),
            Str(&m.schema),
            Str(&m.name),
            Str(&file),
            Str(&m.checksum),
            Str(&m.sql),
            List(statements, ", ")
        );
    }
}
