//! Build-cost helpers for `./run`:
//!
//! - `buildcost schema DIR TABLES SECTIONS`: writes a sections folder of
//!   `TABLES` tables of 12 columns spread over `SECTIONS` sections.
//! - `buildcost generate DIR OUT`: `codegen::Config::generate()` into `OUT`,
//!   what a build script does (timed and measured from outside).
//! - `buildcost noop DIR OUT`: generates twice and reports whether the
//!   second run rewrote any file (mtimes) and how long it took.
//! - `buildcost crates ROOT TABLES RUNTIME_DIR DIESEL_VERSION`: writes two crates under
//!   `ROOT`: `ours_TABLES` (our generated code) and `diesel_TABLES` (the
//!   same schema as `diesel print-schema` writes it, with the `Queryable`
//!   and `Insertable` structs a Diesel user writes).
//! - `buildcost script ROOT TABLES CODEGEN_DIR`: writes `ROOT/script_TABLES`,
//!   a crate whose build script calls `generate()` on `ROOT/schema_TABLES`
//!   into its `OUT_DIR`, emptied first (a cold generation every run, as a
//!   first build), and appends the seconds it took and its peak memory
//!   (KiB) to the file `BUILDCOST_REPORT` names. Touching its `trigger`
//!   file runs the script again.
//! - `buildcost edit ROOT TABLES RUNTIME_DIR CODEGEN_DIR DIESEL_VERSION`: writes
//!   `ROOT/edit_ours_TABLES` (a crate whose build script generates its
//!   sections from `sections/`, a copy of the schema, as a user's does) and
//!   `ROOT/edit_diesel_TABLES` (a copy of `diesel_TABLES`).
//! - `buildcost toggle CRATE`: the edit of the incremental-edit row: adds a
//!   column to the first table of an `edit_*` crate (its migration, or its
//!   `table!`), or takes it out again when it is there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

const SECTIONS: usize = 20;

/// One column: SQL definition, Diesel type, Rust type of the row field,
/// and whether the insert struct takes it as `Option` (defaulted).
struct Column {
    name: &'static str,
    sql: &'static str,
    diesel: &'static str,
    max_length: Option<u32>,
    rust: &'static str,
    defaulted: bool,
}

const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        sql: "SERIAL PRIMARY KEY",
        diesel: "Int4",
        max_length: None,
        rust: "i32",
        defaulted: true,
    },
    Column {
        name: "parent_id",
        sql: "INTEGER",
        diesel: "Nullable<Int4>",
        max_length: None,
        rust: "Option<i32>",
        defaulted: false,
    },
    Column {
        name: "public_id",
        sql: "UUID NOT NULL DEFAULT gen_random_uuid()",
        diesel: "Uuid",
        max_length: None,
        rust: "uuid::Uuid",
        defaulted: true,
    },
    Column {
        name: "name",
        sql: "VARCHAR(200) NOT NULL",
        diesel: "Varchar",
        max_length: Some(200),
        rust: "String",
        defaulted: false,
    },
    Column {
        name: "description",
        sql: "TEXT",
        diesel: "Nullable<Text>",
        max_length: None,
        rust: "Option<String>",
        defaulted: false,
    },
    Column {
        name: "quantity",
        sql: "INTEGER NOT NULL DEFAULT 0",
        diesel: "Int4",
        max_length: None,
        rust: "i32",
        defaulted: true,
    },
    Column {
        name: "total",
        sql: "BIGINT",
        diesel: "Nullable<Int8>",
        max_length: None,
        rust: "Option<i64>",
        defaulted: false,
    },
    Column {
        name: "ratio",
        sql: "DOUBLE PRECISION",
        diesel: "Nullable<Float8>",
        max_length: None,
        rust: "Option<f64>",
        defaulted: false,
    },
    Column {
        name: "is_active",
        sql: "BOOLEAN NOT NULL DEFAULT true",
        diesel: "Bool",
        max_length: None,
        rust: "bool",
        defaulted: true,
    },
    Column {
        name: "code",
        sql: "VARCHAR(32) NOT NULL",
        diesel: "Varchar",
        max_length: Some(32),
        rust: "String",
        defaulted: false,
    },
    Column {
        name: "created_at",
        sql: "TIMESTAMPTZ NOT NULL DEFAULT now()",
        diesel: "Timestamptz",
        max_length: None,
        rust: "chrono::DateTime<chrono::Utc>",
        defaulted: true,
    },
    Column {
        name: "updated_at",
        sql: "TIMESTAMPTZ",
        diesel: "Nullable<Timestamptz>",
        max_length: None,
        rust: "Option<chrono::DateTime<chrono::Utc>>",
        defaulted: false,
    },
];

