//! What the migrator does with the files users actually have: down files
//! spelled in capitals, savepoints, a file that rolls itself back, text
//! that is not SQL, history rows whose file is gone. On a real server; each
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
    let reverted = codegen::migrate::down(&mut client, &layout, "app", 1).unwrap();
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
