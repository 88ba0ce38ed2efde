//! Finds the sections in a sections folder and their migration files.
//!
//! Two layouts, by convention:
//! - per section: `<dir>/<section>/migrations/*.sql`, one stream per section;
//! - shared: `<dir>/migrations/*.sql`, one stream for all schemas, objects
//!   assigned to sections by schema.
//!
//! Migration files are applied in file-name order; `.down.sql` files never
//! feed the model. [`FileKind::of`] is the one place that decides what a
//! file name is, case-insensitively: the model, the migrator and `status`
//! all read the files it classified.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The schema where the migrator keeps one history table per section: no
/// section may use it.
pub const HISTORY_SCHEMA: &str = "sections_history";

/// The longest section name: its seeds' history table, `seeds/<section>`,
/// must fit in PostgreSQL's 63 bytes.
pub const MAX_SECTION_NAME: usize = 63 - "seeds/".len();

/// The name of the single migration stream of the shared layout (one
/// `sections/migrations/` folder): its history table's name.
pub const SHARED_STREAM: &str = "shared";

/// The sections folder, read from disk.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The folder itself.
    pub root: PathBuf,
    /// How migrations are organised.
    pub streams: Streams,
}

/// How migrations are organised.
#[derive(Debug, Clone)]
pub enum Streams {
    /// One folder per section, each with its own `migrations/`.
    PerSection(Vec<SectionDir>),
    /// One `migrations/` folder for every schema.
    Shared(Vec<MigrationFile>),
}

/// A section folder and its migrations in order (none for a section read
/// from the live database, whose folder holds its snapshot).
#[derive(Debug, Clone)]
pub struct SectionDir {
    /// Section name (the folder's name).
    pub name: String,
    /// Migrations in application order.
    pub migrations: Vec<MigrationFile>,
}

/// One migration: its `up` file and, when there is one, its `down` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// The file name without `.up.sql`, `.down.sql` or `.sql`
    /// (`20250101_000000_create_core`): the name the history records.
    pub name: String,
    /// The file applied by `migrate` and folded into the model.
    pub up: PathBuf,
    /// The file `migrate --down` runs.
    pub down: Option<PathBuf>,
}

/// What a file in a migrations folder is, decided from its name alone and
/// case-insensitively (`X.DOWN.SQL` is a down file, never an up file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `name.up.sql` or `name.sql`: applied by `migrate`, read for the model.
    Up,
    /// `name.down.sql`: run by `migrate --down` only.
    Down,
    /// Anything else (a README, an editor's backup): not a migration.
    Other,
}

impl FileKind {
    /// Classifies a file name; returns the kind and the migration's name.
    #[must_use]
    pub fn of(file_name: &str) -> (Self, &str) {
        let strip = |name: &'_ str, suffix: &str| -> Option<usize> {
            let cut = name.len().checked_sub(suffix.len())?;
            (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix)).then_some(cut)
        };
        if let Some(cut) = strip(file_name, ".down.sql") {
            (Self::Down, &file_name[..cut])
        } else if let Some(cut) = strip(file_name, ".up.sql") {
            (Self::Up, &file_name[..cut])
        } else if let Some(cut) = strip(file_name, ".sql") {
            (Self::Up, &file_name[..cut])
        } else {
            (Self::Other, file_name)
        }
    }
}

