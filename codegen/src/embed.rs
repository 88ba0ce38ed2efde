//! The migrations a build embeds in the application: each up file's
//! runnable text and the checksum of its bytes, written to
//! `OUT_DIR/pg-sections-migrations.rs` for `pg_sections::include_migrations!()`.
//!
//! `cargo sections migrate` reads the files through [`read`] too, so the
//! checksums and the text that runs are the same either way.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

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
) -> Result<Read, Error> {
    let mut read = Read {
        migrations: Vec::new(),
        errors: Vec::new(),
    };
    for (section, files) in streams {
        for file in files {
            let bytes = std::fs::read(&file.up).map_err(|e| Error::io(&file.up, e))?;
            let runnable = match ddl::sql_text(&file.up, &bytes) {
                Ok(text) => ddl::runnable(&text).map_err(|what| {
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
    )?;
    let seed_streams = layout.seeds()?;
    let read_seeds = read(
        layout,
        seed_streams
            .iter()
            .filter(|(s, _)| wanted(s))
            .map(|(s, files)| (s.as_str(), files.as_slice())),
        settings,
    )?;
    let (list, migration_errors) = entries(&runtime, &read_migrations, "a migration", |_| 0);
    // A base's seeds before its overlays': an overlay's data builds on them.
    let (seeds, seed_errors) = entries(&runtime, &read_seeds, "a seed", |section| {
        crate::overlay::bases(settings, section).len()
    });
    let count = read_migrations.migrations.len();
    let seed_count = read_seeds.migrations.len();
    // A subset leaves the other sections' history to the crates that
    // generate them; a shared stream is embedded whole, so it is every section.
    let constructor = if only.is_some() && !shared {
        quote!(embedded_subset)
    } else {
        quote!(embedded)
    };
    let with_seeds = (seed_count > 0).then(|| quote!(.with_seeds(&SEEDS)));
    let seed_list = (seed_count > 0).then(|| {
        quote! {
            static SEEDS: [#runtime::migrate::Migration; #seed_count] = [#(#seeds),*];
        }
    });
    let code = quote! {
        static LIST: [#runtime::migrate::Migration; #count] = [#(#list),*];
        #seed_list
        /// The migrations of the generated sections, in the order they apply.
        pub const MIGRATIONS: #runtime::migrate::Migrations =
            #runtime::migrate::Migrations::#constructor(&LIST)#with_seeds;
        #(#migration_errors)*
        #(#seed_errors)*
    };
    // Text for the compiler (each file's SQL is one string literal): not
    // worth prettyplease's time in an unoptimised build script.
    Ok(format!(
        "{}{}",
        crate::HEADER,
        crate::emit::print_compact(code)
    ))
}

/// The `Migration::embedded(…)` of each file of `read`, in the order they
/// apply (by `rank` of their section, then name, then section), and a
/// `compile_error!` for each file that cannot run (`what`: "a migration",
/// "a seed").
fn entries(
    runtime: &syn::Path,
    read: &Read,
    what: &str,
    rank: impl Fn(&str) -> usize,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut sorted: Vec<&Embedded> = read.migrations.iter().collect();
    sorted.sort_by_cached_key(|m| (rank(&m.section), m.name.clone(), m.section.clone()));
    let entries = sorted.iter().map(|m| {
        let (section, schema, name, checksum, sql) =
            (&m.section, &m.schema, &m.name, &m.checksum, &m.sql);
        let file = m.file.display().to_string();
        // `Range { … }` rather than `a..b`: a one-statement `&[a..b]` reads
        // to clippy as a range meant to be collected.
        let statements = m.statements.iter().map(|r| {
            let start = proc_macro2::Literal::usize_unsuffixed(r.start);
            let end = proc_macro2::Literal::usize_unsuffixed(r.end);
            quote!(::core::ops::Range { start: #start, end: #end })
        });
        let mode = (!m.transaction).then(|| quote!(.without_transaction()));
        quote! {
            #runtime::migrate::Migration::embedded(
                #section, #schema, #name, #file, #checksum, #sql, &[#(#statements),*],
            )#mode
        }
    });
    let errors = read
        .errors
        .iter()
        .map(|(_, e)| {
            let message = format!("{what} cannot run: {e}");
            quote!(::core::compile_error!(#message);)
        })
        .collect();
    (entries.collect(), errors)
}
