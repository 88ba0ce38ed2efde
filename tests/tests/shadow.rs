//! The shadow source (`source = "shadow"`): the migrations applied to a
//! throwaway database on a real server, which the live source then reads.

use std::path::Path;

use codegen::sources::ReadFrom;

fn fixture(label: &str) -> std::path::PathBuf {
    tests::scratch_copy(Path::new("fixtures/shadow"), label)
}

/// Held by the tests that count shadow databases on the shared server, so
/// that one does not see the other's while it runs.
static COUNTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The shadow databases left on the server behind `url`.
fn shadow_databases(url: &str) -> Vec<String> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'pg_sections_shadow_%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_view_the_ddl_source_cannot_type_is_typed_by_the_shadow_database() {
    let dir = fixture("shadow-view");
    // From the migrations alone, the view over the database's own function
    // is an error that says why.
    std::fs::remove_file(dir.join("sections.toml")).unwrap();
    let error = codegen::Config::new(&dir).load().unwrap_err().to_string();
    assert!(
        error.contains("a function of the database's own"),
        "{error}"
    );
    std::fs::copy("fixtures/shadow/sections.toml", dir.join("sections.toml")).unwrap();

    let server = pg_sections::testing::server_url();
    let _counting = COUNTING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut config = codegen::Config::new(&dir);
    config.shadow_database_url(&server);
    let loaded = config.load_from(ReadFrom::Configured).unwrap();
    let report = &loaded.sections[0];
    let twice = &report.views["doubled"].columns[1];
    assert_eq!(
        (twice.name.as_str(), twice.ty.name.as_str()),
        ("twice", "int4")
    );
    assert_eq!(report.tables["sale"].columns.len(), 2);
    // The build says which views the server typed, and where.
    let warnings = loaded.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("section `report` was read from a shadow database on postgres://")
            && warnings[0].contains("the server typed its views `doubled`"),
        "{warnings:?}"
    );
    // It generates code, and leaves no database behind.
    config.generate_in_memory().unwrap();
    assert_eq!(shadow_databases(&server), Vec::<String>::new());
    // Read from its migrations (`snapshot --from ddl`), a shadow section
    // is read the same way.
    let ddl = config.load_from(ReadFrom::Ddl).unwrap();
    assert_eq!(ddl.sections, loaded.sections);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_a_shadow_url_the_build_starts_a_throwaway_cluster() {
    let dir = fixture("shadow-cluster");
    let loaded = codegen::Config::new(&dir)
        .load_from(ReadFrom::Configured)
        .unwrap();
    assert_eq!(
        loaded.sections[0].views["doubled"].columns[1].ty.name,
        "int4"
    );
    let warnings = loaded.warnings();
    assert!(
        warnings[0].contains("in a throwaway cluster"),
        "{warnings:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_migration_the_shadow_database_refuses_names_its_file_and_leaves_nothing() {
    let dir = fixture("shadow-refused");
    std::fs::write(
        dir.join("report/migrations/20250102_000000_broken.up.sql"),
        "CREATE VIEW report.broken AS SELECT no_such_column FROM report.sale;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("report/migrations/20250102_000000_broken.down.sql"),
        "DROP VIEW report.broken;\n",
    )
    .unwrap();
    let server = pg_sections::testing::server_url();
    let _counting = COUNTING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let error = codegen::Config::new(&dir)
        .shadow_database_url(&server)
        .load()
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("20250102_000000_broken.up.sql")
            && error.contains("column \"no_such_column\" does not exist"),
        "{error}"
    );
    assert_eq!(shadow_databases(&server), Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreachable_shadow_server_says_which_url() {
    let dir = fixture("shadow-unreachable");
    let error = codegen::Config::new(&dir)
        .shadow_database_url("postgres://postgres@127.0.0.1:1/postgres")
        .load()
        .unwrap_err()
        .to_string();
    assert!(error.contains("127.0.0.1:1"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_shadow_section_of_a_shared_stream_is_typed_by_the_server_beside_a_ddl_one() {
    // One stream for two schemas: `report`'s view needs the server, `core`
    // is read from the migrations.
    let dir = tests::scratch_dir("shadow-shared");
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(
        dir.join("sections.toml"),
        "sections = [\"core\", \"report\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("migrations/20250101_000000_all.up.sql"),
        "CREATE SCHEMA core;\n\
         CREATE TABLE core.item (id integer PRIMARY KEY);\n\
         CREATE SCHEMA report;\n\
         CREATE FUNCTION report.double(x integer) RETURNS integer\n\
         LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;\n\
         CREATE VIEW report.doubled AS SELECT id, report.double(id) AS twice FROM core.item;\n",
    )
    .unwrap();
    // Read from the migrations alone, the view is an error.
    let error = codegen::Config::new(&dir).load().unwrap_err().to_string();
    assert!(
        error.contains("a function of the database's own"),
        "{error}"
    );
    std::fs::write(
        dir.join("sections.toml"),
        "sections = [\"core\", \"report\"]\n[section.report]\nsource = \"shadow\"\n",
    )
    .unwrap();
    let mut config = codegen::Config::new(&dir);
    let server = pg_sections::testing::server_url();
    let _counting = COUNTING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    config.shadow_database_url(&server);
    let loaded = config.load_from(ReadFrom::Configured).unwrap();
    let names: Vec<&str> = loaded.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["core", "report"]);
    let twice = &loaded.sections[1].views["doubled"].columns[1];
    assert_eq!(
        (twice.name.as_str(), twice.ty.name.as_str()),
        ("twice", "int4")
    );
    assert_eq!(loaded.sections[0].tables["item"].columns.len(), 1);
    assert_eq!(shadow_databases(&server), Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}
