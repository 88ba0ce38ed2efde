//! What the migrator does with the files users actually have: down files
//! spelled in capitals, savepoints, a file that rolls itself back, text
//! that is not SQL, history rows whose file is gone, files that must run
//! outside a transaction, errors without a position, branches merged out
//! of order, histories of an earlier version. On a real server; each
//! test has its own empty database and its own sections folder.

use std::path::{Path, PathBuf};

use codegen::migrate::{Options, State};

/// A sections folder of one section `app`, holding `files`.
fn sections(label: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = tests::scratch_dir(label);
    let migrations = dir.join("app/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    for (name, text) in files {
        std::fs::write(migrations.join(name), text).unwrap();
    }
    dir
}

fn up(client: &mut postgres::Client, dir: &Path, options: Options) -> Result<Vec<String>, String> {
    let layout = codegen::Layout::read(dir).map_err(|e| e.to_string())?;
    codegen::migrate::up(client, &layout, &[], &options)
        .map(|applied| applied.into_iter().map(|m| m.name).collect())
        .map_err(|e| e.to_string())
}

fn tables(client: &mut postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'app' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[pg_sections::test(migrations = false)]
fn a_down_file_in_capitals_is_never_applied_as_an_up_file(mut client: postgres::Client) {
    let dir = sections(
        "down-caps",
        &[
            (
                "20250101_000000_create.up.sql",
                b"CREATE SCHEMA app; CREATE TABLE app.part (id int);",
            ),
            ("20250101_000000_create.DOWN.SQL", b"DROP TABLE app.part;"),
            (
                "20250102_000000_more.Up.Sql",
                b"CREATE TABLE app.more (id int);",
            ),
            ("20250102_000000_more.Down.Sql", b"DROP TABLE app.more;"),
        ],
    );
    let applied = up(&mut client, &dir, Options::default()).unwrap();
    assert_eq!(applied, ["20250101_000000_create", "20250102_000000_more"]);
    assert_eq!(tables(&mut client), ["more", "part"]);
    // `print` folds the same files: the down files are not in the model.
    let model = codegen::Config::new(&dir).load().unwrap();
    assert_eq!(model[0].tables.len(), 2);
    // The capitalised down file is the one `migrate --down` runs.
    let layout = codegen::Layout::read(&dir).unwrap();
    let reverted = codegen::migrate::down(&mut client, &layout, "app", 1, &Options::new()).unwrap();
    assert_eq!(reverted[0].name, "20250102_000000_more");
    assert_eq!(tables(&mut client), ["part"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn rollback_to_savepoint_in_a_migration_undoes_only_its_part(mut client: postgres::Client) {
    let dir = sections(
        "savepoint",
        &[(
            "20250101_000000_app.up.sql",
            b"BEGIN;
CREATE SCHEMA app;
CREATE TABLE app.kept (id int);
SAVEPOINT try_it;
DROP TABLE app.kept;
CREATE TABLE app.undone (id int);
ROLLBACK TO SAVEPOINT try_it;
CREATE TABLE app.after (id int);
COMMIT;
",
        )],
    );
    up(&mut client, &dir, Options::default()).unwrap();
    assert_eq!(tables(&mut client), ["after", "kept"]);
    // The DDL source reads the same file the same way.
    let model = codegen::Config::new(&dir).load().unwrap();
    let names: Vec<&String> = model[0].tables.keys().collect();
    assert_eq!(names, ["after", "kept"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn files_that_would_undo_themselves_or_are_not_sql_text_stop_the_run_before_it_starts(
    mut client: postgres::Client,
) {
    let dir = sections(
        "refused",
        &[
            (
                "20250101_000000_ok.up.sql",
                b"CREATE SCHEMA app; CREATE TABLE app.first (id int);",
            ),
            (
                "20250102_000000_undo.up.sql",
                b"BEGIN;\nCREATE TABLE app.second (id int);\nROLLBACK;\n",
            ),
            (
                "20250103_000000_latin1.up.sql",
                b"COMMENT ON TABLE app.first IS 'caf\xe9';",
            ),
        ],
    );
    let error = up(&mut client, &dir, Options::default()).unwrap_err();
    assert!(
        error.contains("this `ROLLBACK` would undo the migration's own work")
            && error.contains("20250102_000000_undo.up.sql:3:1"),
        "{error}"
    );
    assert!(
        error.contains("not valid UTF-8: byte 0xE9")
            && error.contains("20250103_000000_latin1.up.sql:1:35"),
        "{error}"
    );
    // Nothing ran, not even the good first file.
    assert!(tables(&mut client).is_empty());
    let status =
        codegen::migrate::status(&mut client, &codegen::Layout::read(&dir).unwrap(), &[]).unwrap();
    assert!(status.iter().all(|s| s.state == State::Pending));
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn an_applied_migration_whose_file_is_gone_is_refused_unless_ignored(mut client: postgres::Client) {
    let dir = sections(
        "missing",
        &[
            ("20250101_000000_one.up.sql", b"CREATE SCHEMA app;"),
            (
                "20250102_000000_two.up.sql",
                b"CREATE TABLE app.two (id int);",
            ),
        ],
    );
    up(&mut client, &dir, Options::default()).unwrap();
    std::fs::remove_file(dir.join("app/migrations/20250102_000000_two.up.sql")).unwrap();
    std::fs::write(
        dir.join("app/migrations/20250103_000000_three.up.sql"),
        "CREATE TABLE app.three (id int);",
    )
    .unwrap();
    let error = up(&mut client, &dir, Options::default()).unwrap_err();
    assert!(
        error.contains("`20250102_000000_two` of section `app`")
            && error.contains("nothing was applied")
            && error.contains("--ignore-missing"),
        "{error}"
    );
    assert_eq!(tables(&mut client), ["two"]);
    let applied = up(&mut client, &dir, Options::new().ignore_missing(true)).unwrap();
    assert_eq!(applied, ["20250103_000000_three"]);
    assert_eq!(tables(&mut client), ["three", "two"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn the_history_of_a_deleted_section_is_refused_unless_ignored(mut client: postgres::Client) {
    let dir = sections(
        "gone-section",
        &[("20250101_000000_app.up.sql", b"CREATE SCHEMA app;")],
    );
    let other = dir.join("other/migrations");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("20250102_000000_other.up.sql"),
        "CREATE SCHEMA other;",
    )
    .unwrap();
    up(&mut client, &dir, Options::default()).unwrap();
    std::fs::remove_dir_all(dir.join("other")).unwrap();
    std::fs::write(
        dir.join("app/migrations/20250103_000000_t.up.sql"),
        "CREATE TABLE app.t (id int);",
    )
    .unwrap();
    let layout = codegen::Layout::read(&dir).unwrap();
    let status = codegen::migrate::status(&mut client, &layout, &[]).unwrap();
    assert!(
        status
            .iter()
            .any(|s| s.section == "other" && s.state == State::Missing),
        "{status:?}"
    );
    let error = up(&mut client, &dir, Options::default()).unwrap_err();
    assert!(
        error.contains("`20250102_000000_other` of section `other`"),
        "{error}"
    );
    assert!(tables(&mut client).is_empty());
    up(&mut client, &dir, Options::new().ignore_missing(true)).unwrap();
    assert_eq!(tables(&mut client), ["t"]);
    std::fs::remove_dir_all(dir).unwrap();
}

/// The names recorded as applied in section `app`'s history.
fn recorded(client: &mut postgres::Client) -> Vec<String> {
    pg_sections::migrate::history(client, "app")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect()
}

#[pg_sections::test(migrations = false)]
fn a_file_marked_no_transaction_runs_what_a_transaction_refuses(mut client: postgres::Client) {
    let dir = sections(
        "no-transaction",
        &[
            (
                "20250101_000000_create.up.sql",
                b"CREATE SCHEMA app;\nCREATE TYPE app.mood AS ENUM ('calm');\nCREATE TABLE app.part (id int, mood app.mood);\n",
            ),
            (
                "20250102_000000_index.up.sql",
                include_bytes!("../../fixtures/no_transaction/20250102_000000_index.up.sql"),
            ),
        ],
    );
    let applied = up(&mut client, &dir, Options::new()).unwrap();
    assert_eq!(applied, ["20250101_000000_create", "20250102_000000_index"]);
    let valid: bool = client
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.part_id'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(valid);
    let mood: String = client
        .query_one("SELECT mood::text FROM app.part", &[])
        .unwrap()
        .get(0);
    assert_eq!(mood, "busy");
    assert_eq!(recorded(&mut client).len(), 2);
    // The same statements in a file that runs in a transaction: the server
    // refuses, and nothing of it stays.
    std::fs::write(
        dir.join("app/migrations/20250103_000000_again.up.sql"),
        "CREATE TABLE app.other (id int);\nCREATE INDEX CONCURRENTLY other_id ON app.other (id);\n",
    )
    .unwrap();
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        error.contains("failed and was rolled back")
            && error.contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block")
            && error.contains("20250103_000000_again.up.sql:2:1"),
        "{error}"
    );
    assert_eq!(tables(&mut client), ["part"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn a_failing_no_transaction_file_says_what_stays_and_is_not_recorded(mut client: postgres::Client) {
    let dir = sections(
        "no-transaction-fails",
        &[(
            "20250101_000000_create.up.sql",
            b"-- pg-sections: no-transaction\nCREATE SCHEMA app;\nCREATE TABLE app.part (id int);\n\nCREATE TABLE app.part (id int);\nCREATE TABLE app.never (id int);\n",
        )],
    );
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        !error.contains("rolled back")
            && error.contains("relation \"part\" already exists")
            // The server gives no position: the statement's start is named.
            && error.contains("in the statement at ")
            && error.contains("20250101_000000_create.up.sql:5:1")
            && error.contains("the 2 statements before this one stay applied")
            && error.contains("its history is unchanged"),
        "{error}"
    );
    assert_eq!(tables(&mut client), ["part"]);
    assert!(recorded(&mut client).is_empty());
    // Made safe to run twice, the next run starts it again and records it.
    std::fs::write(
        dir.join("app/migrations/20250101_000000_create.up.sql"),
        "-- pg-sections: no-transaction\nCREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE IF NOT EXISTS app.part (id int);\nCREATE TABLE app.never (id int);\n",
    )
    .unwrap();
    up(&mut client, &dir, Options::new()).unwrap();
    assert_eq!(tables(&mut client), ["never", "part"]);
    assert_eq!(recorded(&mut client), ["20250101_000000_create"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn a_directive_the_migrator_would_not_read_stops_the_run(mut client: postgres::Client) {
    for (label, text, expected) in [
        (
            "directive-later",
            &b"CREATE SCHEMA app;\n-- pg-sections: no-transaction\nVACUUM;\n"[..],
            "up.sql:2:1",
        ),
        (
            "directive-unknown",
            b"-- pg-sections: no-transactions\nCREATE SCHEMA app;\n",
            "unknown directive `no-transactions`",
        ),
        (
            "directive-begin",
            b"-- pg-sections: no-transaction\nBEGIN;\nCREATE SCHEMA app;\nCOMMIT;\n",
            "so `BEGIN` has none to act on",
        ),
    ] {
        let dir = sections(label, &[("20250101_000000_create.up.sql", text)]);
        let error = up(&mut client, &dir, Options::new()).unwrap_err();
        assert!(error.contains(expected), "{label}: {error}");
        let schema: bool = client
            .query_one("SELECT to_regnamespace('app') IS NOT NULL", &[])
            .unwrap()
            .get(0);
        assert!(!schema, "{label}: nothing ran");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[pg_sections::test(migrations = false)]
fn a_server_error_without_a_position_names_its_statement(mut client: postgres::Client) {
    let dir = sections(
        "no-position",
        &[(
            "20250101_000000_create.up.sql",
            "CREATE SCHEMA app;\n/* é */ CREATE TABLE app.part (id int);\n  -- again\n  CREATE TABLE app.part (id int);\n".as_bytes(),
        )],
    );
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        error.contains("failed and was rolled back")
            && error.contains("relation \"part\" already exists in the statement at ")
            && error.contains("20250101_000000_create.up.sql:4:3"),
        "{error}"
    );
    // A position inside a later statement is the file's line and column.
    std::fs::write(
        dir.join("app/migrations/20250101_000000_create.up.sql"),
        "CREATE SCHEMA app;\nCREATE TABLE app.part (id int);\nSELECT nothing FROM app.part;\n",
    )
    .unwrap();
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        error.contains("20250101_000000_create.up.sql:3:8"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn a_migration_older_than_an_applied_one_is_refused_unless_allowed(mut client: postgres::Client) {
    let dir = tests::scratch_dir("out-of-order");
    for section in ["app", "other"] {
        std::fs::create_dir_all(dir.join(section).join("migrations")).unwrap();
    }
    let write = |section: &str, name: &str, sql: &str| {
        std::fs::write(
            dir.join(section)
                .join("migrations")
                .join(format!("{name}.up.sql")),
            sql,
        )
        .unwrap();
    };
    write("app", "20250101_000000_create", "CREATE SCHEMA app;");
    write(
        "app",
        "20250301_000000_late",
        "CREATE TABLE app.late (id int);",
    );
    write("other", "20250101_000000_create", "CREATE SCHEMA other;");
    up(&mut client, &dir, Options::new()).unwrap();
    // A branch merged after the newer file went out, in either section.
    write(
        "app",
        "20250201_000000_branch",
        "CREATE TABLE app.branch (id int);",
    );
    write(
        "other",
        "20250202_000000_branch",
        "CREATE TABLE other.branch (id int);",
    );
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        error.contains("`20250201_000000_branch` of section `app`")
            && error.contains("20250201_000000_branch.up.sql")
            && error.contains("`20250301_000000_late` of section `app`")
            && error.contains("20250301_000000_late.up.sql")
            && error.contains("nothing was applied")
            && error.contains("--allow-out-of-order"),
        "{error}"
    );
    let layout = codegen::Layout::read(&dir).unwrap();
    let rows = codegen::migrate::status(&mut client, &layout, &[]).unwrap();
    let states: Vec<(&str, &str, &State)> = rows
        .iter()
        .map(|s| (s.section.as_str(), s.name.as_str(), &s.state))
        .collect();
    let late = State::OutOfOrder {
        section: "app".into(),
        name: "20250301_000000_late".into(),
    };
    assert!(states.contains(&("app", "20250201_000000_branch", &late)));
    // One timeline: `other`'s file is older than `app`'s newest too.
    assert!(states.contains(&("other", "20250202_000000_branch", &late)));
    assert_eq!(tables(&mut client), ["late"]);
    // Migrating `other` alone compares with `other`'s history alone.
    let other =
        codegen::migrate::up(&mut client, &layout, &["other".to_owned()], &Options::new()).unwrap();
    assert_eq!(other[0].name, "20250202_000000_branch");
    let applied = up(&mut client, &dir, Options::new().allow_out_of_order(true)).unwrap();
    assert_eq!(applied, ["20250201_000000_branch"]);
    assert_eq!(tables(&mut client), ["branch", "late"]);
    let after = codegen::migrate::status(&mut client, &layout, &[]).unwrap();
    assert!(
        after
            .iter()
            .all(|s| matches!(s.state, State::Applied { .. }))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn the_history_records_who_applied_each_migration(mut client: postgres::Client) {
    // A history table as an earlier version made it, with one row.
    client
        .batch_execute(
            "CREATE SCHEMA sections_history;
             CREATE TABLE sections_history.app (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
             CREATE SCHEMA app;",
        )
        .unwrap();
    let dir = sections(
        "history",
        &[
            ("20250101_000000_create.up.sql", b"CREATE SCHEMA app;"),
            (
                "20250102_000000_part.up.sql",
                b"CREATE TABLE app.part (id int);",
            ),
        ],
    );
    let checksum = pg_sections::migrate::checksum(b"CREATE SCHEMA app;");
    client
        .execute(
            "INSERT INTO sections_history.app (name, checksum) VALUES ('20250101_000000_create', $1)",
            &[&checksum],
        )
        .unwrap();
    client
        .batch_execute("SET application_name = 'deploy #42'")
        .unwrap();
    let applied = up(&mut client, &dir, Options::new()).unwrap();
    assert_eq!(applied, ["20250102_000000_part"]);
    let history = pg_sections::migrate::history(&mut client, "app").unwrap();
    let who: Vec<(&str, Option<&str>, Option<&str>)> = history
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.applied_by.as_deref(),
                e.application.as_deref(),
            )
        })
        .collect();
    let role: String = client
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        who,
        [
            // Recorded before the table had the columns: not made up.
            ("20250101_000000_create", None, None),
            (
                "20250102_000000_part",
                Some(role.as_str()),
                Some("deploy #42")
            ),
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn a_file_that_releases_the_lock_stops_the_run(mut client: postgres::Client) {
    let dir = sections(
        "lock-released",
        &[
            (
                "20250101_000000_create.up.sql",
                b"CREATE SCHEMA app;\nSELECT pg_advisory_unlock_all();\n",
            ),
            (
                "20250102_000000_next.up.sql",
                b"CREATE TABLE app.next (id int);",
            ),
        ],
    );
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        error.contains("released the run's migration lock")
            && error.contains("20250101_000000_create.up.sql"),
        "{error}"
    );
    // The file ran and is recorded; the next one did not run.
    assert_eq!(recorded(&mut client), ["20250101_000000_create"]);
    assert!(tables(&mut client).is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn a_role_the_file_switches_to_neither_writes_nor_signs_the_history(mut client: postgres::Client) {
    let role: String = client
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    let owner = format!("owner_{}", std::process::id());
    client
        .batch_execute(&format!(
            "DO $$ BEGIN CREATE ROLE {owner}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
        ))
        .unwrap();
    let sql = format!(
        "CREATE SCHEMA app AUTHORIZATION {owner};\nSET ROLE {owner};\nSET application_name = 'not the run';\nCREATE TABLE app.part (id int);\n"
    );
    let dir = sections(
        "set-role",
        &[("20250101_000000_create.up.sql", sql.as_bytes())],
    );
    client
        .batch_execute("SET application_name = 'the run'")
        .unwrap();
    up(&mut client, &dir, Options::new()).unwrap();
    let history = pg_sections::migrate::history(&mut client, "app").unwrap();
    assert_eq!(history[0].applied_by.as_deref(), Some(role.as_str()));
    assert_eq!(history[0].application.as_deref(), Some("the run"));
    let table_owner: String = client
        .query_one(
            "SELECT tableowner::text FROM pg_tables WHERE schemaname = 'app'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(table_owner, owner);
    // Roles are the server's, not the test database's.
    client
        .batch_execute(&format!("DROP OWNED BY {owner}; DROP ROLE {owner};"))
        .unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test(migrations = false)]
fn a_failed_concurrent_index_build_says_to_drop_what_it_left(mut client: postgres::Client) {
    let dir = sections(
        "concurrently-fails",
        &[
            (
                "20250101_000000_create.up.sql",
                b"CREATE SCHEMA app;\nCREATE TABLE app.part (id int);\nINSERT INTO app.part VALUES (1), (1);\n",
            ),
            (
                "20250102_000000_unique.up.sql",
                b"-- pg-sections: no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS part_id ON app.part (id);\n",
            ),
        ],
    );
    let error = up(&mut client, &dir, Options::new()).unwrap_err();
    assert!(
        error.contains("could not create unique index")
            && error.contains("leaves an invalid index behind")
            && error.contains("DROP INDEX CONCURRENTLY"),
        "{error}"
    );
    let invalid: bool = client
        .query_one(
            "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = 'app.part_id'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        invalid,
        "the server left an invalid index, as the message says"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
