//! Integration tests of pg-sections, and the generated code they run on.
//!
//! The generated modules are compiled here under `deny(warnings)` and clippy
//! pedantic, so users never see a warning from our output.

#![deny(warnings, unused_qualifications, clippy::pedantic)]

pub mod grammar;

/// The bundled sections (`sections/` at the top of the repository).
pub mod bundled {
    pg_sections::include_sections!();
}

/// The hostile-names golden case: every identifier PostgreSQL allows.
pub mod hostile_names {
    include!(concat!(env!("OUT_DIR"), "/hostile/sections.rs"));
}

/// The team workflow's fixture (`fixtures/teams`): section `shared` and
/// its overlay `team_d`.
pub mod teams {
    include!(concat!(env!("OUT_DIR"), "/teams/sections.rs"));
}

/// Two sections in two databases (`fixtures/two_databases`): `shop` in
/// `DATABASE_URL`'s, `ledger` in `LEDGER_DATABASE_URL`'s.
pub mod two_databases {
    include!(concat!(env!("OUT_DIR"), "/two_databases/sections.rs"));
}

/// A tenant template (`fixtures/tenants`): section `tenant`, a schema per
/// tenant, beside section `core`.
pub mod tenants {
    include!(concat!(env!("OUT_DIR"), "/tenants/sections.rs"));
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

/// Names that could collide with what generated code writes itself: columns
/// named `key`, `row`, `start`; tables named `option`, `std`, `into`; a
/// section folder named `sections`, another named with a quote and a
/// backslash.
pub mod invented_names {
    include!(concat!(env!("OUT_DIR"), "/invented_names/sections.rs"));
}

/// SQL comments holding code fences, indented code, HTML, links and
/// backticks: inert text in the docs (`cargo test` runs doctests, so a
/// comment that became a code block would run here).
pub mod comments {
    include!(concat!(env!("OUT_DIR"), "/comments/sections.rs"));
}

/// Enums and domains of `public`, which is no section, used by two
/// sections: each generates its own Rust enum of the enum.
pub mod outside_types {
    include!(concat!(env!("OUT_DIR"), "/outside_types/sections.rs"));
}

/// Built-in types with no Rust mapping of ours, which travel as text.
pub mod text_form {
    include!(concat!(env!("OUT_DIR"), "/text_form/sections.rs"));
}

/// One section of two (`Config::sections`): its foreign key into the other
/// and its column of the other's domain name nothing of the section that is
/// not generated.
pub mod subset {
    include!(concat!(env!("OUT_DIR"), "/subset/sections.rs"));
}

/// The generated code of random well-formed migration sets
/// ([`grammar::migrations`]) that the DDL source accepts: compiling them
/// here is the property "any accepted input generates code that compiles".
pub mod random {
    include!(concat!(env!("OUT_DIR"), "/random/cases.rs"));
}

/// Whether the golden case folder `case` holds forms of a newer PostgreSQL
/// than the server `client` talks to: its `needs-postgres` file names the
/// major version it needs. The DDL source reads such a case all the same;
/// only applying it needs that server.
///
/// # Panics
/// The file does not hold a number, or the server cannot be asked.
pub fn needs_newer_server(case: &std::path::Path, client: &mut postgres::Client) -> bool {
    let Ok(major) = std::fs::read_to_string(case.join("needs-postgres")) else {
        return false;
    };
    let major: i32 = major
        .trim()
        .parse()
        .expect("needs-postgres holds a major version");
    let server: i32 = client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .expect("the server's version")
        .get(0);
    server < major
}

/// The sections the DDL source reads from `sql` given as the one migration
/// of a shared stream (a `pg_dump`, a first migration written by hand).
///
/// # Errors
/// The DDL source's errors, as text.
///
/// # Panics
/// The scratch folder cannot be written.
pub fn fold_migration(sql: &str) -> Result<Vec<codegen::model::Section>, String> {
    let dir = scratch_dir("fold-migration");
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(dir.join("migrations/20250101_000000_dump.up.sql"), sql).unwrap();
    let folded = codegen::Config::new(&dir).load();
    std::fs::remove_dir_all(&dir).unwrap();
    folded.map_err(|e| e.to_string())
}

/// Applies every pending `up` migration under a sections folder to
/// `client` with the migrator the CLI uses (`codegen migrate`): global
/// file-name order, one transaction per file.
///
/// # Panics
/// A migration fails: the message names the file and the server's error.
pub fn apply_migrations(client: &mut postgres::Client, sections: &std::path::Path) {
    let applied = codegen::Layout::read(sections).and_then(|layout| {
        codegen::migrate::up(client, &layout, &[], &codegen::migrate::Options::default())
    });
    if let Err(e) = applied {
        panic!("{e}");
    }
}

/// A path for a fresh temporary folder (not created), unique to this
/// process, this call and `label`; the caller removes it.
#[must_use]
pub fn scratch_dir(label: &str) -> std::path::PathBuf {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("pg-sections-{label}-{}-{call}", std::process::id()))
}

