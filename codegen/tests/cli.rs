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

/// `cargo sections ARGS` against the database at `url`.
fn sections_on(dir: &Path, url: &str, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--database-url", url]);
    cargo_sections(dir, &all)
}

/// A user crate whose section `shop` has three migrations, the second
/// one slow enough that a second run starting with it must wait.
fn three_migrations(label: &str) -> PathBuf {
    let dir = user_crate(label);
    let migrations = dir.join("sections/shop/migrations");
    std::fs::write(
        migrations.join("20250102_000000_slow.up.sql"),
        "SELECT pg_sleep(0.3);\nCREATE TABLE shop.slow (id int);\n",
    )
    .unwrap();
    std::fs::write(
        migrations.join("20250103_000000_index.up.sql"),
        "-- pg-sections: no-transaction\nCREATE INDEX CONCURRENTLY slow_id ON shop.slow (id);\n",
    )
    .unwrap();
    dir
}

/// Two `migrate` processes started together, round after round on a fresh
/// database: each migration is applied once, neither fails, and the one
/// that waited says so and finds nothing left to do.
#[test]
fn two_migrate_processes_started_together_apply_each_file_once() {
    let dir = three_migrations("race");
    let mut waited = 0;
    for round in 0..4 {
        let db = pg_sections::testing::database();
        let start = |_| {
            Command::new(BIN)
                .args(["migrate", "--database-url", db.url()])
                .current_dir(&dir)
                .env_remove("DATABASE_URL")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children: Vec<_> = (0..2).map(start).collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let mut applied = Vec::new();
        for out in &outputs {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {stderr}");
            waited += usize::from(stderr.contains("waiting for the migration lock"));
            applied.extend(
                stderr
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("applied shop "))
                    .map(str::to_owned),
            );
        }
        applied.sort();
        assert_eq!(
            applied,
            [
                "20250101_000000_create",
                "20250102_000000_slow",
                "20250103_000000_index"
            ],
            "round {round}"
        );
        let recorded: i64 = db
            .connect()
            .query_one("SELECT count(*) FROM sections_history.shop", &[])
            .unwrap()
            .get(0);
        assert_eq!(recorded, 3, "round {round}");
    }
    // The second run started while the first held the lock (its second
    // file sleeps), waited, then found nothing left to do.
    assert!(waited > 0, "no round raced");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_that_cannot_get_the_lock_in_time_names_who_holds_it() {
    let dir = user_crate("lock-timeout");
    let db = pg_sections::testing::database();
    let mut holder = db.connect();
    holder
        .batch_execute("SET application_name = 'nightly-deploy'")
        .unwrap();
    holder
        .execute(
            "SELECT pg_advisory_lock($1)",
            &[&pg_sections::migrate::LOCK_KEY],
        )
        .unwrap();
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let out = sections_on(&dir, db.url(), &["migrate", "--lock-timeout", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("waiting for the migration lock")
            && stderr.contains(&format!("server process {pid}"))
            && stderr.contains("application `nightly-deploy`")
            && stderr.contains("held the migration lock for all of the 1 s")
            && stderr.contains("nothing was applied")
            && stderr.contains("--lock-timeout"),
        "{stderr}"
    );
    let schema: bool = holder
        .query_one("SELECT to_regnamespace('shop') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!schema, "nothing ran");
    drop(holder);
    let out = sections_on(&dir, db.url(), &["migrate", "--lock-timeout", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dry_run_status_and_history_show_the_plan_and_who_applied_what() {
    let dir = three_migrations("plan");
    let db = pg_sections::testing::database();
    let out = sections_on(&dir, db.url(), &["migrate", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Vec<&str> = stdout.lines().collect();
    assert_eq!(plan.len(), 3, "{stdout}");
    assert!(plan[0].starts_with("would apply  shop  20250101_000000_create  "));
    assert!(plan[2].ends_with("20250103_000000_index.up.sql  (without a transaction)"));
    let nothing: bool = db
        .connect()
        .query_one("SELECT to_regnamespace('shop') IS NULL AND to_regnamespace('sections_history') IS NULL", &[])
        .unwrap()
        .get(0);
    assert!(nothing, "a dry run changes nothing");
    assert!(sections_on(&dir, db.url(), &["migrate"]).status.success());
    // A file from a branch merged late: older than the newest applied.
    std::fs::write(
        dir.join("sections/shop/migrations/20250101_120000_branch.up.sql"),
        "CREATE TABLE shop.branch (id int);\n",
    )
    .unwrap();
    let out = sections_on(&dir, db.url(), &["migrate", "--dry-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("it would run out of order"), "{stderr}");
    let out = sections_on(&dir, db.url(), &["status", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "what `migrate` refuses fails CI"
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["migration"].as_str().unwrap(),
                r["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("20250101_000000_create", "applied"),
            ("20250101_120000_branch", "out-of-order"),
            ("20250102_000000_slow", "applied"),
            ("20250103_000000_index", "applied"),
        ]
    );
    assert_eq!(
        rows[1]["older_than_applied"]["migration"],
        "20250103_000000_index"
    );
    let out = sections_on(&dir, db.url(), &["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OUT OF ORDER"));
    let out = sections_on(&dir, db.url(), &["migrate", "--allow-out-of-order"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sections_on(&dir, db.url(), &["history", "shop", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3]["migration"], "20250101_120000_branch");
    assert!(
        rows.iter()
            .all(|r| r["application"] == "pg-sections codegen"
                && r["applied_by"].as_str().is_some_and(|s| !s.is_empty()))
    );
    let out = sections_on(&dir, db.url(), &["history", "shop"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("applied at (UTC)")
            && text
                .lines()
                .nth(4)
                .is_some_and(|l| l.ends_with("20250101_120000_branch")),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
