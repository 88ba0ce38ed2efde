//! Integration tests of pg-sections, and the generated code they run on.
//!
//! The generated modules are compiled here under `deny(warnings)` and clippy
//! pedantic, so users never see a warning from our output.

#![deny(warnings, unused_qualifications, clippy::pedantic)]

pub mod cluster;

/// The bundled sections (`sections/` at the top of the repository).
pub mod bundled {
    runtime::include_sections!();
}

/// The hostile-names golden case: every identifier PostgreSQL allows.
pub mod hostile_names {
    include!(concat!(env!("OUT_DIR"), "/hostile/sections.rs"));
}

/// The every-statement golden case: every type the DDL source maps.
pub mod every_statement {
    include!(concat!(env!("OUT_DIR"), "/every_statement/sections.rs"));
}

/// The every-statement golden case with the `time` crate for dates and times.
pub mod every_statement_time {
    include!(concat!(
        env!("OUT_DIR"),
        "/every_statement_time/sections.rs"
    ));
}

/// Applies every `up` migration under a sections folder to `client`, in the
/// global file-name order the DDL source uses (psql meta-commands dropped).
///
/// # Panics
/// A migration fails: the message names the file and the server's error.
pub fn apply_migrations(client: &mut postgres::Client, sections: &std::path::Path) {
    let mut files = Vec::new();
    let mut folders = vec![sections.join("migrations")];
    for entry in std::fs::read_dir(sections).expect("sections folder") {
        folders.push(entry.expect("entry").path().join("migrations"));
    }
    for folder in folders.into_iter().filter(|f| f.is_dir()) {
        for entry in std::fs::read_dir(&folder).expect("migrations folder") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if name.ends_with(".up.sql") {
                files.push((name, path));
            }
        }
    }
    files.sort();
    for (_, path) in files {
        let text = std::fs::read_to_string(&path).expect("readable migration");
        let sql: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('\\'))
            .collect::<Vec<_>>()
            .join("\n");
        if let Err(e) = client.batch_execute(&sql) {
            panic!("{}: {e:?}", path.display());
        }
    }
}
