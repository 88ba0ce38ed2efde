//! Golden cases: `tests/golden/<case>/sections/` holds SQL in; beside it,
//! `expected.json` (the model) and `expected.rs` (the generated Rust), or
//! `expected.err` (the full error message) for a case that must fail. A
//! case with a `subset.txt` (one section name per line) generates only those
//! sections, as `Config::sections` does; `expected.json` then holds their
//! models alone.
//!
//! Refresh after an intended change, then read the diff before committing:
//! `UPDATE_GOLDEN=1 cargo test -p codegen --test golden`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("tests/golden")
        .expect("tests/golden exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("sections").is_dir())
        .collect();
    cases.sort();
    cases
}

/// What a case produces: its files and their contents.
fn outputs(case: &Path) -> Vec<(&'static str, String)> {
    let mut config = codegen::Config::new(case.join("sections"));
    let subset = std::fs::read_to_string(case.join("subset.txt")).ok();
    if let Some(names) = &subset {
        config.sections(names.lines().map(str::trim).filter(|l| !l.is_empty()));
    }
    match config.load().and_then(|sections| {
        let generated = if subset.is_some() {
            config.generate_in_memory()?
        } else {
            let settings = codegen::Settings::load(&case.join("sections"))?;
            codegen::generate_code(&sections, &settings, codegen::DateTimeCrate::Chrono)?
        };
        Ok((sections, generated))
    }) {
        Ok((sections, generated)) => {
            let mut model = serde_json::to_string_pretty(&sections).expect("model serializes");
            model.push('\n');
            vec![
                ("expected.json", model),
                ("expected.rs", generated.single_file()),
            ]
        }
        Err(e) => vec![("expected.err", format!("error: {e}\n"))],
    }
}

