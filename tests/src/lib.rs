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

/// Applies every pending `up` migration under a sections folder to
/// `client` with the migrator the CLI uses (`codegen migrate`): global
/// file-name order, one transaction per file.
///
/// # Panics
/// A migration fails: the message names the file and the server's error.
pub fn apply_migrations(client: &mut postgres::Client, sections: &std::path::Path) {
    let applied = codegen::Layout::read(sections)
        .and_then(|layout| codegen::migrate::up(client, &layout, &[]));
    if let Err(e) = applied {
        panic!("{e}");
    }
}
