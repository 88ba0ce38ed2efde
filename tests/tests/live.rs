//! The live source against a real server: introspection of every feature,
//! and the equivalence proof (live model == DDL model) on the bundled
//! sections and the golden fixtures.

use std::path::Path;

use codegen::model::Section;

/// Applies `sections`' migrations to a fresh database and returns the model
/// read back from the server, with the model the DDL source folds.
fn both(sections: &Path) -> (Vec<Section>, Vec<Section>) {
    let ddl = codegen::Config::new(sections)
        .load()
        .expect("DDL source reads");
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    tests::apply_migrations(&mut client, sections);
    let names: Vec<(String, String)> = ddl
        .iter()
        .map(|s| (s.name.clone(), s.schema.clone()))
        .collect();
    let mut live_client =
        codegen::live::connect(db.url(), codegen::live::DEFAULT_CONNECT_TIMEOUT).unwrap();
    let live = codegen::live::introspect(&mut live_client, &names).unwrap();
    (ddl, live)
}

fn assert_same(ddl: &[Section], live: &[Section]) {
    for (d, l) in ddl.iter().zip(live) {
        let d_json = codegen::snapshot::render(d);
        let l_json = codegen::snapshot::render(l);
        assert!(
            d_json == l_json,
            "section `{}`: the live model differs from the DDL model (- DDL, + live):\n{}",
            d.name,
            codegen::snapshot::diff(&d_json, &l_json)
        );
    }
    assert_eq!(ddl.len(), live.len());
}

#[test]
fn bundled_sections_read_the_same_live_and_from_ddl() {
    let (ddl, live) = both(Path::new("../sections"));
    assert_same(&ddl, &live);
}

/// Every golden case the DDL source accepts: every statement and type it
/// supports, both layouts, settings, hostile names.
#[test]
fn golden_fixtures_read_the_same_live_and_from_ddl() {
    let mut cases: Vec<_> = std::fs::read_dir("../codegen/tests/golden")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.rs").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6);
    let mut newer = Vec::new();
    for case in cases {
        if tests::needs_newer_server(&case, &mut pg_sections::testing::database().connect()) {
            newer.push(case);
            continue;
        }
        let (ddl, live) = both(&case.join("sections"));
        assert_same(&ddl, &live);
    }
    assert!(
        newer.len() <= 1,
        "cases only a newer server applies: {newer:?}"
    );
}

/// Copies `from` (a sections folder) to a fresh temporary folder.
fn live_client(db: &pg_sections::testing::TestDatabase) -> postgres::Client {
    codegen::live::connect(db.url(), codegen::live::DEFAULT_CONNECT_TIMEOUT).unwrap()
}

#[test]
fn introspection_covers_partitions_views_and_dropped_columns() {
    let (_, live) = both(Path::new(
        "../codegen/tests/golden/every_statement/sections",
    ));
    let shop = live.iter().find(|s| s.name == "shop").unwrap();
    let event = &shop.tables["event"];
    assert_eq!(event.kind, codegen::model::TableKind::Partitioned);
    assert!(
        !shop.tables.contains_key("event_2025"),
        "partitions are not tables"
    );
    assert!(shop.views["price_list"].materialized);
    assert!(
        shop.views["order_summary"]
            .columns
            .iter()
            .all(|c| c.nullable)
    );
    let order = &shop.tables["order"];
    let names: Vec<&str> = order.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "customer_id",
            "sku",
            "variant",
            "comment",
            "quantity",
            "placed_at"
        ],
        "dropped columns are gone and the order is the table's"
    );
    assert_eq!(
        shop.enums["mood"].labels,
        ["unhappy", "meh", "ok", "happy", "great"]
    );
    let ledger = live.iter().find(|s| s.name == "ledger").unwrap();
    let fk = &ledger.tables["entry"].foreign_keys[0];
    assert_eq!(
        (fk.foreign_schema.as_str(), fk.foreign_table.as_str()),
        ("shop", "customer")
    );
    assert_eq!(fk.on_delete, codegen::model::Action::Cascade);
}

