//! Finds the sections in a sections folder and their migration files.
//!
//! Two layouts, by convention:
//! - per section: `<dir>/<section>/migrations/*.sql`, one stream per section;
//! - shared: `<dir>/migrations/*.sql`, one stream for all schemas, objects
//!   assigned to sections by schema.
//!
//! Migration files are applied in file-name order; `.down.sql` files never
//! feed the model.

use std::path::{Path, PathBuf};

use crate::error::Error;

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
    Shared(Vec<PathBuf>),
}

/// A section folder and its `up` migration files in order (none for a
/// section read from the live database, whose folder holds its snapshot).
#[derive(Debug, Clone)]
pub struct SectionDir {
    /// Section name (the folder's name).
    pub name: String,
    /// Migration files in application order.
    pub migrations: Vec<PathBuf>,
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
                    "sections folder `{}` not found\n  = help: create it with one folder per section, each holding a `migrations/` folder of `.sql` files (or pass the right path)",
                    root.display()
                ),
            });
        }
        let shared = root.join("migrations");
        let mut sections = Vec::new();
        for entry in read_dir_sorted(root)? {
            let migrations = entry.join("migrations");
            let snapshot_only = !migrations.is_dir() && entry.join("snapshot.json").is_file();
            if entry != shared && (migrations.is_dir() || snapshot_only) {
                let name = entry
                    .file_name()
                    .and_then(|n| n.to_str())
                    .ok_or_else(|| Error::Layout {
                        message: format!("section folder `{}` is not valid UTF-8", entry.display()),
                    })?
                    .to_owned();
                sections.push(SectionDir {
                    name,
                    migrations: if snapshot_only {
                        Vec::new()
                    } else {
                        migration_files(&migrations)?
                    },
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
                    out.extend(s.migrations.iter().cloned());
                    out.push(self.root.join(&s.name).join("snapshot.json"));
                }
            }
            Streams::Shared(files) => {
                out.push(self.root.join("migrations"));
                out.extend(files.iter().cloned());
            }
        }
        out
    }

    /// Names of the section folders (per-section layout).
    #[must_use]
    pub fn section_names(&self) -> Vec<String> {
        match &self.streams {
            Streams::PerSection(sections) => sections.iter().map(|s| s.name.clone()).collect(),
            Streams::Shared(_) => Vec::new(),
        }
    }

    /// Sections whose folder holds a snapshot but no migrations.
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

/// The `up` files of a migrations folder, in file-name order.
fn migration_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    Ok(read_dir_sorted(dir)?
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            p.is_file()
                && Path::new(name)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
                && !name.ends_with(".down.sql")
        })
        .collect())
}