impl Layout {
    /// Reads the layout of `root`.
    ///
    /// # Errors
    /// The folder is missing, unreadable, or mixes both layouts.
    pub fn read(root: &Path) -> Result<Self, Error> {
        if !root.is_dir() {
            return Err(Error::Layout {
                message: format!(
                    "sections folder `{}` not found\n  = help: create it with one folder per section, each holding a `migrations/` folder of `.sql` files; or point to it: `codegen::Config::new(\"DIR\")` in build.rs, `--sections DIR` on the command line",
                    root.display()
                ),
            });
        }
        let shared = root.join("migrations");
        let mut sections = Vec::new();
        for entry in read_dir_sorted(root)? {
            let migrations = entry.join("migrations");
            // A section read from the database has no migrations: its
            // folder holds its snapshot, or only its seeds until the first
            // `snapshot --from live` writes one.
            let snapshot_only = !migrations.is_dir()
                && (entry.join("snapshot.json").is_file() || entry.join("seeds").is_dir());
            if entry != shared && (migrations.is_dir() || snapshot_only) {
                let name = entry
                    .file_name()
                    .and_then(|n| n.to_str())
                    .ok_or_else(|| Error::Layout {
                        message: format!("section folder `{}` is not valid UTF-8", entry.display()),
                    })?
                    .to_owned();
                check_printable(&entry, &name)?;
                if name.len() > MAX_SECTION_NAME {
                    return Err(Error::Layout {
                        message: format!(
                            "section folder `{}` has a name of {} bytes; its histories are tables named `{name:.12}…` and `seeds/{name:.12}…`, and PostgreSQL keeps 63 bytes of a name\n  = help: rename the folder to {MAX_SECTION_NAME} bytes or fewer (its schema may keep a longer name: `schema = \"…\"` in sections.toml)",
                            entry.display(),
                            name.len()
                        ),
                    });
                }
                sections.push(SectionDir {
                    name,
                    migrations: if snapshot_only {
                        Vec::new()
                    } else {
                        migration_files(&migrations)?
                    },
                });
            } else if entry != shared
                && !(shared.is_dir() && entry == root.join("seeds"))
                && entry.is_dir()
                && holds_sql(&entry)
            {
                // A `migration/` typo or files beside `migrations/` must not
                // make a section silently disappear.
                return Err(Error::Layout {
                    message: format!(
                        "`{}` holds SQL files but no `migrations/` folder, so it would not be read as a section\n  = help: put its migrations in `{}`",
                        entry.display(),
                        migrations.display()
                    ),
                });
            }
        }
        let streams = if shared.is_dir() {
            // Snapshot-only folders of live sections sit beside the stream.
            sections.retain(|s| {
                !s.migrations.is_empty() || root.join(&s.name).join("migrations").is_dir()
            });
            if !sections.is_empty() {
                return Err(Error::Layout {
                    message: format!(
                        "`{}` has both a shared `migrations/` folder and per-section folders ({})\n  = help: use one layout: either `<section>/migrations/` for every section, or one `migrations/` for all",
                        root.display(),
                        sections
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            Streams::Shared(migration_files(&shared)?)
        } else {
            if sections.is_empty() {
                return Err(Error::Layout {
                    message: format!(
                        "`{}` holds no sections\n  = help: a section is a folder with a `migrations/` folder inside, e.g. `{}/vendor/migrations/20250101_000000_create_vendor.up.sql`",
                        root.display(),
                        root.display()
                    ),
                });
            }
            Streams::PerSection(sections)
        };
        Ok(Self {
            root: root.to_path_buf(),
            streams,
        })
    }

    /// Every file and folder whose change must re-run generation.
    #[must_use]
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut out = vec![self.root.clone(), self.root.join("sections.toml")];
        match &self.streams {
            Streams::PerSection(sections) => {
                for s in sections {
                    out.push(self.root.join(&s.name).join("migrations"));
                    out.extend(s.migrations.iter().map(|m| m.up.clone()));
                    out.push(self.root.join(&s.name).join("snapshot.json"));
                    out.push(self.root.join(&s.name).join("seeds"));
                }
            }
            Streams::Shared(files) => {
                out.push(self.root.join("migrations"));
                out.extend(files.iter().map(|m| m.up.clone()));
                out.push(self.root.join("seeds"));
            }
        }
        // Seeds are embedded: a change must rebuild; one that cannot be
        // read is reported where the seeds are used.
        if let Ok(seeds) = self.seeds() {
            out.extend(seeds.into_iter().flat_map(|(_, files)| files).map(|f| f.up));
        }
        out
    }

    /// The seeds of each stream that has any (`<section>/seeds/*.sql`, or
    /// `seeds/*.sql` beside a shared `migrations/`), each in the order of
    /// its names: idempotent data, run after the migrations by
    /// `cargo sections seed` and `Migrations::seed`. A seed is a
    /// [`MigrationFile`] without a down file.
    ///
    /// # Errors
    /// A seed that is not a readable file, or is named like an up or down
    /// migration.
    pub fn seeds(&self) -> Result<Vec<(String, Vec<MigrationFile>)>, Error> {
        let folders: Vec<(String, PathBuf)> = match &self.streams {
            Streams::PerSection(sections) => sections
                .iter()
                .map(|s| (s.name.clone(), self.root.join(&s.name).join("seeds")))
                .collect(),
            Streams::Shared(_) => vec![(SHARED_STREAM.to_owned(), self.root.join("seeds"))],
        };
        let mut out = Vec::new();
        for (stream, dir) in folders {
            if !dir.is_dir() {
                continue;
            }
            let mut seeds = Vec::new();
            for path in read_dir_sorted(&dir)? {
                let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
                    return Err(Error::Layout {
                        message: format!(
                            "`{}` has a name that is not valid UTF-8, so it cannot be ordered or recorded as a seed\n  = help: rename it, or move it out of `{}`",
                            path.display(),
                            dir.display()
                        ),
                    });
                };
                let (kind, _) = FileKind::of(file_name);
                if kind == FileKind::Other {
                    continue;
                }
                let lower = file_name.to_ascii_lowercase();
                if lower.ends_with(".up.sql") || lower.ends_with(".down.sql") {
                    return Err(Error::Layout {
                        message: format!(
                            "`{}` is named like a migration, but seeds have no up or down: each runs again whenever it changes\n  = help: name it `NAME.sql`; a change of schema belongs in `migrations/`",
                            path.display()
                        ),
                    });
                }
                check_printable(&path, file_name)?;
                check_is_file(&path)?;
                let name = file_name[..file_name.len() - ".sql".len()].to_owned();
                seeds.push(MigrationFile {
                    name,
                    up: path,
                    down: None,
                });
            }
            seeds.sort_by(|a, b| a.name.cmp(&b.name));
            if !seeds.is_empty() {
                out.push((stream, seeds));
            }
        }
        Ok(out)
    }

    /// Names of the section folders (per-section layout).
    #[must_use]
    pub fn section_names(&self) -> Vec<String> {
        match &self.streams {
            Streams::PerSection(sections) => sections.iter().map(|s| s.name.clone()).collect(),
            Streams::Shared(_) => Vec::new(),
        }
    }

    /// Sections whose folder holds no migrations (its snapshot, or only
    /// its seeds): those read from the database.
    #[must_use]
    pub fn snapshot_only(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Streams::PerSection(sections) = &self.streams {
            for s in sections.iter().filter(|s| s.migrations.is_empty()) {
                if !self.root.join(&s.name).join("migrations").is_dir() {
                    out.push(s.name.clone());
                }
            }
        }
        out
    }
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        out.push(entry.path());
    }
    out.sort();
    Ok(out)
}

/// The migrations of a migrations folder, in the order of their names (the
/// file name without `.up.sql`): the order the migrator applies them in and
/// the DDL source reads them in (`001.sql` before `001-name.sql`).
///
/// Every entry whose name says it is a migration must be a readable file:
/// a dangling or looping symbolic link, a folder named `x.sql` or a name
/// that is not UTF-8 is an error, never a file silently left out.
fn migration_files(dir: &Path) -> Result<Vec<MigrationFile>, Error> {
    let mut ups: Vec<(String, PathBuf)> = Vec::new();
    let mut downs: Vec<(String, PathBuf)> = Vec::new();
    for path in read_dir_sorted(dir)? {
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
            return Err(Error::Layout {
                message: format!(
                    "`{}` has a name that is not valid UTF-8, so it cannot be ordered or recorded as a migration\n  = help: rename it (migration names are like `20250101_000000_create_core.up.sql`), or move it out of `{}`",
                    path.display(),
                    dir.display()
                ),
            });
        };
        let (kind, name) = FileKind::of(file_name);
        if kind == FileKind::Other {
            continue;
        }
        check_printable(&path, file_name)?;
        check_is_file(&path)?;
        let list = if kind == FileKind::Up {
            &mut ups
        } else {
            &mut downs
        };
        if let Some((_, first)) = list.iter().find(|(n, _)| n == name) {
            return Err(Error::Layout {
                message: format!(
                    "`{}` and `{}` are both the {} file of migration `{name}`\n  = help: keep one of them",
                    first.display(),
                    path.display(),
                    if kind == FileKind::Up { "up" } else { "down" },
                ),
            });
        }
        list.push((name.to_owned(), path));
    }
    if let Some((name, path)) = downs.iter().find(|(d, _)| !ups.iter().any(|(u, _)| u == d)) {
        return Err(Error::Layout {
            message: format!(
                "`{}` reverts migration `{name}`, which has no up file in `{}`\n  = help: restore `{name}.up.sql`, or delete the down file",
                path.display(),
                dir.display()
            ),
        });
    }
    ups.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ups
        .into_iter()
        .map(|(name, up)| {
            let down = downs
                .iter()
                .find(|(d, _)| *d == name)
                .map(|(_, p)| p.clone());
            MigrationFile { name, up, down }
        })
        .collect())
}

