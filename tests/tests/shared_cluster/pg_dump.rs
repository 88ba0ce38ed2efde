//! The DDL source reads what `pg_dump --schema-only` writes: the corpus in
//! `fixtures/pg_dump/corpus.sql` is applied to a real server and dumped with
//! several option sets; the DDL model of the corpus itself, of each dump,
//! and of the dump of it committed beside the corpus (PostgreSQL 15's
//! `pg_dump`), must equal the live model of the database, field by field.

use std::path::Path;

use codegen::model::Section;

/// The option sets users dump a schema with, and the committed dump of
/// each: plain, the `--clean --if-exists` prologue (what Rails'
/// `db/structure.sql` holds), without owners and grants, and with every
/// identifier quoted.
const VARIANTS: &[(&[&str], &str)] = &[
    (&["--schema-only"], "schema-only.sql"),
    (
        &["--schema-only", "--clean", "--if-exists"],
        "clean-if-exists.sql",
    ),
    (
        &["--schema-only", "--no-owner", "--no-privileges"],
        "no-owner-no-privileges.sql",
    ),
    (
        &["--schema-only", "--quote-all-identifiers"],
        "quote-all-identifiers.sql",
    ),
];

fn fold(dump: &str, what: &str) -> Vec<Section> {
    tests::fold_migration(dump).unwrap_or_else(|e| panic!("{what}: the DDL source fails:\n{e}"))
}

fn assert_same(what: &str, ddl: &[Section], live: &[Section]) {
    for (d, l) in ddl.iter().zip(live) {
        let d_json = codegen::snapshot::render(d);
        let l_json = codegen::snapshot::render(l);
        assert!(
            d_json == l_json,
            "{what}: section `{}` differs (- DDL of the dump, + live):\n{}",
            d.name,
            codegen::snapshot::diff(&d_json, &l_json)
        );
    }
    assert_eq!(ddl.len(), live.len(), "{what}: sections");
}

#[test]
fn every_dump_of_the_corpus_reads_like_the_database_it_came_from() {
    let fixtures = Path::new("fixtures/pg_dump");
    let corpus = std::fs::read_to_string(fixtures.join("corpus.sql")).unwrap();
    let db = pg_sections::testing::database();
    db.connect().batch_execute(&corpus).unwrap();
    let names: Vec<(String, String)> = ["audit", "catalog", "report", "sales"]
        .iter()
        .map(|s| ((*s).to_owned(), (*s).to_owned()))
        .collect();
    let mut client =
        codegen::live::connect(db.url(), codegen::live::DEFAULT_CONNECT_TIMEOUT).unwrap();
    let live = codegen::live::introspect(&mut client, &names).unwrap();
    // Every column has a Rust type: the built-in types, and the enums and
    // domains of `public`, which is no section.
    // Composite and range types and row types reach Rust through
    // overrides (here, a type of the user's: the code is not compiled).
    let mut settings = codegen::Settings::default();
    let overrides: std::collections::BTreeMap<String, String> = [
        "catalog.dimensions",
        "catalog.weight_range",
        "catalog.weight_multirange",
        "catalog.part",
        "catalog.part_state",
        "audit.reading",
    ]
    .into_iter()
    .map(|t| (t.to_owned(), "crate::Value".to_owned()))
    .collect();
    for section in ["catalog", "audit"] {
        settings
            .section
            .entry(section.to_owned())
            .or_default()
            .types = overrides.clone();
    }
    let generated = codegen::generate_code(&live, &settings, codegen::DateTimeCrate::Chrono);
    if let Err(e) = generated {
        panic!("the corpus does not generate:\n{e}");
    }
    // The corpus itself, as a first migration written by hand: defaults
    // and generated columns in the users' spellings read like the server's.
    let what = "fixtures/pg_dump/corpus.sql";
    assert_same(what, &fold(&corpus, what), &live);
    for (options, committed) in VARIANTS {
        let what = format!("pg_dump {}", options.join(" "));
        let dump = tests::pg_dump(db.url(), options);
        assert_same(&what, &fold(&dump, &what), &live);
        let what = format!("fixtures/pg_dump/{committed}");
        let dump = std::fs::read_to_string(fixtures.join(committed)).unwrap();
        assert_same(&what, &fold(&dump, &what), &live);
    }
}

/// The name the fold gives an unnamed key avoids every relation name in
/// use, as the server's does, also after `ALTER INDEX … RENAME` (a
/// statement the fold reads only for what it renames) gave a key's index
/// the name the next table would otherwise get.
#[pg_sections::test]
fn a_key_renamed_by_alter_index_is_avoided_by_the_next_generated_name(
    mut client: postgres::Client,
) {
    let sql = "CREATE SCHEMA app;
        CREATE TABLE app.t (id int PRIMARY KEY);
        CREATE TABLE app.u (id int PRIMARY KEY);
        ALTER INDEX app.t_pkey RENAME TO v_pkey;
        CREATE TABLE app.v (id int PRIMARY KEY);";
    client.batch_execute(sql).unwrap();
    let server: String = client
        .query_one(
            "SELECT conname::text FROM pg_constraint WHERE conrelid = 'app.v'::regclass AND contype = 'p'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(server, "v_pkey1");
    let folded = tests::fold_migration(sql).unwrap();
    let key = |table: &str| {
        folded
            .iter()
            .flat_map(|s| s.tables.values())
            .find(|t| t.name == table)
            .and_then(|t| t.primary_key.as_ref())
            .map(|k| k.name.clone())
    };
    assert_eq!(key("t").as_deref(), Some("v_pkey"));
    assert_eq!(key("v").as_deref(), Some(server.as_str()));
}
