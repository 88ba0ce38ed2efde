//! Typed Rust for a PostgreSQL database split into sections (one schema per
//! domain), generated from each section's SQL migrations.
//!
//! Call it from `build.rs`:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     codegen::Config::new("sections").build();
//! }
//! ```
//!
//! and include the result once in the crate with `pg_sections::include_sections!()`
//! (and, to apply the migrations at start-up, `pg_sections::include_migrations!()`).
//!
//! Data flows one way: a *source* (the migrations, parsed by [`ddl`]) yields
//! the [`model`], which alone feeds the emitter ([`generate_code`]) and the
//! committed [`snapshot`]s.

#![allow(
    clippy::needless_doctest_main,
    reason = "the examples are build scripts: their `fn main` is what they show"
)]

pub mod command;
pub mod config;
pub mod ddl;
pub mod drift;
mod embed;
mod emit;
mod error;
pub mod layout;
#[cfg(feature = "live")]
pub mod live;
#[cfg(feature = "live")]
pub mod migrate;
pub mod model;
pub mod overlay;
pub mod promote;
pub mod roles;
#[cfg(feature = "live")]
pub mod shadow;
pub mod snapshot;
pub mod sources;
pub mod stats;
pub mod tenants;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use config::Settings;
pub use emit::{DateTimeCrate, Generated, GeneratedSection, HEADER, generate as generate_code};
pub use error::{Error, Position, SqlError};
pub use layout::Layout;

/// A digest of everything the generated code depends on: the model (of
/// every section: a generated one may name another's types), the subset
/// generated, the settings, the date-time crate and this build of codegen.
fn fingerprint(
    sections: &[model::Section],
    only: Option<&[String]>,
    settings: &Settings,
    datetime: DateTimeCrate,
    pretty: bool,
) -> String {
    use std::hash::{Hash, Hasher};
    /// A stable 64-bit hash, eight bytes a step (a build script runs
    /// unoptimised: a byte-at-a-time loop over the model shows), unlike
    /// `DefaultHasher` the same across runs and Rust versions.
    struct Stable(u64);
    impl Hasher for Stable {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for chunk in bytes.chunks(8) {
                let mut word = [0; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                self.0 = (self.0 ^ u64::from_le_bytes(word))
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    .rotate_left(29);
            }
            // The length too: "ab" + "c" differs from "a" + "bc".
            self.0 ^= bytes.len() as u64;
        }
    }
    let mut hasher = Stable(0xcbf2_9ce4_8422_2325);
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    // The running build script: relinked whenever codegen itself changes,
    // even without a version bump (a git dependency, a local path).
    match std::env::current_exe().and_then(std::fs::metadata) {
        Ok(exe) => {
            exe.len().hash(&mut hasher);
            exe.modified().ok().hash(&mut hasher);
        }
        // Unknown: never match, always regenerate.
        Err(_) => std::time::SystemTime::now().hash(&mut hasher),
    }
    format!("{datetime:?} {settings:?} {only:?} {pretty}").hash(&mut hasher);
    // The model itself, field by field (its JSON, escaped and formatted
    // at `opt-level = 0`, cost a build script five times as much).
    sections.hash(&mut hasher);
    format!("{:016x}\n", hasher.finish())
}

