//! The `cargo sections` command (`cargo run -p codegen -- …` here) as a
//! shell and cargo run it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-sections");

/// A crate of a user's own, outside this workspace: a `Cargo.toml` with its
/// own `[workspace]`, and a `sections/` folder with one section.
fn user_crate(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pg-sections-cli-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let migrations = dir.join("sections/shop/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::create_dir_all(dir.join("src/deep")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        migrations.join("20250101_000000_create.up.sql"),
        "CREATE SCHEMA shop;\nCREATE TABLE shop.item (id int PRIMARY KEY);\n",
    )
    .unwrap();
    dir
}

/// Runs the installed binary as cargo runs a subcommand (`cargo sections
/// ARGS` becomes `cargo-sections sections ARGS`), in `dir`, with none of
/// the variables `cargo test` sets for this package.
fn cargo_sections(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("sections")
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME")
        .env_remove("DATABASE_URL")
        .env_remove("SHADOW_DATABASE_URL")
        .output()
        .expect("run cargo-sections")
}

#[test]
fn the_subcommand_finds_sections_beside_the_crate_manifest_from_any_folder_below_it() {
    let dir = user_crate("find");
    for from in [dir.clone(), dir.join("src/deep")] {
        let out = cargo_sections(&from, &["print", "shop"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "from {}: {}",
            from.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("pub struct Item"), "{stdout}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_subcommand_suggests_commands_that_work_outside_this_workspace() {
    let dir = user_crate("suggest");
    let out = cargo_sections(&dir, &["snapshot"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        dir.join("sections/shop/migrations/20250102_000000_more.up.sql"),
        "ALTER TABLE shop.item ADD COLUMN name text;\n",
    )
    .unwrap();
    let out = cargo_sections(&dir, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("refresh them with `cargo sections snapshot --from ddl --sections sections`"),
        "{stderr}"
    );
    assert!(!stderr.contains("cargo run"), "{stderr}");
    // Usage and help name the command the user typed.
    let out = cargo_sections(&dir, &["--help"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Usage: cargo sections"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_a_sections_folder_the_error_says_where_it_looked_and_how_to_point_elsewhere() {
    let dir = user_crate("missing");
    std::fs::remove_dir_all(dir.join("sections")).unwrap();
    let out = cargo_sections(&dir.join("src"), &["print"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("../sections"), "{stderr}");
    assert!(stderr.contains("--sections"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inside_this_workspace_suggestions_use_cargo_run() {
    // What `cargo run -p codegen -- check` sees: cargo sets the package's
    // manifest folder.
    let dir = user_crate("workspace");
    std::fs::write(dir.join("sections/shop/snapshot.json"), "{}\n").unwrap();
    let out = Command::new(BIN)
        .args(["--sections"])
        .arg(dir.join("sections"))
        .arg("check")
        .env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`cargo run -p codegen -- snapshot"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `codegen print | head`: the reader goes away after the first lines; the
/// command stops quietly instead of panicking on the broken pipe.
#[test]
fn print_into_a_closed_pipe_exits_quietly() {
    let mut child = Command::new(BIN)
        .args(["--sections", "../sections", "print"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run codegen");
    // Close the read end before the command writes: every write fails
    // with EPIPE, as after `head` exits.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("codegen ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "status {:?}, stderr: {stderr}",
        out.status
    );
    assert!(stderr.is_empty(), "nothing on stderr, got: {stderr}");
}

#[test]
fn arguments_are_checked_before_the_database_is_needed() {
    let dir = user_crate("arguments");
    for (args, expected) in [
        (
            &["migrate", "--down"][..],
            "`migrate --down` takes one section",
        ),
        (
            &["migrate", "--down", "shop", "abc"][..],
            "`abc` is not a number",
        ),
        (
            &["migrate", "nosuch"][..],
            "no migrations for section `nosuch`",
        ),
        (
            &["status", "nosuch"][..],
            "no migrations for section `nosuch`",
        ),
        (&["status"][..], "no database URL to read the status of"),
    ] {
        let out = cargo_sections(&dir, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `print` says what a build would warn about: here, that a shadow section
/// was read from a throwaway database and which views the server typed.
#[test]
fn print_warns_as_a_build_does() {
    let dir = user_crate("print-warns");
    std::fs::write(
        dir.join("sections/shop/migrations/20250102_000000_view.up.sql"),
        "CREATE FUNCTION shop.twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;\n\
         CREATE VIEW shop.doubled AS SELECT shop.twice(id) AS twice FROM shop.item;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sections/sections.toml"),
        "[section.shop]\nsource = \"shadow\"\n",
    )
    .unwrap();
    let out = cargo_sections(&dir, &["print"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning: section `shop` was read from a shadow database in a throwaway cluster"
        ) && stderr.contains("the server typed its views `doubled`"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("pub twice: Option<i32>"));
    std::fs::remove_dir_all(&dir).unwrap();
}