/// Tables of section `s`: `(section name, [table names])`, `tables` in all.
fn layout(tables: usize) -> Vec<(String, Vec<String>)> {
    (0..SECTIONS)
        .map(|s| {
            let names = (0..tables)
                .filter(|t| t % SECTIONS == s)
                .map(|t| format!("t{t:04}"))
                .collect();
            (format!("s{s:02}"), names)
        })
        .collect()
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn schema(dir: &Path, tables: usize) {
    let _ = std::fs::remove_dir_all(dir);
    for (s, (section, names)) in layout(tables).iter().enumerate() {
        let mut sql = format!("CREATE SCHEMA {section};\n");
        for (i, table) in names.iter().enumerate() {
            let _ = writeln!(sql, "\nCREATE TABLE {section}.{table} (");
            for (c, column) in COLUMNS.iter().enumerate() {
                let comma = if c + 1 < COLUMNS.len() { "," } else { "" };
                let fk = if column.name == "parent_id" && i > 0 {
                    format!(" REFERENCES {section}.{} (id)", names[i - 1])
                } else {
                    String::new()
                };
                let _ = writeln!(sql, "    {} {}{fk}{comma}", column.name, column.sql);
            }
            sql.push_str(");\n");
            let _ = writeln!(
                sql,
                "CREATE INDEX {table}_code ON {section}.{table} (code);"
            );
        }
        write(
            &dir.join(section).join("migrations").join(format!(
                "2025010{}_{:06}_create_{section}.up.sql",
                1 + s / 10,
                s
            )),
            &sql,
        );
    }
}

fn generate(dir: &Path, out: &Path) -> std::time::Duration {
    let start = Instant::now();
    codegen::Config::new(dir)
        .out_dir(out)
        // As in a build script's `OUT_DIR`: printed in one pass, not formatted.
        .pretty(false)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    start.elapsed()
}

fn mtimes(out: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut all: Vec<_> = std::fs::read_dir(out)
        .expect("out folder")
        .map(|e| {
            let path = e.expect("entry").path();
            let modified = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .expect("mtime");
            (path, modified)
        })
        .collect();
    all.sort();
    all
}

fn upper(table: &str) -> String {
    let mut s = table.to_owned();
    s[..1].make_ascii_uppercase();
    s
}

fn crates(root: &Path, tables: usize, runtime: &Path, diesel_version: &str) {
    let schema_dir = root.join(format!("schema_{tables}"));
    schema(&schema_dir, tables);

    let ours = root.join(format!("ours_{tables}"));
    let generated = codegen::Config::new(&schema_dir)
        .generate_in_memory()
        .unwrap_or_else(|e| panic!("{e}"));
    write(
        &ours.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"ours_{tables}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\npg-sections = {{ path = \"{}\" }}\n\n[workspace]\n",
            runtime.display()
        ),
    );
    write(&ours.join("src/lib.rs"), &generated.single_file());

    let diesel = root.join(format!("diesel_{tables}"));
    write(
        &diesel.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"diesel_{tables}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\n\
             diesel = {{ version = \"={diesel_version}\", default-features = false, features = [\"postgres\", \"chrono\", \"uuid\"] }}\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"clock\"] }}\n\
             uuid = \"1\"\n\n[workspace]\n"
        ),
    );
    let mut schema_rs = String::from("// @generated automatically by Diesel CLI.\n");
    let mut models = String::from("//! Row structs, as a Diesel user writes them.\n");
    for (section, names) in layout(tables) {
        let _ = writeln!(schema_rs, "\npub mod {section} {{");
        for table in &names {
            let _ = writeln!(
                schema_rs,
                "    diesel::table! {{\n        {section}.{table} (id) {{"
            );
            for column in COLUMNS {
                if let Some(n) = column.max_length {
                    let _ = writeln!(schema_rs, "            #[max_length = {n}]");
                }
                let _ = writeln!(
                    schema_rs,
                    "            {} -> {},",
                    column.name, column.diesel
                );
            }
            schema_rs.push_str("        }\n    }\n\n");
        }
        for pair in names.windows(2) {
            let _ = writeln!(
                schema_rs,
                "    diesel::joinable!({} -> {} (parent_id));",
                pair[1], pair[0]
            );
        }
        if !names.is_empty() {
            let _ = writeln!(
                schema_rs,
                "\n    diesel::allow_tables_to_appear_in_same_query!({});",
                names.join(", ")
            );
        }
        schema_rs.push_str("}\n");

        let _ = writeln!(
            models,
            "\npub mod {section} {{\n    use diesel::prelude::*;"
        );
        for table in &names {
            let ty = upper(table);
            let _ = writeln!(
                models,
                "\n    #[derive(Debug, Clone, Queryable)]\n    pub struct {ty} {{"
            );
            for column in COLUMNS {
                let _ = writeln!(models, "        pub {}: {},", column.name, column.rust);
            }
            let _ = writeln!(
                models,
                "    }}\n\n    #[derive(Debug, Clone, Insertable)]\n    \
                 #[diesel(table_name = crate::schema::{section}::{table})]\n    pub struct New{ty} {{"
            );
            for column in COLUMNS.iter().filter(|c| c.name != "id") {
                let rust = if column.defaulted {
                    format!("Option<{}>", column.rust)
                } else {
                    column.rust.to_owned()
                };
                let _ = writeln!(models, "        pub {}: {rust},", column.name);
            }
            models.push_str("    }\n");
        }
        models.push_str("}\n");
    }
    write(&diesel.join("src/schema.rs"), &schema_rs);
    write(&diesel.join("src/models.rs"), &models);
    write(
        &diesel.join("src/lib.rs"),
        "pub mod models;\npub mod schema;\n",
    );
}

