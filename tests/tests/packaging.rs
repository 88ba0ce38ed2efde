//! The packages as a user's own crate sees them: the fixture crate
//! `fixtures/user_crate` (outside this workspace, depending on the packages
//! by path as the README says, the paths pointed at this checkout) copied
//! and changed the way users get things wrong, then built with cargo; and
//! its tests run as a user runs them.
//! Also the hard-mode workspace `examples/hard-mode` (one crate per
//! section), built and tested the same way, and with a crossing that the
//! crate graph refuses.

use std::path::{Path, PathBuf};
use std::process::Output;

/// This checkout: the parent of the `tests` package, as `live`'s fixture
/// reaches it (`tests/fixtures/live_build/../../..`, which cargo reads as
/// this path).
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package is in the checkout")
}

/// A copy of the fixture crate in `<target>/tmp/fixture-crates/<label>`,
/// its `path = "../pg-sections/…"` dependencies (the README's layout, which
/// `.ci/run` builds as it is) pointed at this checkout. `live`'s fixture
/// names the packages by the same paths, so the packages build once for it
/// and every copy here: a path package is told apart by its path.
fn user_crate(label: &str) -> PathBuf {
    let dir = work().join(label);
    let _ = std::fs::remove_dir_all(&dir);
    copy(&root().join("tests/fixtures/user_crate"), &dir);
    edit(
        &dir,
        "Cargo.toml",
        "path = \"../pg-sections/",
        &root_path_prefix(),
    );
    // Cargo tells path packages in one target folder apart by name and
    // version only: built at once, one copy's successful build would pass
    // for another's. A version of its own keeps each copy apart.
    edit(
        &dir,
        "Cargo.toml",
        "version = \"0.1.0\"",
        &format!("version = \"0.1.0-{label}\""),
    );
    // The versions this workspace tested, and no registry access.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

/// `<target>/tmp/fixture-crates`.
fn work() -> PathBuf {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    std::fs::create_dir_all(&work).unwrap();
    work
}

/// `path = "<this checkout>/`, the start of a TOML string.
fn root_path_prefix() -> String {
    let root = root().to_str().expect("the checkout's path is UTF-8");
    format!(
        "path = \"{}/",
        root.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// Replaces `from` (which must be there) with `to` in `dir/file`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// A copy of the hard-mode workspace `examples/hard-mode` in
/// `<target>/tmp/fixture-crates/<label>`, its paths into this repository
/// (`../../runtime`, `../../../sections`) pointed at this checkout as
/// `user_crate` does, so the packages build once for all fixtures.
fn hard_mode(label: &str) -> PathBuf {
    let dir = work().join(label);
    let _ = std::fs::remove_dir_all(&dir);
    copy(&root().join("examples/hard-mode"), &dir);
    edit(&dir, "Cargo.toml", "path = \"../../", &root_path_prefix());
    // A version of its own, as `user_crate` gives each copy.
    edit(
        &dir,
        "Cargo.toml",
        "version = \"0.1.0\"",
        &format!("version = \"0.1.0-{label}\""),
    );
    let sections = root().join("sections");
    for section in ["vendor-db", "customer-db"] {
        edit(
            &dir,
            &format!("{section}/build.rs"),
            "\"../../../sections\"",
            &format!(
                "{:?}",
                sections.to_str().expect("the checkout's path is UTF-8")
            ),
        );
    }
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        // What building in place leaves behind.
        if ["target", "Cargo.lock"].contains(&entry.file_name().to_str().unwrap_or_default()) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `cargo <command>` (`build`, `test`) in `dir`, offline.
fn cargo(dir: &Path, command: &str) -> Output {
    cargo_with(dir, &[command])
}

/// `cargo <args…>` in `dir`, offline, in the suite's own target folder.
fn cargo_with(dir: &Path, args: &[&str]) -> Output {
    tests::fixture_cargo(dir, args)
        .arg("--quiet")
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

/// Hard mode: `vendor-db` and `customer-db` each generate one section and
/// embed its migrations alone; their tests and the services crate's, which
/// migrates with both crates' migrations, run on fresh databases.
#[test]
fn hard_mode_builds_one_crate_per_section_and_its_tests_run() {
    let dir = hard_mode("hard-mode");
    let out = cargo(&dir, "test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.matches("test result: ok. 1 passed").count() == 2,
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The boundary of hard mode is the crate graph: `vendor-db` has no
/// `customer` module and no `customer-db` dependency, so naming either is
/// rustc's own resolution error, with no attribute involved.
#[test]
fn hard_mode_a_vendor_crate_cannot_name_a_customer_item() {
    let dir = hard_mode("hard-mode-crossing");
    let lib = dir.join("vendor-db/src/lib.rs");
    let mut code = std::fs::read_to_string(&lib).unwrap();
    code.push_str(
        "\n/// Customers' carts, read from the vendor crate.\npub use crate::customer::shopping_cart;\n\
         /// The customer crate's repository, from the vendor crate.\npub use customer_db::Carts;\n",
    );
    std::fs::write(&lib, code).unwrap();
    // `test --no-run`: the features of the passing build, so the packages
    // it compiled are reused.
    let out = cargo_with(&dir, &["test", "--no-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    // The library, and its test build when cargo got to it: the same two.
    let mut errors = errors(&stderr);
    errors.dedup();
    assert_eq!(
        errors
            .iter()
            .copied()
            .filter(|e| !e.starts_with("error: could not compile `vendor-db` (lib"))
            .collect::<Vec<_>>(),
        [
            "error[E0432]: unresolved import `crate::customer`",
            "error[E0432]: unresolved import `customer_db`",
        ],
        "{stderr}"
    );
    for label in [
        "could not find `customer` in the crate root",
        "use of unresolved module or unlinked crate `customer_db`",
    ] {
        assert!(stderr.contains(label), "{label}: {stderr}");
    }
}

/// A layered crate: `services` generates no sections (no build script, no
/// manifest) and marks items with `#[section]` over the sections its
/// dependencies generate. The compiler knows their sections from the
/// types, so a vendor item holding a customer handle is refused, a vendor
/// handle is fine, and a misspelt section is one error under the name.
#[test]
fn a_layered_crate_checks_sections_generated_by_its_dependencies() {
    let dir = hard_mode("layered");
    let lib = dir.join("services/src/lib.rs");
    let mut code = std::fs::read_to_string(&lib).unwrap();
    code.push_str(
        "\n/// Stock, read through the vendor crate's handle.\n\
         #[pg_sections::section(\"vendor\")]\npub struct StockReport {\n    pub db: pg_sections::blocking::Db<vendor_db::vendor::Vendor>,\n}\n\
         /// A vendor report that reaches for carts.\n\
         #[pg_sections::section(\"vendor\")]\npub struct CartPeek {\n    pub carts: pg_sections::blocking::Db<customer_db::customer::Customer>,\n}\n\
         /// A misspelt section.\n\
         #[pg_sections::section(\"vendr\")]\npub struct Misspelt;\n",
    );
    std::fs::write(&lib, code).unwrap();
    let out = cargo_with(&dir, &["build", "-p", "services"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(
        errors(&stderr)
            .into_iter()
            .filter(|e| !e.starts_with("error: could not compile"))
            .collect::<Vec<_>>(),
        [
            "error[E0277]: an item of section `Customer` is used in a `#[section(\"vendor\")]` item",
            "error[E0277]: no section is named `vendr`",
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("pub carts: pg_sections::blocking::Db<customer_db::customer::Customer>,"),
        "{stderr}"
    );
}

/// In the crate that generates the sections (where the orphan rule does
/// not stop it), a table still cannot be declared in another section, and
/// no type can pose as a handle or a mode: `InSection` follows
/// `Table::Section`, and `Runs::executor` and `Mode::drive` take an
/// argument only pg-sections can make.
#[test]
fn a_section_cannot_be_forged_in_the_crate_that_generates_it() {
    let dir = user_crate("forged");
    let lib = dir.join("src/lib.rs");
    let mut code = std::fs::read_to_string(&lib).unwrap();
    code.push_str(
        "\nimpl pg_sections::InSection<db::catalog::Catalog> for db::orders::order_line::Table {}\n\
         /// A type posing as a handle of the orders section.\npub struct Pose;\n\
         impl pg_sections::Runs<db::orders::order_line::Table> for Pose {\n    \
         type Mode = Mode;\n    \
         fn executor(&self) -> ! {\n        unimplemented!()\n    }\n}\n\
         /// A mode that would skip the query.\npub enum Mode {}\n\
         impl pg_sections::Mode for Mode {\n    \
         type Output<'a, R: Send + 'a> = ();\n    \
         fn drive<'a, R: Send + 'a>(work: impl std::future::Future<Output = pg_sections::Result<R>> + Send + 'a) {\n        \
         let _ = work;\n    }\n}\n",
    );
    std::fs::write(&lib, code).unwrap();
    let out = cargo(&dir, "build");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(
        errors(&stderr)
            .into_iter()
            .filter(|e| !e.starts_with("error: could not compile"))
            .collect::<Vec<_>>(),
        [
            "error[E0271]: type mismatch resolving `<Table as Table>::Section == Catalog`",
            "error[E0050]: method `executor` has 1 parameter but the declaration in trait `pg_sections::Runs::executor` has 2",
            "error[E0050]: method `drive` has 1 parameter but the declaration in trait `pg_sections::Mode::drive` has 2",
        ],
        "{stderr}"
    );
}
