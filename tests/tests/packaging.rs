//! The packages as a user's own crate sees them: the fixture crate
//! `fixtures/user_crate` (outside this workspace, depending on the packages
//! by path as the README says) copied and changed the way users get things
//! wrong, then built with cargo; and its tests run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Output;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// A copy of the fixture crate in `<target>/user-crate/work/<label>`, beside
/// `pg-sections`, a link to this repository: the layout the README's
/// `path = "../pg-sections/…"` dependencies expect. Every copy shares the
/// link, so the packages compile once for all of them.
fn user_crate(label: &str) -> PathBuf {
    let work = Path::new(ROOT).join("target/user-crate/work");
    std::fs::create_dir_all(&work).unwrap();
    let link = work.join("pg-sections");
    if !link.exists() {
        match std::os::unix::fs::symlink(Path::new(ROOT).canonicalize().unwrap(), &link) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => panic!("{}: {e}", link.display()),
        }
    }
    let dir = work.join(label);
    let _ = std::fs::remove_dir_all(&dir);
    copy(&Path::new(ROOT).join("tests/fixtures/user_crate"), &dir);
    // Cargo tells path packages in one target folder apart by name and
    // version only: built at once, one copy's successful build would pass
    // for another's. A version of its own keeps each copy apart.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen(
        "version = \"0.1.0\"",
        &format!("version = \"0.1.0-{label}\""),
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    // The versions this workspace tested, and no registry access.
    std::fs::copy(Path::new(ROOT).join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `cargo <command>` (`build`, `test`) in `dir`, offline.
fn cargo(dir: &Path, command: &str) -> Output {
    std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .current_dir(dir)
        .args([command, "--offline", "--quiet"])
        .env(
            "CARGO_TARGET_DIR",
            Path::new(ROOT).join("target/user-crate"),
        )
        .env_remove("DATABASE_URL")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap()
}

/// The lines of cargo's output that report an error.
fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error")).collect()
}

#[test]
fn a_build_script_error_is_printed_once_as_rustc_prints_errors() {
    let dir = user_crate("bad-sql");
    let file = dir.join("sections/catalog/migrations/20250301_100000_create_catalog.up.sql");
    let mut sql = std::fs::read_to_string(&file).unwrap();
    sql.push_str("ALTER TABLE catalog.produt ADD COLUMN x int;\n");
    std::fs::write(&file, sql).unwrap();
    let out = cargo(&dir, "build");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(
        errors(&stderr),
        [
            "error: shop@0.1.0-bad-sql: table `catalog.produt` does not exist",
            "error: shop@0.1.0-bad-sql:   --> sections/catalog/migrations/20250301_100000_create_catalog.up.sql:14:13",
            "error: shop@0.1.0-bad-sql:    |",
            "error: shop@0.1.0-bad-sql: 14 | ALTER TABLE catalog.produt ADD COLUMN x int;",
            "error: shop@0.1.0-bad-sql:    |             ^^^^^^^^^^^^^^",
            "error: shop@0.1.0-bad-sql:    = help: tables in `catalog`: product",
            "error: build script logged errors",
        ],
        "{stderr}"
    );
    // Nothing of the script's own output around it: no dump of its
    // stdout, no second rendering on its stderr.
    for noise in ["Caused by", "--- stdout", "cargo:rerun", "Error:"] {
        assert!(!stderr.contains(noise), "{noise}: {stderr}");
    }
}

#[test]
fn serde_true_without_the_serde_feature_is_one_error_that_names_the_feature() {
    let dir = user_crate("serde-off");
    std::fs::write(
        dir.join("sections/sections.toml"),
        "[section.catalog]\nserde = true\n\n[section.orders]\nserde = true\n",
    )
    .unwrap();
    let out = cargo(&dir, "build");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    let errors = errors(&stderr);
    assert_eq!(errors.len(), 2, "one error, then cargo's summary: {stderr}");
    assert!(
        errors[0].contains("`serde = true` in sections.toml")
            && stderr.contains("add `features = [\"serde\"]` to the `pg-sections` dependency"),
        "{stderr}"
    );
    assert!(
        errors[1].starts_with("error: could not compile `shop`"),
        "{stderr}"
    );
}

/// The user's tests take `#[pg_sections::test]` from the dev-dependency's
/// `testing` feature and get the crate's own embedded migrations, in a
/// throwaway cluster of their process.
#[test]
fn a_users_tests_run_on_fresh_databases_with_its_sections_migrated() {
    let dir = user_crate("tests");
    let out = cargo(&dir, "test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("2 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