/// The crate of `buildcost script`.
fn script(root: &Path, tables: usize, codegen: &Path) {
    let schema_dir = root.join(format!("schema_{tables}"));
    let dir = root.join(format!("script_{tables}"));
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"script_{tables}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [build-dependencies]\ncodegen = {{ path = \"{}\" }}\n\n[workspace]\n",
            codegen.display()
        ),
    );
    write(
        &dir.join("src/lib.rs"),
        "//! Nothing: the build script is what is measured.\n",
    );
    write(&dir.join("trigger"), "");
    write(
        &dir.join("build.rs"),
        &format!(
            r#"//! `codegen::Config::generate()` as a user's build script runs it, timed.
use std::io::Write as _;

fn main() {{
    println!("cargo:rerun-if-changed=trigger");
    println!("cargo:rerun-if-env-changed=BUILDCOST_REPORT");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    // A cold generation every run: nothing of the last one left to reuse.
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("OUT_DIR");
    let started = std::time::Instant::now();
    codegen::Config::new({schema:?}).generate().expect("generate");
    let seconds = started.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    if let Some(report) = std::env::var_os("BUILDCOST_REPORT") {{
        let mut report = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(report)
            .expect("BUILDCOST_REPORT");
        writeln!(report, "{{seconds}} {{peak_kib}}").expect("report");
    }}
}}
"#,
            schema = schema_dir.display().to_string()
        ),
    );
}

/// The crates of `buildcost edit`.
fn edit(root: &Path, tables: usize, runtime: &Path, codegen: &Path, diesel_version: &str) {
    crates(root, tables, runtime, diesel_version);
    let ours = root.join(format!("edit_ours_{tables}"));
    let _ = std::fs::remove_dir_all(&ours);
    copy_dir(
        &root.join(format!("schema_{tables}")),
        &ours.join("sections"),
    );
    write(
        &ours.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"edit_ours_{tables}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\npg-sections = {{ path = \"{}\" }}\n\n\
             [build-dependencies]\ncodegen = {{ path = \"{}\" }}\n\n[workspace]\n",
            runtime.display(),
            codegen.display()
        ),
    );
    write(
        &ours.join("build.rs"),
        "fn main() {\n    codegen::Config::new(\"sections\").build();\n}\n",
    );
    write(
        &ours.join("src/lib.rs"),
        "//! The sections, generated by `build.rs`.\npg_sections::include_sections!();\n",
    );
    let diesel = root.join(format!("edit_diesel_{tables}"));
    let _ = std::fs::remove_dir_all(&diesel);
    copy_dir(&root.join(format!("diesel_{tables}")), &diesel);
    let manifest = diesel.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
    write(
        &manifest,
        &text.replace(
            &format!("name = \"diesel_{tables}\""),
            &format!("name = \"edit_diesel_{tables}\""),
        ),
    );
}

