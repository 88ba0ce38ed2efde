//! The generated code the compile-fail and compile-pass cases
//! (`isolation/`, `queries/`, `test/`) are written against, committed so
//! the cases build without a build script: trybuild compiles them in a
//! target folder of its own, and codegen with its parser would be most of
//! that build. `cargo test -p tests --test shared_cluster generated_code::`
//! checks these files match what codegen writes today (`UPDATE_GOLDEN=1` rewrites
//! them); `src/bundled.manifest` is the manifest `#[section]` reads.
//!
//! The generated modules are compiled here under `deny(warnings)` and
//! clippy pedantic, as in the `tests` package. They are included, not
//! mounted as module files, so `cargo fmt` leaves codegen's layout alone.

#![deny(warnings, unused_qualifications, clippy::pedantic)]

/// The bundled sections (`sections/` at the top of the repository): the
/// marketplace example's `db` module is generated from the same folder.
pub mod bundled {
    include!("bundled.rs");
}

/// The team workflow's fixture (`tests/fixtures/teams`): section `shared`
/// and its overlay `team_d`.
pub mod teams {
    include!("teams.rs");
}