/// A copy of the folder `from` in a fresh scratch folder (see
/// [`scratch_dir`]); the caller removes it.
///
/// # Panics
/// A file cannot be read or written.
#[must_use]
pub fn scratch_copy(from: &std::path::Path, label: &str) -> std::path::PathBuf {
    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = scratch_dir(label);
    copy_dir(from, &dir);
    dir
}

/// A TCP server that accepts connections and never sends a byte: what a
/// hung PostgreSQL, a half-open proxy or the wrong port looks like.
#[derive(Debug)]
pub struct SilentServer {
    /// `postgres://` URL pointing at it.
    pub url: String,
}

/// Starts a [`SilentServer`] on loopback. It holds every connection open
/// until the test process ends.
///
/// # Panics
/// No loopback port can be bound.
#[must_use]
pub fn silent_server() -> SilentServer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    SilentServer {
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    }
}

/// `pg_dump <options> <url>`'s output: the `pg_dump` on `PATH`, else that
/// of the highest PostgreSQL version in `/usr/lib/postgresql` (where Debian
/// and Ubuntu install it, off `PATH`), as the throwaway cluster finds
/// `initdb`.
///
/// # Panics
/// No `pg_dump` is found, or it fails: the message has its error output.
#[must_use]
pub fn pg_dump(url: &str, options: &[&str]) -> String {
    let program = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("pg_dump"))
        .find(|p| p.is_file())
        .or_else(|| {
            let mut versions: Vec<(Vec<u32>, std::path::PathBuf)> =
                std::fs::read_dir("/usr/lib/postgresql")
                    .ok()?
                    .flatten()
                    .filter_map(|entry| {
                        let version = entry
                            .file_name()
                            .to_str()?
                            .split('.')
                            .map(|part| part.parse().ok())
                            .collect::<Option<Vec<u32>>>()?;
                        Some((version, entry.path().join("bin").join("pg_dump")))
                    })
                    .filter(|(_, p)| p.is_file())
                    .collect();
            versions.sort();
            versions.pop().map(|(_, p)| p)
        })
        .expect("pg_dump is neither on PATH nor in /usr/lib/postgresql/<version>/bin");
    let output = std::process::Command::new(&program)
        .args(options)
        .arg("--dbname")
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("{} cannot run: {e}", program.display()));
    assert!(
        output.status.success(),
        "pg_dump {} failed:\n{}",
        options.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("pg_dump writes UTF-8 for a UTF-8 database")
}

/// `cargo <args…>` for a fixture crate outside this workspace (`dir`),
/// offline, building into this test's own target folder.
///
/// The suite's registry crates (tokio, postgres, sqlparser, …) are already
/// built there: a fixture that resolves them to the same versions and
/// features reuses them instead of building the dependency tree again in a
/// folder of its own. Cargo holds that folder's lock only while it builds,
/// not while the tests run, so the fixture's build waits for nobody.
/// `profile.dev.package."*".debug` is this workspace's own setting
/// (`Cargo.toml`): a fixture built without it would build every
/// dependency again.
///
/// # Panics
/// If this test's executable is not in a cargo target folder
/// (`<target>/<profile>/deps/<test>`).
#[must_use]
pub fn fixture_cargo(dir: &std::path::Path, args: &[&str]) -> std::process::Command {
    let exe = std::env::current_exe().expect("the test's own path");
    let target = exe
        .ancestors()
        .nth(3)
        .filter(|target| exe.parent().is_some_and(|deps| deps.ends_with("deps")) && target.is_dir())
        .unwrap_or_else(|| panic!("{} is not in <target>/<profile>/deps", exe.display()));
    let mut cmd = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    cmd.current_dir(dir)
        .args(args)
        .args([
            "--offline",
            "--config",
            "profile.dev.package.\"*\".debug=false",
        ])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("DATABASE_URL");
    without_this_tests_cargo_variables(&mut cmd);
    cmd
}

/// Removes from `cmd`'s environment the variables cargo sets for this test
/// (`CARGO_PKG_NAME`, `OUT_DIR`, … of the `tests` package), so a cargo it
/// runs sees the environment of the cargo that ran the suite.
///
/// Build scripts ask to run again when a variable changes, and some name
/// these (ring's names `CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, …), which
/// cargo reads from its own environment. Passed on, they made a fixture's
/// cargo run ring's build script again and rebuild everything above it
/// (rustls, the runtime, codegen) in the shared target folder, and the
/// suite's next cargo rebuild it all back.
pub fn without_this_tests_cargo_variables(cmd: &mut std::process::Command) {
    const SET_BY_CARGO: [&str; 9] = [
        "OUT_DIR",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
    ];
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_EXE_")
            || SET_BY_CARGO.contains(&name)
        {
            cmd.env_remove(name);
        }
    }
}