#[test]
fn golden_cases_match() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = String::new();
    let cases = cases();
    assert!(
        cases.len() >= 10,
        "expected the golden cases, found {cases:?}"
    );
    for case in cases {
        let produced = outputs(&case);
        for stale in ["expected.json", "expected.rs", "expected.err"] {
            let path = case.join(stale);
            if path.exists() && !produced.iter().any(|(name, _)| *name == stale) {
                if update {
                    std::fs::remove_file(&path).expect("remove stale expectation");
                } else {
                    let _ = writeln!(
                        failures,
                        "{}: has {stale} but produced {}",
                        case.display(),
                        produced
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(" and ")
                    );
                }
            }
        }
        for (name, actual) in produced {
            let path = case.join(name);
            if update {
                std::fs::write(&path, &actual).expect("write expectation");
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if expected != actual {
                let _ = writeln!(
                    failures,
                    "{} differs (- expected, + actual):\n{}",
                    path.display(),
                    codegen::snapshot::diff(&expected, &actual)
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{failures}\nif the change is intended: UPDATE_GOLDEN=1 cargo test -p codegen --test golden, then review the diff"
    );
}

#[test]
fn generation_is_deterministic() {
    for case in cases() {
        let first = outputs(&case);
        let second = outputs(&case);
        assert_eq!(first, second, "{} differs between two runs", case.display());
    }
    let bundled = codegen::Config::new("../sections");
    let a = bundled
        .generate_in_memory()
        .expect("bundled sections generate");
    let b = bundled
        .generate_in_memory()
        .expect("bundled sections generate");
    assert_eq!(a, b);
}

#[test]
fn bundled_snapshots_are_fresh() {
    let root = Path::new("../sections");
    let sections = codegen::Config::new(root)
        .load()
        .expect("bundled sections load");
    assert_eq!(sections.len(), 4);
    for section in sections {
        let path = codegen::snapshot::path(root, &section.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let fresh = codegen::snapshot::render(&section);
        assert!(
            committed == fresh,
            "{} is stale (- committed, + from the migrations):\n{}\nrefresh it with `cargo run -p codegen -- snapshot`",
            path.display(),
            codegen::snapshot::diff(&committed, &fresh)
        );
        assert_eq!(
            codegen::snapshot::read(&path).expect("snapshot parses"),
            section
        );
    }
}

#[test]
fn unchanged_output_is_not_rewritten() {
    let out = std::env::temp_dir().join(format!("codegen-noop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let mut config = codegen::Config::new("../sections");
    config.out_dir(&out);
    config.generate().expect("first generation");
    let stamp = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let list = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .expect("out dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect()
    };
    let mut files = list(&out);
    assert_eq!(
        files.len(),
        4,
        "sections.rs, the embedded migrations, the manifest and the fingerprint"
    );
    let sections = list(&out.join("sections"));
    assert_eq!(sections.len(), 4, "one file per section in sections/");
    files.extend(sections);
    let before: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    config.generate().expect("second generation");
    let after: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    assert_eq!(before, after, "a no-op generation rewrote files");

    // A different model or setting regenerates, and a deleted output comes back.
    std::fs::remove_file(out.join("sections/vendor.rs")).expect("remove one output");
    config.generate().expect("third generation");
    assert!(out.join("sections/vendor.rs").is_file());
    std::fs::write(out.join("pg-sections.fingerprint"), "stale\n").expect("stale stamp");
    config.generate().expect("fourth generation");
    assert_ne!(
        std::fs::read_to_string(out.join("pg-sections.fingerprint")).expect("stamp"),
        "stale\n"
    );
    std::fs::remove_dir_all(&out).expect("clean up");
}

/// Section files are written as each is done, but take their places only
/// when every section generated: a generation that fails on one section
/// leaves the last good files of the others, and no stamp that would let
/// a later run trust files it did not write.
#[test]
fn a_failed_generation_leaves_the_last_good_files_and_no_stamp() {
    let root = std::env::temp_dir().join(format!("codegen-half-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (dir, out) = (root.join("sections"), root.join("out"));
    let write = |section: &str, sql: &str| {
        let folder = dir.join(section).join("migrations");
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(folder.join("20250101_000000_init.up.sql"), sql).expect("migration");
    };
    let good_a = "CREATE SCHEMA a;\nCREATE TABLE a.t (id int PRIMARY KEY);\n";
    let good_z = "CREATE SCHEMA z;\nCREATE TABLE z.u (id int PRIMARY KEY);\n";
    write("a", good_a);
    write("z", good_z);
    let mut config = codegen::Config::new(&dir);
    config.out_dir(&out);
    config.generate().expect("the good inputs generate");
    let a_file = out.join("sections/a.rs");
    let good = std::fs::read_to_string(&a_file).expect("a.rs");
    let migrations_file = out.join("pg-sections-migrations.rs");
    let good_migrations = std::fs::read_to_string(&migrations_file).expect("migrations");

    // `a` changes and generates; `z` gains a column no Rust type carries.
    write(
        "a",
        "CREATE SCHEMA a;\nCREATE TABLE a.t (id int PRIMARY KEY, note text);\n",
    );
    write(
        "z",
        "CREATE EXTENSION IF NOT EXISTS seg WITH SCHEMA public;\n\
         CREATE SCHEMA z;\nCREATE TABLE z.u (id int PRIMARY KEY, s public.seg);\n",
    );
    let error = config.generate().expect_err("`z` has an unmapped column");
    assert!(error.to_string().contains("public.seg"), "{error}");
    assert!(
        !out.join("pg-sections.fingerprint").exists(),
        "a failed generation left a stamp"
    );
    assert_eq!(
        std::fs::read_to_string(&a_file).expect("a.rs"),
        good,
        "a failed generation replaced another section's file"
    );
    assert_eq!(
        std::fs::read_to_string(&migrations_file).expect("migrations"),
        good_migrations,
        "a failed generation put new migrations beside the old sections"
    );
    let leftovers: Vec<_> = [out.join("sections"), out.clone()]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("out/"))
        .map(|e| e.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staged files left: {leftovers:?}");

    // Back to the good inputs: the next run regenerates, whatever the failed run wrote.
    write("a", good_a);
    write("z", good_z);
    config.generate().expect("the good inputs generate again");
    assert_eq!(std::fs::read_to_string(&a_file).expect("a.rs"), good);
    std::fs::remove_dir_all(&root).expect("clean up");
}

/// Hard mode: a crate that generates one section reads it exactly as the
/// whole folder does, so its snapshot (and `cargo sections check`) is the
/// same file whichever crate generates it.
#[test]
fn a_subset_reads_each_section_as_the_whole_folder_does() {
    let root = Path::new("../sections");
    let all = codegen::Config::new(root)
        .load()
        .expect("bundled sections load");
    for name in ["vendor", "customer", "auth"] {
        let only = codegen::Config::new(root)
            .sections([name])
            .load()
            .expect("one section loads");
        let whole = all
            .iter()
            .find(|s| s.name == name)
            .expect("bundled section");
        assert_eq!(only, std::slice::from_ref(whole), "{name}");
        assert_eq!(
            codegen::snapshot::render(&only[0]),
            std::fs::read_to_string(codegen::snapshot::path(root, name)).expect("snapshot")
        );
    }
}

/// What a build writes for a subset: its modules, its manifest lines and
/// its migrations, nothing of the other sections.
#[test]
fn a_subset_writes_and_embeds_only_its_sections() {
    let out = std::env::temp_dir().join(format!("codegen-subset-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    codegen::Config::new("../sections")
        .sections(["vendor"])
        .out_dir(&out)
        .generate()
        .expect("vendor alone generates");
    let read = |file: &str| std::fs::read_to_string(out.join(file)).expect(file);
    let root = read("sections.rs");
    assert!(root.contains("pub mod vendor {"), "{root}");
    for other in ["core", "customer", "auth"] {
        assert!(!root.contains(&format!("pub mod {other} ")), "{root}");
    }
    let files: Vec<String> = std::fs::read_dir(out.join("sections"))
        .expect("sections/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["vendor.rs"]);
    let manifest = read("pg-sections.manifest");
    let manifest = pg_sections_manifest::Manifest::parse(&manifest).expect("a manifest");
    assert_eq!(manifest.sections, ["vendor"], "{manifest:?}");
    let migrations = read("pg-sections-migrations.rs");
    for section in ["core", "customer", "auth"] {
        assert!(
            !migrations.contains(&format!("sections/{section}/")),
            "{section}'s migrations are embedded:\n{migrations}"
        );
    }
    assert_eq!(
        migrations.matches("Migration::embedded(").count(),
        3,
        "vendor's three up files:\n{migrations}"
    );
    // The other sections' history is theirs, not missing from this build.
    assert!(
        migrations.contains("Migrations::embedded_subset("),
        "{migrations}"
    );
    std::fs::remove_dir_all(&out).expect("clean up");
}

/// One migration stream for every schema is one history: a subset of its
/// sections embeds all of it.
#[test]
fn a_subset_of_a_shared_stream_embeds_the_whole_stream() {
    let out = std::env::temp_dir().join(format!("codegen-subset-shared-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let dir = Path::new("tests/golden/shared_stream/sections");
    codegen::Config::new(dir)
        .sections(["auth"])
        .out_dir(&out)
        .generate()
        .expect("auth alone generates");
    let root = std::fs::read_to_string(out.join("sections.rs")).expect("sections.rs");
    assert!(
        root.contains("pub mod auth {") && !root.contains("pub mod app "),
        "{root}"
    );
    let migrations =
        std::fs::read_to_string(out.join("pg-sections-migrations.rs")).expect("migrations");
    assert_eq!(
        migrations.matches("Migration::embedded(").count(),
        2,
        "{migrations}"
    );
    assert!(
        migrations.contains("Migrations::embedded(&LIST)"),
        "{migrations}"
    );
    std::fs::remove_dir_all(&out).expect("clean up");
}

#[test]
fn an_empty_subset_is_an_error_listing_the_sections() {
    let error = codegen::Config::new("../sections")
        .sections(Vec::<String>::new())
        .generate_in_memory()
        .expect_err("nothing to generate");
    assert_eq!(
        error.to_string(),
        "`Config::sections` names no section, so there is nothing to generate\n  = help: name one or more of the sections in `../sections`: `auth`, `core`, `customer`, `vendor`"
    );
}

/// SQL names may hold any character: a table named with a tab, a line
/// break and a backslash leaves the manifest readable (only section names
/// are in it, escaped), where the manifest's own format once broke every
/// `#[section]` of the crate.
#[test]
fn a_table_named_with_separators_leaves_the_manifest_readable() {
    let dir = std::env::temp_dir().join(format!("codegen-manifest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let migrations = dir.join("sections/shop/migrations");
    std::fs::create_dir_all(&migrations).expect("folder");
    std::fs::write(
        migrations.join("20250101_000000_odd.up.sql"),
        "CREATE SCHEMA shop;\nCREATE TABLE shop.\"a\tb\nc\\\\d\" (id int PRIMARY KEY);\n",
    )
    .expect("migration");
    let out = dir.join("out");
    codegen::Config::new(dir.join("sections"))
        .out_dir(&out)
        .generate()
        .expect("generates");
    let text = std::fs::read_to_string(out.join(pg_sections_manifest::FILE)).expect("manifest");
    let manifest = pg_sections_manifest::Manifest::parse(&text).expect("a manifest");
    assert_eq!(manifest.sections, ["shop"], "{text}");
    assert_eq!(manifest.runtime, "::pg_sections", "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