/// `error` as `cargo::error=` lines: cargo prints each as `error: <crate>:
/// <line>`, so a multi-line message keeps its shape, one error per block.
fn cargo_errors(error: &Error) -> String {
    let messages: Vec<String> = match error {
        Error::Sql(errors) if errors.len() > 1 => errors
            .iter()
            .map(ToString::to_string)
            .chain([format!("{} SQL errors", errors.len())])
            .collect(),
        Error::Several(errors) => errors
            .iter()
            .map(ToString::to_string)
            .chain([format!("{} errors", errors.len())])
            .collect(),
        other => vec![other.to_string()],
    };
    let mut out = String::new();
    for (i, message) in messages.iter().enumerate() {
        if i > 0 {
            out.push_str("cargo::error=\n");
        }
        for line in message.lines() {
            out.push_str("cargo::error=");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Generates the section modules of a sections folder.
///
/// A builder: set options with the `&mut self` methods, then call
/// [`Config::generate`] from `build.rs`.
#[derive(Debug, Clone)]
pub struct Config {
    dir: PathBuf,
    out_dir: Option<PathBuf>,
    datetime: DateTimeCrate,
    connect_timeout: Duration,
    database_url: Option<String>,
    shadow_database_url: Option<String>,
    only: Option<Vec<String>>,
    pretty: Option<bool>,
}

impl Config {
    /// Reads sections from `dir`, relative to the crate's `Cargo.toml`
    /// when run from a build script.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("../sections").build();
    /// }
    /// ```
    #[must_use]
    pub fn new(dir: impl AsRef<Path>) -> Self {
        Self {
            dir: dir.as_ref().to_path_buf(),
            out_dir: None,
            datetime: DateTimeCrate::Chrono,
            connect_timeout: Duration::from_secs(5),
            database_url: None,
            shadow_database_url: None,
            only: None,
            pretty: None,
        }
    }

    /// Writes into `dir` instead of `OUT_DIR`.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("sections")
    ///         .out_dir("src/generated")
    ///         .build();
    /// }
    /// ```
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Formats the sections' code with prettyplease (`true`), or prints
    /// it in one pass, one item, field or statement per line (`false`).
    /// The embedded migrations (a string literal per file) are printed
    /// one per line either way.
    ///
    /// The default: formatted in a folder given to [`Config::out_dir`]
    /// (files people read, often committed), printed in one pass in
    /// `OUT_DIR`, where formatting would be most of the build script's
    /// time (several times the rest in the unoptimised profile build
    /// scripts compile in) for text the compiler reads.
    /// `cargo sections print` always formats.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("sections").pretty(true).build();
    /// }
    /// ```
    pub fn pretty(&mut self, pretty: bool) -> &mut Self {
        self.pretty = Some(pretty);
        self
    }

    /// Maps `date`, `time`, `timestamp` and `timestamptz` to the `time` crate
    /// instead of `chrono` (enable the runtime's `time` feature too).
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("sections")
    ///         .datetime(codegen::DateTimeCrate::Time)
    ///         .build();
    /// }
    /// ```
    pub fn datetime(&mut self, datetime: DateTimeCrate) -> &mut Self {
        self.datetime = datetime;
        self
    }

    /// How long connecting to the database of live sections may take before
    /// the build falls back to their snapshots (default 5 s).
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("sections")
    ///         .connect_timeout(std::time::Duration::from_secs(2))
    ///         .build();
    /// }
    /// ```
    pub fn connect_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.connect_timeout = timeout;
        self
    }

    /// Reads live sections from `url` instead of the URL variable
    /// (`DATABASE_URL` unless `sections.toml` names another).
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("sections")
    ///         .database_url("postgres://codegen@staging/app")
    ///         .build();
    /// }
    /// ```
    pub fn database_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.database_url = Some(url.into());
        self
    }

    /// The server where shadow sections (`source = "shadow"`) create their
    /// throwaway database, instead of `SHADOW_DATABASE_URL`'s (without
    /// either: a throwaway cluster of the build's own).
    pub fn shadow_database_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.shadow_database_url = Some(url.into());
        self
    }

    /// Generates only the named sections (default: every section of the
    /// folder): *hard mode*, one crate per section, where the crate graph
    /// is the boundary between sections, with no `#[section]` attribute.
    ///
    /// ```no_run
    /// // build.rs of the crate `vendor-db`
    /// fn main() {
    ///     codegen::Config::new("../sections")
    ///         .sections(["vendor"])
    ///         .build();
    /// }
    /// ```
    ///
    /// Every section of the folder is still read, in one timeline (a
    /// migration may refer to another section's tables), but only these get
    /// a module, a place in the manifest and their migrations embedded for
    /// `include_migrations!()` (with one shared migration stream for every
    /// schema, the stream is one history and is embedded whole). Those
    /// migrations leave the other sections' history alone, and a section
    /// whose migrations need another section's tables migrates only after
    /// the crate that embeds that section has applied its own. What a
    /// section's code would say about a section that is not generated is
    /// left out: joins only ever follow foreign keys inside a section, and a
    /// domain of another section maps to its base type, but a column whose
    /// type is another section's enum has no module to name it from, so it
    /// is an unmapped-type error until that section is generated too or the
    /// column gets a type in `sections.toml`.
    ///
    /// A name that is not a section of the folder is an error listing the
    /// sections, with a suggestion for a typo; so is an empty list.
    pub fn sections<I>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let mut names: Vec<String> = names.into_iter().map(Into::into).collect();
        names.sort();
        names.dedup();
        self.only = Some(names);
        self
    }

    /// Reads the sections and writes `sections.rs` (one `pub mod` per
    /// section), one `<section>.rs` per section and the manifest the
    /// `#[section]` attribute reads into `OUT_DIR`, printing
    /// `cargo:rerun-if-changed` for every input. A file is written only when
    /// its content changed, so an unchanged schema triggers no rebuild.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() -> Result<(), codegen::Error> {
    ///     codegen::Config::new("sections").generate()
    /// }
    /// ```
    ///
    /// # Errors
    /// SQL errors (file, line and column), configuration errors, unmappable
    /// types, name clashes, I/O errors, or [`Error::MissingOutDir`] outside
    /// a build script without [`Config::out_dir`].
    pub fn generate(&self) -> Result<(), Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::MissingOutDir)?,
        };
        let pretty = self.pretty.unwrap_or(self.out_dir.is_some());
        let layout = Layout::read(&self.dir);
        // Watch the folder even when reading it failed, so fixing it re-runs.
        println!("cargo:rerun-if-changed={}", self.dir.display());
        let layout = layout?;
        for input in layout.inputs() {
            if input.exists() {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let settings = Settings::load(&self.dir)?;
        // The DDL source notes each file's runnable form as it splits it:
        // the embedded migrations take those instead of splitting again.
        let split = ddl::Runnables::default();
        let loaded = sources::load_noting(
            &sources::Request {
                layout: &layout,
                settings: &settings,
                from: sources::ReadFrom::Configured,
                timeout: self.connect_timeout,
                url: self.database_url.as_deref(),
                shadow_url: self.shadow_database_url.as_deref(),
            },
            Some(&split),
        );
        let embed = || embed::code(&layout, &settings, self.only.as_deref(), Some(&split));
        let mut watched: Vec<&str> = vec![
            settings.database_url_env(),
            sources::OFFLINE_ENV,
            sources::SHADOW_URL_ENV,
        ];
        for name in settings.section.keys() {
            let var = settings.database_url_env_of(name);
            if !watched.contains(&var) {
                watched.push(var);
            }
        }
        for var in watched {
            println!("cargo:rerun-if-env-changed={var}");
        }
        let loaded = loaded?;
        for warning in loaded.warnings() {
            println!("cargo:warning=pg-sections: {warning}");
        }
        let only = self.selected(&loaded.sections)?;
        // The embedded migrations depend on every up file, not on the model
        // alone: staged before the fingerprint shortcut. Staged before the
        // sections' code, so that the texts of both are never held at once,
        // and put in place with the sections' files, so that a failed run
        // leaves neither (a build script that carries on past the error
        // does not compile new migrations beside old sections).
        std::fs::create_dir_all(&out_dir).map_err(|e| Error::io(&out_dir, e))?;
        let staged = snapshot::Staged::default();
        staged.stage(&out_dir.join(embed::FILE), &embed()?)?;
        let stamp = out_dir.join("pg-sections.fingerprint");
        let outputs_exist = out_dir.join("sections.rs").is_file()
            && out_dir.join(pg_sections_manifest::FILE).is_file()
            && loaded
                .sections
                .iter()
                .filter(|s| only.is_none_or(|names| names.contains(&s.name)))
                .all(|s| {
                    out_dir
                        .join("sections")
                        .join(emit::section_file_name(&s.name))
                        .is_file()
                });
        let fingerprint_now =
            || fingerprint(&loaded.sections, only, &settings, self.datetime, pretty);
        // Generating is most of the cost; skip it when nothing that shapes
        // the output changed since the files in OUT_DIR were written. With
        // no stamp to compare (a cold build), the fingerprint is computed
        // beside the generation instead of before it.
        let known = match std::fs::read_to_string(&stamp) {
            Ok(old) if outputs_exist => {
                let now = fingerprint_now();
                if old == now {
                    return staged.commit();
                }
                Some(now)
            }
            _ => None,
        };
        let style = if pretty {
            emit::Style::Pretty
        } else {
            emit::Style::Compact
        };
        // The files change from here on: a stamp left behind would vouch
        // for them if this run fails half-way and the inputs go back.
        match std::fs::remove_file(&stamp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(&stamp, e));
            }
            _ => {}
        }
        let section_dir = out_dir.join("sections");
        std::fs::create_dir_all(&section_dir).map_err(|e| Error::io(&section_dir, e))?;
        // Each section's text goes to a file beside its place as soon as it
        // is done, so the texts of all sections are never held at once; the
        // files take their places only once every section generated, so a
        // failed run leaves the last good ones (and a build script that
        // carries on past the error does not compile a mix).
        let write = |section: &emit::GeneratedSection| {
            staged.stage(&section_dir.join(section.file_name()), &section.code)
        };
        let (generated, fingerprint) = std::thread::scope(|scope| {
            let pending = known.is_none().then(|| scope.spawn(fingerprint_now));
            let generated = emit::generate_some(
                &loaded.sections,
                only,
                &settings,
                self.datetime,
                style,
                Some(&write),
            );
            let fingerprint = match pending {
                Some(pending) => pending
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => known.unwrap_or_else(fingerprint_now),
            };
            (generated, fingerprint)
        });
        // On an error, dropping `staged` removes what it staged.
        let generated = generated?;
        staged.commit()?;
        snapshot::write_if_changed(&out_dir.join("sections.rs"), &generated.root_file())?;
        snapshot::write_if_changed(
            &out_dir.join(pg_sections_manifest::FILE),
            &generated.manifest(),
        )?;
        snapshot::write_if_changed(&stamp, &fingerprint)?;
        Ok(())
    }

    /// [`Config::generate`] for a build script that does nothing else: an
    /// error is handed to cargo, which prints it once, as rustc prints
    /// errors (file, line and column, the line quoted, the help), and fails
    /// the build when the script ends, without the script's own output
    /// around it. A `main` returning [`Config::generate`]'s `Result` gets
    /// cargo's dump of the failed script's output instead.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     codegen::Config::new("sections").build();
    /// }
    /// ```
    pub fn build(&self) {
        if let Err(error) = self.generate() {
            print!("{}", cargo_errors(&error));
        }
    }

    /// Reads the sections into the model from their migrations (sections
    /// without migrations from the live database or their snapshots).
    ///
    /// # Errors
    /// As [`Config::generate`].
    /// Only the sections given to [`Config::sections`], when it was called.
    pub fn load(&self) -> Result<Vec<model::Section>, Error> {
        Ok(self.load_from(sources::ReadFrom::Ddl)?.sections)
    }

    /// Reads the sections from `from`, with the warnings a build would
    /// print (only those given to [`Config::sections`], when it was called).
    ///
    /// # Errors
    /// As [`Config::generate`]; with [`sources::ReadFrom::Live`], an unreachable
    /// database is an error rather than a fallback.
    pub fn load_from(&self, from: sources::ReadFrom) -> Result<sources::Loaded, Error> {
        let settings = Settings::load(&self.dir)?;
        let mut loaded = self.load_with(&settings, from)?;
        if let Some(only) = self.selected(&loaded.sections)? {
            let only = only.to_vec();
            loaded.sections.retain(|s| only.contains(&s.name));
            // The warnings name only the sections asked for.
            if let Some(sources::LiveSource::Snapshot { sections, .. }) = &mut loaded.live {
                sections.retain(|s| only.contains(s));
                if sections.is_empty() {
                    loaded.live = None;
                }
            }
        }
        Ok(loaded)
    }

    /// The names given to [`Config::sections`], each checked against the
    /// sections read, or `None` for every section.
    fn selected(&self, sections: &[model::Section]) -> Result<Option<&[String]>, Error> {
        let Some(only) = &self.only else {
            return Ok(None);
        };
        let known: Vec<&str> = sections.iter().map(|s| s.name.as_str()).collect();
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if only.is_empty() {
            return Err(Error::Usage {
                message: format!(
                    "`Config::sections` names no section, so there is nothing to generate\n  = help: name one or more of the sections in `{}`: {list}",
                    self.dir.display()
                ),
            });
        }
        let unknown: Vec<String> = only
            .iter()
            .filter(|name| !known.contains(&name.as_str()))
            .map(|name| {
                let hint = error::nearest(name, &known)
                    .map(|n| format!("\n  = help: did you mean `{n}`?"))
                    .unwrap_or_default();
                format!(
                    "`Config::sections` names `{name}`, which is not a section of `{}`; the sections are: {list}{hint}",
                    self.dir.display()
                )
            })
            .collect();
        if unknown.is_empty() {
            Ok(Some(only))
        } else {
            Err(Error::Usage {
                message: unknown.join("\n\nerror: "),
            })
        }
    }

    fn load_with(
        &self,
        settings: &Settings,
        from: sources::ReadFrom,
    ) -> Result<sources::Loaded, Error> {
        let layout = Layout::read(&self.dir)?;
        sources::load(&sources::Request {
            layout: &layout,
            settings,
            from,
            timeout: self.connect_timeout,
            url: self.database_url.as_deref(),
            shadow_url: self.shadow_database_url.as_deref(),
        })
    }

    /// Reads the sections as a build would and generates their code, without
    /// writing anything.
    ///
    /// # Errors
    /// As [`Config::generate`].
    pub fn generate_in_memory(&self) -> Result<Generated, Error> {
        self.generate_in_memory_with_warnings()
            .map(|(generated, _)| generated)
    }

    /// As [`Config::generate_in_memory`], with what a build would warn
    /// about (see [`sources::Loaded::warnings`]).
    ///
    /// # Errors
    /// As [`Config::generate`].
    pub fn generate_in_memory_with_warnings(&self) -> Result<(Generated, Vec<String>), Error> {
        let settings = Settings::load(&self.dir)?;
        let loaded = self.load_with(&settings, sources::ReadFrom::Configured)?;
        let only = self.selected(&loaded.sections)?;
        let generated = emit::generate_some(
            &loaded.sections,
            only,
            &settings,
            self.datetime,
            emit::Style::Pretty,
            None,
        )?;
        Ok((generated, loaded.warnings()))
    }
}
