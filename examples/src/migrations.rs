//! Applies the sections' migrations to a database, for the example and its
//! tests (a stand-in until `codegen` migrates from the CLI).

use std::path::{Path, PathBuf};

use pg_sections::Connection;

use crate::{Error, Result};

/// The `up` migrations of every section under `sections`, in the order the
/// DDL source reads them: by file name across all sections (their
/// `YYYYMMDD_HHMMSS_` prefixes make one timeline), from each
/// `<section>/migrations/` folder and from a shared `migrations/` stream.
///
/// # Errors
/// [`Error::Io`] when a folder cannot be read.
pub fn files(sections: &Path) -> Result<Vec<PathBuf>> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let mut folders = vec![sections.join("migrations")];
    for entry in std::fs::read_dir(sections).map_err(io(sections))? {
        folders.push(entry.map_err(io(sections))?.path().join("migrations"));
    }
    let mut files = Vec::new();
    for folder in folders.into_iter().filter(|folder| folder.is_dir()) {
        for entry in std::fs::read_dir(&folder).map_err(io(&folder))? {
            let path = entry.map_err(io(&folder))?.path();
            if path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with(".up.sql"))
            {
                files.push(path);
            }
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then_with(|| a.cmp(b)));
    Ok(files)
}

/// Applies every `up` migration under `sections` to `conn`, one file per
/// batch, in the order of [`files`]; the files applied.
///
/// Lines that start with `\` (psql meta-commands) are left out: the server
/// does not know them.
///
/// # Errors
/// [`Error::Io`] for a file that cannot be read, [`Error::Migration`]
/// naming the file the server refused.
pub fn apply(conn: &Connection, sections: &Path) -> Result<Vec<PathBuf>> {
    let files = files(sections)?;
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
            path: file.clone(),
            source,
        })?;
        let sql: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with('\\'))
            .collect();
        conn.batch_execute(&sql.join("\n"))
            .map_err(|source| Error::Migration {
                file: file.clone(),
                source,
            })?;
    }
    Ok(files)
}