#[test]
fn the_drift_check_names_added_columns_dropped_tables_and_changed_types() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    tests::apply_migrations(&mut client, Path::new("../sections"));
    client
        .batch_execute(
            "DROP VIEW vendor.available_inventory;
             ALTER TABLE vendor.vendor_inventory ADD COLUMN shelf text;
             ALTER TABLE vendor.vendor_inventory ALTER COLUMN quantity TYPE bigint;
             COMMENT ON TABLE vendor.vendor_inventory IS 'Stock on hand.';
             COMMENT ON COLUMN vendor.vendor_inventory.location IS NULL;
             DROP TABLE customer.customer_order_item;",
        )
        .unwrap();
    let pairs = vec![
        ("customer".to_owned(), "customer".to_owned()),
        ("vendor".to_owned(), "vendor".to_owned()),
    ];
    let live = codegen::live::introspect(&mut live_client(&db), &pairs).unwrap();
    let committed = |name: &str| {
        codegen::snapshot::read(&codegen::snapshot::path(Path::new("../sections"), name)).unwrap()
    };
    let customer = codegen::drift::changes(&committed("customer"), &live[0]);
    assert_eq!(customer, ["table `customer_order_item` dropped"]);
    let vendor = codegen::drift::changes(&committed("vendor"), &live[1]);
    assert_eq!(
        vendor,
        [
            "table `vendor_inventory`: column `shelf` added (text, nullable)",
            "table `vendor_inventory`: column `quantity` type int4 → int8",
            "table `vendor_inventory`: column `location` comment \"Free-form warehouse / shelf location.\" → none",
            "table `vendor_inventory`: comment \"Stock a vendor holds of a core part.\" → \"Stock on hand.\"",
            "view `available_inventory` dropped",
        ]
    );
}