/// The edit of `buildcost toggle`: a nullable integer column added to the
/// first table, right after its key, or taken out again.
fn toggle(krate: &Path) {
    let (file, anchor, line) = if krate.join("sections").is_dir() {
        let (section, _) = &layout(1)[0];
        (
            krate
                .join("sections")
                .join(section)
                .join("migrations")
                .join(format!("20250101_000000_create_{section}.up.sql")),
            "    id SERIAL PRIMARY KEY,",
            "    extra_column INTEGER,",
        )
    } else {
        (
            krate.join("src/schema.rs"),
            "            id -> Int4,",
            "            extra_column -> Nullable<Int4>,",
        )
    };
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let with = format!("{anchor}\n{line}\n");
    let edited = if text.contains(&with) {
        text.replacen(&with, &format!("{anchor}\n"), 1)
    } else {
        let anchored = format!("{anchor}\n");
        assert!(
            text.contains(&anchored),
            "{}: no `{anchor}`",
            file.display()
        );
        text.replacen(&anchored, &with, 1)
    };
    write(&file, &edited);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

/// Migrates a fresh database with the schema at `dir`, then reads it back
/// with the live source `runs` times; prints the figures as JSON.
fn introspect(dir: &Path, runs: usize) {
    let db = pg_sections::testing::database();
    let layout = codegen::Layout::read(dir).expect("the schema folder");
    let mut client = codegen::live::connect(db.url(), std::time::Duration::from_secs(5))
        .expect("the throwaway database");
    codegen::migrate::up(
        &mut client,
        &layout,
        &[],
        &codegen::migrate::Options::default(),
    )
    .expect("migrations apply");
    let sections: Vec<(String, String)> = codegen::Config::new(dir)
        .load()
        .expect("the DDL model")
        .iter()
        .map(|s| (s.name.clone(), s.schema.clone()))
        .collect();
    let mut times = Vec::with_capacity(runs);
    let mut tables = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let model = codegen::live::introspect(&mut client, &sections).expect("introspection");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        tables = model.iter().map(|s| s.tables.len()).sum::<usize>();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"tables\": {tables}, \"sections\": {}, \"round_trips\": {}, \"runs\": {runs}, \"median_ms\": {:.1}, \"min_ms\": {:.1}, \"max_ms\": {:.1}}}",
        sections.len(),
        codegen::live::ROUND_TRIPS,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str {
        args.get(i)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("missing argument {i}; see the module documentation"))
    };
    match arg(0) {
        "schema" => schema(Path::new(arg(1)), arg(2).parse().expect("TABLES")),
        "generate" => {
            generate(Path::new(arg(1)), Path::new(arg(2)));
        }
        "introspect" => introspect(Path::new(arg(1)), arg(2).parse().expect("RUNS")),
        "noop" => {
            let (dir, out) = (Path::new(arg(1)), Path::new(arg(2)));
            let _ = std::fs::remove_dir_all(out);
            let first = generate(dir, out);
            let before = mtimes(out);
            std::thread::sleep(std::time::Duration::from_millis(50));
            let second = generate(dir, out);
            let after = mtimes(out);
            let rewritten = before
                .iter()
                .zip(&after)
                .filter(|((_, a), (_, b))| a != b)
                .count();
            println!(
                "{{\"files\": {}, \"rewritten\": {rewritten}, \"first_ms\": {:.1}, \"second_ms\": {:.1}}}",
                after.len(),
                first.as_secs_f64() * 1e3,
                second.as_secs_f64() * 1e3
            );
        }
        "crates" => crates(
            Path::new(arg(1)),
            arg(2).parse().expect("TABLES"),
            Path::new(arg(3)),
            arg(4),
        ),
        "script" => script(
            Path::new(arg(1)),
            arg(2).parse().expect("TABLES"),
            Path::new(arg(3)),
        ),
        "edit" => edit(
            Path::new(arg(1)),
            arg(2).parse().expect("TABLES"),
            Path::new(arg(3)),
            Path::new(arg(4)),
            arg(5),
        ),
        "toggle" => toggle(Path::new(arg(1))),
        other => panic!("unknown command {other}; see the module documentation"),
    }
}