/// Whether `dir` or a folder directly in it holds files named like
/// migrations.
fn holds_sql(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        let is_sql = |p: &Path| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| FileKind::of(n).0 != FileKind::Other)
        };
        if path.is_dir() {
            std::fs::read_dir(&path).is_ok_and(|inner| inner.flatten().any(|e| is_sql(&e.path())))
        } else {
            is_sql(&path)
        }
    })
}

/// A name that reaches build output (`cargo:rerun-if-changed` lines, the
/// manifest) must not hold a line break, tab or other control character.
fn check_printable(path: &Path, name: &str) -> Result<(), Error> {
    if name.chars().any(char::is_control) {
        return Err(Error::Layout {
            message: format!(
                "`{}` has a control character (a line break, a tab, …) in its name\n  = help: rename it",
                path.display().to_string().escape_debug()
            ),
        });
    }
    Ok(())
}

/// Follows symbolic links: the entry must end at a regular file.
fn check_is_file(path: &Path) -> Result<(), Error> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(Error::Layout {
            message: format!(
                "`{}` is named like a migration but is not a file\n  = help: rename it, or move it out of the migrations folder",
                path.display()
            ),
        }),
        Err(e) => {
            let link = std::fs::read_link(path).ok();
            let message = match &link {
                Some(target) if e.kind() == std::io::ErrorKind::NotFound => format!(
                    "`{}` is a symbolic link to `{}`, which does not exist",
                    path.display(),
                    target.display()
                ),
                // A loop reads "too many levels of symbolic links".
                Some(_) => format!(
                    "`{}` is a symbolic link that cannot be followed: {e}",
                    path.display()
                ),
                None => format!("`{}` cannot be read: {e}", path.display()),
            };
            Err(Error::Layout {
                message: format!(
                    "{message}\n  = help: a migration must be a readable file; fix or remove the link"
                ),
            })
        }
    }
}