/// A shared stream that lists no sections in `sections.toml` has the
/// sections whose schemas it creates: reading it from the database reads
/// them (it once read none, and the drift check passed whatever the
/// database held).
#[test]
fn a_shared_stream_read_live_reads_the_schemas_it_creates() {
    let dir = tests::scratch_copy(
        Path::new("../codegen/tests/golden/shared_stream/sections"),
        "shared-live",
    );
    assert!(!dir.join("sections.toml").exists());
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    tests::apply_migrations(&mut client, &dir);
    let mut config = codegen::Config::new(&dir);
    config.database_url(db.url());
    let ddl = config.load_from(codegen::sources::ReadFrom::Ddl).unwrap();
    let live = config.load_from(codegen::sources::ReadFrom::Live).unwrap();
    assert!(!ddl.sections.is_empty());
    assert_same(&ddl.sections, &live.sections);
    // A change made on the server shows.
    let section = &live.sections[0];
    let table = section.tables.keys().next().unwrap();
    client
        .batch_execute(&format!(
            "ALTER TABLE \"{}\".\"{table}\" ADD COLUMN drifted text",
            section.schema
        ))
        .unwrap();
    let live = config.load_from(codegen::sources::ReadFrom::Live).unwrap();
    let changes = codegen::drift::changes(&ddl.sections[0], &live.sections[0]);
    assert_eq!(
        changes,
        [format!(
            "table `{table}`: column `drifted` added (text, nullable)"
        )]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn migrations_apply_revert_and_refuse_changed_files() {
    let db = pg_sections::testing::database();
    let dir = tests::scratch_copy(Path::new("../sections"), "migrate");
    let layout = codegen::Layout::read(&dir).unwrap();
    let mut client = live_client(&db);
    let applied = codegen::migrate::up(
        &mut client,
        &layout,
        &[],
        &codegen::migrate::Options::default(),
    )
    .unwrap();
    assert_eq!(applied.len(), 9);
    // Global file-name order: core before vendor before customer before auth.
    let sections: Vec<&str> = applied.iter().map(|m| m.section.as_str()).collect();
    assert_eq!(sections[..2], ["core", "core"]);
    assert_eq!(sections[8], "auth");
    assert!(
        codegen::migrate::up(
            &mut client,
            &layout,
            &[],
            &codegen::migrate::Options::default()
        )
        .unwrap()
        .is_empty()
    );

    // The migrated database is what the DDL source describes.
    let ddl = codegen::Config::new(&dir).load().unwrap();
    let pairs: Vec<_> = ddl
        .iter()
        .map(|s| (s.name.clone(), s.schema.clone()))
        .collect();
    assert_eq!(codegen::live::introspect(&mut client, &pairs).unwrap(), ddl);

    let reverted = codegen::migrate::down(
        &mut client,
        &layout,
        "vendor",
        2,
        &codegen::migrate::Options::new(),
    )
    .unwrap();
    let names: Vec<&str> = reverted.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "20250112_090000_vendor_for_parts_rule",
            "20250111_090000_vendor_inventory_v2"
        ]
    );
    let status = codegen::migrate::status(&mut client, &layout, &["vendor".to_owned()]).unwrap();
    let pending = status
        .iter()
        .filter(|s| s.state == codegen::migrate::State::Pending)
        .count();
    assert_eq!(pending, 2);
    assert_eq!(
        codegen::migrate::up(
            &mut client,
            &layout,
            &["vendor".to_owned()],
            &codegen::migrate::Options::default()
        )
        .unwrap()
        .len(),
        2
    );

    // Editing an applied migration is refused before anything runs.
    let first = dir.join("core/migrations/20250101_090000_create_core.up.sql");
    let mut text = std::fs::read_to_string(&first).unwrap();
    text.push_str("\n-- an innocent edit\n");
    std::fs::write(&first, text).unwrap();
    let err = codegen::migrate::up(
        &mut client,
        &layout,
        &[],
        &codegen::migrate::Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("migration `20250101_090000_create_core` of section `core` was changed after it was applied"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failing_migration_leaves_no_trace() {
    let db = pg_sections::testing::database();
    let dir = tests::scratch_copy(Path::new("../sections"), "failing");
    let broken = dir.join("vendor/migrations/20250113_000000_broken.up.sql");
    std::fs::write(
        &broken,
        "BEGIN;\nCREATE TABLE vendor.half_done (id int);\nINSERT INTO vendor.vendor_profile (no_such_column) VALUES (1);\nCOMMIT;\n",
    )
    .unwrap();
    let layout = codegen::Layout::read(&dir).unwrap();
    let mut client = live_client(&db);
    let err = codegen::migrate::up(
        &mut client,
        &layout,
        &["core".into(), "vendor".into()],
        &codegen::migrate::Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "20250113_000000_broken.up.sql of section `vendor` failed and was rolled back"
        ),
        "{err}"
    );
    assert!(
        err.contains("column \"no_such_column\" of relation \"vendor_profile\" does not exist"),
        "{err}"
    );
    assert!(
        err.contains("20250113_000000_broken.up.sql:3:36"),
        "the server's position, as file:line:column: {err}"
    );
    let half_done: bool = client
        .query_one("SELECT to_regclass('vendor.half_done') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!half_done, "the failed migration's table was rolled back");
    let recorded: i64 = client
        .query_one(
            "SELECT count(*) FROM sections_history.vendor WHERE name LIKE '%broken'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(recorded, 0);
    let status = codegen::migrate::status(&mut client, &layout, &["vendor".to_owned()]).unwrap();
    assert_eq!(
        status.last().unwrap().state,
        codegen::migrate::State::Pending
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn new_migrations_are_timestamped_pairs() {
    let dir = tests::scratch_copy(Path::new("../sections"), "new");
    let layout = codegen::Layout::read(&dir).unwrap();
    let (up, down) = codegen::migrate::new(
        &dir,
        Some(&layout),
        "vendor",
        "Add stock level!",
        1_763_767_405,
    )
    .unwrap();
    assert_eq!(
        up.file_name().unwrap(),
        "20251121_232325_add_stock_level.up.sql"
    );
    assert_eq!(
        down.file_name().unwrap(),
        "20251121_232325_add_stock_level.down.sql"
    );
    assert!(up.starts_with(dir.join("vendor/migrations")));
    // Only a plain folder name is a section: no path that leads elsewhere.
    for bad in [
        "../outside",
        "/tmp/abs",
        ".",
        "..",
        "sections.toml",
        "migrations",
        "a/b",
    ] {
        let error = codegen::migrate::new(&dir, Some(&layout), bad, "thing", 1_763_767_405)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(error.contains("is not a section name"), "{bad}: {error}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What one build of the fixture crate printed and generated.
struct Build {
    stderr: String,
    generated: String,
    seconds: f64,
}

/// Builds `tests/fixtures/live_build` (a crate whose only section is read
/// live) with `url` as its `DATABASE_URL`.
fn build_fixture(url: Option<&str>, offline: bool) -> Build {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/live_build");
    let mut cmd = tests::fixture_cargo(&fixture, &["build", "--message-format=json"]);
    cmd.env_remove("SECTIONS_OFFLINE");
    if let Some(url) = url {
        cmd.env("DATABASE_URL", url);
    }
    if offline {
        cmd.env("SECTIONS_OFFLINE", "1");
    }
    let started = std::time::Instant::now();
    let out = cmd.output().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "the fixture build failed:\n{stderr}");
    let out_dir = stdout
        .lines()
        .filter(|l| l.contains("\"build-script-executed\"") && l.contains("#live-build-fixture@"))
        .find_map(|l| {
            let start = l.find("\"out_dir\":\"")? + "\"out_dir\":\"".len();
            let end = l[start..].find('"')? + start;
            Some(l[start..end].to_owned())
        })
        .expect("the build script ran");
    let generated =
        std::fs::read_to_string(Path::new(&out_dir).join("sections/inventory.rs")).unwrap();
    Build {
        stderr,
        generated,
        seconds,
    }
}

/// One test, because the fixture's build directory is shared: the builds
/// must not run at once.
#[test]
fn build_scripts_read_live_sections_and_fall_back_to_snapshots() {
    let db = pg_sections::testing::database();
    db.connect()
        .batch_execute(
            "CREATE SCHEMA inventory;
             CREATE TABLE inventory.item (id int PRIMARY KEY, name text NOT NULL, live_only text);",
        )
        .unwrap();

    let live = build_fixture(Some(db.url()), false);
    assert!(
        live.generated.contains("live_only"),
        "read from the database"
    );
    assert!(
        !live.stderr.contains("pg-sections:"),
        "no fallback warning: {}",
        live.stderr
    );

    let unset = build_fixture(None, false);
    assert!(
        !unset.generated.contains("live_only"),
        "read from the snapshot"
    );
    assert!(
        unset.stderr.contains("pg-sections: DATABASE_URL is not set; section inventory comes from the committed snapshot"),
        "{}",
        unset.stderr
    );

    let closed = build_fixture(Some("postgres://postgres@127.0.0.1:1/nowhere"), false);
    assert!(!closed.generated.contains("live_only"));
    assert!(
        closed.stderr.contains("pg-sections: the database is not usable (cannot connect to postgres://postgres@127.0.0.1:1/nowhere"),
        "{}",
        closed.stderr
    );
    assert!(
        closed.seconds < 60.0,
        "a dead database must not hang the build"
    );

    // A server that accepts TCP and never answers: the handshake is bounded
    // too, so the build falls back after the connect timeout.
    let silent = tests::silent_server();
    let hung = build_fixture(Some(&silent.url), false);
    assert!(!hung.generated.contains("live_only"));
    assert!(
        hung.stderr
            .contains("pg-sections: the database is not usable (cannot connect to")
            && hung.stderr.contains(
                "did not complete the connection (TCP connect, startup, authentication) within 2 s"
            ),
        "{}",
        hung.stderr
    );

    let offline = build_fixture(Some(db.url()), true);
    assert!(!offline.generated.contains("live_only"));
    assert!(
        offline
            .stderr
            .contains("pg-sections: SECTIONS_OFFLINE is set"),
        "{}",
        offline.stderr
    );
}

/// A server that accepts TCP but never speaks: every stage of connecting
/// is bounded, and the error says what happened.
#[test]
fn a_server_that_never_answers_does_not_hang_connecting_or_reading() {
    let silent = tests::silent_server();
    let timeout = std::time::Duration::from_millis(500);
    let error = codegen::live::connect(&silent.url, timeout)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(&format!("cannot connect to {}", silent.url))
            && error.contains("did not complete the connection (TCP connect, startup, authentication) within 0.5 s"),
        "{error}"
    );
    let error = codegen::live::read(&silent.url, &[("app".into(), "app".into())], timeout)
        .unwrap_err()
        .to_string();
    assert!(error.contains("did not complete the connection"), "{error}");
    // The CLI's path: `check --against live` and `snapshot --from live`.
    let mut config = codegen::Config::new("../sections");
    config.database_url(&silent.url).connect_timeout(timeout);
    let error = config
        .load_from(codegen::sources::ReadFrom::Live)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(error.contains("did not complete the connection"), "{error}");
}

/// A catalog query the server refuses says why, in the server's words.
#[test]
fn a_refused_catalog_query_shows_the_servers_message() {
    let db = pg_sections::testing::database();
    let chain = vec!["1"; 7000].join("+");
    db.connect()
        .batch_execute(&format!(
            "CREATE SCHEMA app; CREATE TABLE app.t (a int DEFAULT {chain});"
        ))
        .unwrap();
    let error = codegen::live::read(
        db.url(),
        &[("app".into(), "app".into())],
        codegen::live::DEFAULT_CONNECT_TIMEOUT,
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("a catalog query failed: stack depth limit exceeded"),
        "{error}"
    );
}

/// The fixture builds `--offline` from what the workspace's own build
/// downloaded: every package its lock pins must be one the workspace's
/// lock pins too, at the same version, or a fresh machine cannot build it.
#[test]
fn the_fixture_locks_only_what_the_workspace_locks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let packages = |path: &Path| -> std::collections::BTreeSet<(String, String)> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut out = std::collections::BTreeSet::new();
        let mut name = None;
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("name = ") {
                name = Some(n.trim_matches('"').to_owned());
            } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
                out.insert((n, v.trim_matches('"').to_owned()));
            }
        }
        out
    };
    let workspace = packages(&root.join("Cargo.lock"));
    let fixture = packages(&root.join("tests/fixtures/live_build/Cargo.lock"));
    let missing: Vec<String> = fixture
        .iter()
        .filter(|(n, _)| n != "live-build-fixture")
        .filter(|p| !workspace.contains(*p))
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/fixtures/live_build/Cargo.lock pins what the workspace does not: {missing:?}; \
         pin the workspace's versions (`cargo update --offline -p <name> --precise <version>` in the fixture)"
    );
}
