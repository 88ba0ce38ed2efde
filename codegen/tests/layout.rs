//! Migration folders as users' machines have them: links that lead
//! nowhere, names that are not UTF-8, down files without their up file.
//! Each is an error naming the file, never a migration silently left out.

#![cfg(unix)]

use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

/// A sections folder with one section, `app`, whose first migration is fine.
fn folder(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-layout-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app/migrations")).unwrap();
    std::fs::write(
        dir.join("app/migrations/20250101_000000_app.up.sql"),
        "CREATE SCHEMA app;",
    )
    .unwrap();
    dir
}

fn error(dir: &Path) -> String {
    let error = codegen::Layout::read(dir).unwrap_err().to_string();
    std::fs::remove_dir_all(dir).unwrap();
    error
}

#[test]
fn a_dangling_symlink_is_an_error() {
    let dir = folder("dangling");
    std::os::unix::fs::symlink(
        "../../elsewhere/gone.sql",
        dir.join("app/migrations/20250102_000000_gone.up.sql"),
    )
    .unwrap();
    let error = error(&dir);
    assert!(
        error.contains("20250102_000000_gone.up.sql` is a symbolic link to `../../elsewhere/gone.sql`, which does not exist"),
        "{error}"
    );
}

#[test]
fn a_looping_symlink_is_an_error() {
    let dir = folder("loop");
    let a = dir.join("app/migrations/20250102_000000_a.up.sql");
    let b = dir.join("app/migrations/20250103_000000_b.up.sql");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let error = error(&dir);
    assert!(
        error.contains("20250102_000000_a.up.sql` is a symbolic link that cannot be followed"),
        "{error}"
    );
}

#[test]
fn a_symlink_to_a_real_file_is_a_migration() {
    let dir = folder("link-ok");
    std::fs::write(dir.join("shared.sql"), "CREATE TABLE app.t (id int);").unwrap();
    std::os::unix::fs::symlink(
        dir.join("shared.sql"),
        dir.join("app/migrations/20250102_000000_t.up.sql"),
    )
    .unwrap();
    let model = codegen::Config::new(&dir).load().unwrap();
    assert!(model[0].tables.contains_key("t"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_name_that_is_not_utf8_is_an_error() {
    let dir = folder("latin1");
    let name = std::ffi::OsStr::from_bytes(b"20250102_000000_caf\xe9.up.sql");
    std::fs::write(dir.join("app/migrations").join(name), "SELECT 1;").unwrap();
    let error = error(&dir);
    assert!(
        error.contains("has a name that is not valid UTF-8"),
        "{error}"
    );
}

#[test]
fn a_folder_named_like_a_migration_is_an_error() {
    let dir = folder("dir-sql");
    std::fs::create_dir(dir.join("app/migrations/20250102_000000_dir.up.sql")).unwrap();
    let error = error(&dir);
    assert!(
        error.contains("20250102_000000_dir.up.sql` is named like a migration but is not a file"),
        "{error}"
    );
}

#[test]
fn a_down_file_without_its_up_file_is_an_error() {
    let dir = folder("orphan");
    std::fs::write(
        dir.join("app/migrations/20250102_000000_lost.down.sql"),
        "DROP TABLE app.t;",
    )
    .unwrap();
    let error = error(&dir);
    assert!(
        error.contains("reverts migration `20250102_000000_lost`, which has no up file"),
        "{error}"
    );
}

#[test]
fn two_up_files_of_one_migration_are_an_error() {
    let dir = folder("twice");
    std::fs::write(
        dir.join("app/migrations/20250101_000000_app.sql"),
        "CREATE SCHEMA app;",
    )
    .unwrap();
    let error = error(&dir);
    assert!(
        error.contains("are both the up file of migration `20250101_000000_app`"),
        "{error}"
    );
}

#[test]
fn a_line_break_in_a_section_name_is_an_error() {
    let dir = folder("newline");
    std::fs::create_dir_all(dir.join("bad\nname/migrations")).unwrap();
    let error = error(&dir);
    assert!(
        error.contains("has a control character (a line break, a tab, …) in its name"),
        "{error}"
    );
}

#[test]
fn a_section_folder_whose_migrations_folder_is_misspelt_is_an_error() {
    let dir = folder("typo");
    std::fs::create_dir_all(dir.join("vendor/migration")).unwrap();
    std::fs::write(
        dir.join("vendor/migration/20250102_000000_vendor.up.sql"),
        "CREATE SCHEMA vendor;",
    )
    .unwrap();
    let error = error(&dir);
    assert!(
        error.contains("vendor` holds SQL files but no `migrations/` folder"),
        "{error}"
    );
}

#[test]
fn the_ddl_source_reads_a_shared_stream_in_the_order_the_migrator_applies_it() {
    // `001-name.sql` sorts before `001.sql` as a path ('-' < '.'), but the
    // migrator orders by migration name: `001` before `001-name`.
    let dir = std::env::temp_dir().join(format!("codegen-layout-order-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(
        dir.join("migrations/001.sql"),
        "CREATE SCHEMA app; CREATE TABLE app.t (id int);",
    )
    .unwrap();
    std::fs::write(
        dir.join("migrations/001-name.sql"),
        "ALTER TABLE app.t ADD COLUMN name text;",
    )
    .unwrap();
    let layout = codegen::Layout::read(&dir).unwrap();
    let names: Vec<String> = codegen::migrate::streams(&layout)
        .into_iter()
        .flat_map(|(_, ms)| ms.into_iter().map(|m| m.name))
        .collect();
    assert_eq!(names, ["001", "001-name"]);
    let sections = codegen::Config::new(&dir).load().unwrap();
    let columns: Vec<&str> = sections[0].tables["t"]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(columns, ["id", "name"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
