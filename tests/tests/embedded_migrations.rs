//! Migrations embedded by the build script and applied by the application
//! at start-up: the same history, checksums, lock and refusals as
//! `cargo sections migrate`, on a real server.

use pg_sections::Table;
use pg_sections::migrate::{Migration, Migrations, Options};

/// The bundled sections' migrations, as this package's build script
/// embedded them.
static BUNDLED: Migrations = pg_sections::include_migrations!();

fn history(client: &mut postgres::Client) -> Vec<(String, String, String)> {
    client
        .query(
            "SELECT c.relname::text, h.name, h.checksum FROM ( \
               SELECT 'auth' AS s, name, checksum FROM sections_history.auth \
               UNION ALL SELECT 'core', name, checksum FROM sections_history.core \
               UNION ALL SELECT 'customer', name, checksum FROM sections_history.customer \
               UNION ALL SELECT 'vendor', name, checksum FROM sections_history.vendor) h \
             JOIN pg_class c ON c.relname = h.s AND c.relnamespace = 'sections_history'::regnamespace \
             ORDER BY 2, 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[test]
fn embedded_migrations_apply_every_bundled_file_once_in_name_order() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    let applied = BUNDLED.run(&mut client).unwrap();
    let names: Vec<&str> = applied.iter().map(|a| a.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert_eq!(applied.len(), BUNDLED.len());
    assert!(applied.iter().any(|a| a.section == "vendor"));
    // A second start finds nothing to do.
    assert_eq!(BUNDLED.run(&mut client).unwrap(), []);
    // The tables exist: the generated code reads them.
    let count: i64 = client
        .query_one("SELECT count(*) FROM vendor.vendor_inventory", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 0);
}

#[test]
fn the_cli_and_the_embedded_migrations_share_one_history() {
    let layout = codegen::Layout::read(std::path::Path::new("../sections")).unwrap();
    // Embedded first, then the CLI finds nothing pending and nothing changed.
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    BUNDLED.run(&mut client).unwrap();
    let by_embedded = history(&mut client);
    let pending =
        codegen::migrate::up(&mut client, &layout, &[], &codegen::migrate::Options::new()).unwrap();
    assert_eq!(pending, []);
    // The CLI first, then the application starts with nothing to do, and
    // the history rows are the same, checksums included.
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    codegen::migrate::up(&mut client, &layout, &[], &codegen::migrate::Options::new()).unwrap();
    assert_eq!(BUNDLED.run(&mut client).unwrap(), []);
    assert_eq!(history(&mut client), by_embedded);
}

#[test]
fn replicas_starting_at_once_apply_each_migration_once() {
    let db = pg_sections::testing::database();
    let url = db.url().to_owned();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                BUNDLED.run(&mut client).map(|applied| applied.len())
            })
        })
        .collect();
    let counts: Vec<usize> = runs
        .into_iter()
        .map(|r| r.join().unwrap().expect("no replica fails"))
        .collect();
    assert_eq!(counts.iter().sum::<usize>(), BUNDLED.len(), "{counts:?}");
    assert_eq!(counts.iter().filter(|c| **c > 0).count(), 1, "{counts:?}");
    let mut client = db.connect();
    assert_eq!(history(&mut client).len(), BUNDLED.len());
}

#[test]
fn a_changed_applied_migration_stops_the_start_up_before_anything_runs() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    BUNDLED.run(&mut client).unwrap();
    client
        .batch_execute(
            "UPDATE sections_history.core SET checksum = '0000000000000000'; \
             DELETE FROM sections_history.vendor WHERE name = (SELECT max(name) FROM sections_history.vendor)",
        )
        .unwrap();
    let error = BUNDLED.run(&mut client).unwrap_err();
    assert!(
        matches!(error, pg_sections::Error::MigrationChanged { ref section, .. } if section == "core"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("was changed after it was applied"),
        "{error}"
    );
    // The vendor migration whose row was deleted is still not re-applied.
    let vendor: i64 = client
        .query_one("SELECT count(*) FROM sections_history.vendor", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        usize::try_from(vendor).unwrap(),
        BUNDLED.iter().filter(|m| m.section == "vendor").count() - 1
    );
}

#[test]
fn a_history_the_binary_does_not_know_is_refused_unless_allowed() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    let newer = Migrations::new(
        vec![Migration {
            section: "app".into(),
            schema: "app".into(),
            name: "20250101_000000_create".into(),
            file: "sections/app/migrations/20250101_000000_create.up.sql".into(),
            checksum: pg_sections::migrate::checksum(b"CREATE SCHEMA app;").into(),
            sql: "CREATE SCHEMA app;".into(),
            statements: std::borrow::Cow::default(),
            transaction: true,
        }],
        true,
    );
    newer.run(&mut client).unwrap();
    // An older binary that has only the bundled sections starts.
    let error = BUNDLED.run(&mut client).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`20250101_000000_create` of section `app`")
            && message.contains("nothing was applied"),
        "{message}"
    );
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('sections_history.core') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!exists, "nothing of the bundled sections ran");
    let applied = BUNDLED
        .run_with(&mut client, &Options::new().ignore_missing(true))
        .unwrap();
    assert_eq!(applied.len(), BUNDLED.len());
}

/// What the build script of a crate that generates only section `app`
/// (`codegen::Config::sections(["app"])`) embeds.
static APP_ONLY: [Migration; 1] = [Migration::embedded(
    "app",
    "app",
    "20250101_000000_create",
    "sections/app/migrations/20250101_000000_create.up.sql",
    "cdc7072d1972d7d8",
    "CREATE SCHEMA app;",
    &[std::ops::Range { start: 0, end: 18 }],
)];

/// Hard mode: each crate embeds its sections' migrations alone, and the
/// database holds every section's history. A subset does not take the
/// others' history for files it lost; migrations of every section do.
#[test]
fn a_subsets_migrations_leave_the_other_sections_history_alone() {
    assert_eq!(
        pg_sections::migrate::checksum(b"CREATE SCHEMA app;"),
        APP_ONLY[0].checksum
    );
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    BUNDLED.run(&mut client).unwrap();
    let every = Migrations::embedded(&APP_ONLY);
    let message = every.run(&mut client).unwrap_err().to_string();
    assert!(
        message.contains("of section `vendor`") && message.contains("nothing was applied"),
        "{message}"
    );
    let subset = Migrations::embedded_subset(&APP_ONLY);
    let applied = subset.run(&mut client).unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(subset.run(&mut client).unwrap(), []);
    // The bundled migrations say they are every section of the
    // application: `app`'s history is one they lost.
    let message = BUNDLED.run(&mut client).unwrap_err().to_string();
    assert!(message.contains("of section `app`"), "{message}");
}

#[test]
fn a_failing_embedded_migration_rolls_back_and_names_file_line_and_column() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    let sql = "CREATE SCHEMA app;\nCREATE TABLE app.part (id int);\nSELECT * FROM app.nothing;\n";
    let broken = Migrations::new(
        vec![Migration {
            section: "app".into(),
            schema: "app".into(),
            name: "20250101_000000_create".into(),
            file: "sections/app/migrations/20250101_000000_create.up.sql".into(),
            checksum: pg_sections::migrate::checksum(sql.as_bytes()).into(),
            sql: sql.into(),
            statements: std::borrow::Cow::default(),
            transaction: true,
        }],
        true,
    );
    let error = broken.run(&mut client).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("rolled back")
            && message.contains("sections/app/migrations/20250101_000000_create.up.sql:3:15"),
        "{message}"
    );
    let schema: bool = client
        .query_one("SELECT to_regnamespace('app') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!schema, "the failed migration left nothing behind");
    // The lock was released: another run can take it at once.
    let free: bool = client
        .query_one(
            "SELECT pg_try_advisory_lock($1)",
            &[&pg_sections::migrate::LOCK_KEY],
        )
        .unwrap()
        .get(0);
    assert!(free);
}

fn migration(name: &str, sql: &'static str) -> Migration {
    Migration {
        section: "app".into(),
        schema: "app".into(),
        name: name.to_owned().into(),
        file: format!("sections/app/migrations/{name}.up.sql").into(),
        checksum: pg_sections::migrate::checksum(sql.as_bytes()).into(),
        sql: sql.into(),
        statements: std::borrow::Cow::default(),
        transaction: true,
    }
}

#[test]
fn a_migrations_session_settings_reach_neither_the_next_migration_nor_the_application() {
    let db = pg_sections::testing::database();
    let conn = pg_sections::blocking::Connection::connect(db.url()).unwrap();
    let migrations = Migrations::new(
        vec![
            migration(
                "001_set",
                "SET session_replication_role = replica; SET search_path = pg_catalog; CREATE SCHEMA app;",
            ),
            migration(
                "002_check",
                "DO $$ BEGIN IF current_setting('session_replication_role') <> 'origin' THEN RAISE EXCEPTION 'a setting leaked'; END IF; END $$;",
            ),
        ],
        true,
    );
    assert_eq!(conn.migrate(&migrations).unwrap().len(), 2);
    let (role, path): (String, String) = conn
        .with_client(|c| {
            let row = c
                .query_one(
                    "SELECT current_setting('session_replication_role'), current_setting('search_path')",
                    &[],
                )
                .unwrap();
            (row.get(0), row.get(1))
        })
        .unwrap();
    assert_eq!(role, "origin");
    assert_eq!(path, "\"$user\", public");
}

#[test]
fn unqualified_names_land_in_the_sections_schema_as_the_ddl_source_reads_them() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    let dir = tests::scratch_dir("unqualified");
    let migrations = dir.join("app/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        migrations.join("20250101_000000_create.up.sql"),
        "CREATE SCHEMA app;\nCREATE TABLE widget (id int PRIMARY KEY);\n",
    )
    .unwrap();
    let model = codegen::Config::new(&dir).load().unwrap();
    assert!(
        model[0].tables.contains_key("widget"),
        "{:?}",
        model[0].tables.keys()
    );
    let layout = codegen::Layout::read(&dir).unwrap();
    codegen::migrate::up(&mut client, &layout, &[], &codegen::migrate::Options::new()).unwrap();
    let schema: String = client
        .query_one(
            "SELECT schemaname::text FROM pg_tables WHERE tablename = 'widget'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(schema, "app");
}

#[test]
fn a_run_that_must_wait_for_the_lock_says_so_then_goes_on() {
    let db = pg_sections::testing::database();
    let mut holder = db.connect();
    holder
        .execute(
            "SELECT pg_advisory_lock($1)",
            &[&pg_sections::migrate::LOCK_KEY],
        )
        .unwrap();
    let url = db.url().to_owned();
    let (told, waited) = std::sync::mpsc::channel();
    let run = std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        pg_sections::migrate::locked(
            &mut client,
            None,
            move |holder| told.send(holder.cloned()).unwrap(),
            |client| BUNDLED.run_with(client, &Options::new()),
        )
    });
    // Told it waits, and who holds the lock; runs once released.
    let holder_pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let told = waited
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the run says it waits")
        .expect("the holder is named");
    assert_eq!(told.pid, holder_pid);
    holder
        .execute(
            "SELECT pg_advisory_unlock($1)",
            &[&pg_sections::migrate::LOCK_KEY],
        )
        .unwrap();
    let applied = run.join().unwrap().unwrap();
    assert_eq!(applied.len(), BUNDLED.len());
}

#[test]
fn a_failed_run_names_the_migrations_before_it_that_stay_applied() {
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    let migrations = Migrations::new(
        vec![
            migration("001_good", "CREATE SCHEMA app;"),
            migration(
                "002_bad",
                "CREATE TABLE app.t (id int);\nSELECT nope FROM app.t;",
            ),
        ],
        true,
    );
    let message = migrations.run(&mut client).unwrap_err().to_string();
    assert!(
        message.contains("002_bad.up.sql:2:8")
            && message.contains(
                "the 1 migration before it in this run stays applied: `001_good` of section `app`"
            ),
        "{message}"
    );
}

/// An async service migrates at start-up through its pool, inside the
/// runtime: two replicas starting at once apply each migration once, and
/// the history is the one the blocking migrator writes.
#[pg_sections::test(migrations = false)]
async fn a_pool_migrates_inside_the_runtime_and_replicas_apply_each_file_once(
    database: pg_sections::testing::TestDatabase,
) {
    let first = pg_sections::Pool::connect(database.url()).await.unwrap();
    let second = pg_sections::Pool::connect(database.url()).await.unwrap();
    let racing = tokio::spawn({
        let second = second.clone();
        async move { second.migrate(&BUNDLED).await }
    });
    let a = first.migrate(&BUNDLED).await.unwrap();
    let b = racing.await.unwrap().unwrap();
    assert_eq!(a.len() + b.len(), BUNDLED.len(), "each file applied once");
    assert!(first.migrate(&BUNDLED).await.unwrap().is_empty());
    // The tables are there for the pool's handles.
    let vendors = tests::bundled::vendor::vendor_profile::Table
        .select()
        .count(&first.db::<tests::bundled::vendor::Vendor>())
        .await
        .unwrap();
    assert_eq!(vendors, 0);
    // A history this build does not have is refused, as the blocking
    // migrator refuses it, unless told to go on.
    let (client, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute(
            "INSERT INTO sections_history.core (name, checksum) VALUES ('20991231_000000_gone', 'x')",
        )
        .await
        .unwrap();
    let refused = first.migrate(&BUNDLED).await.unwrap_err();
    assert!(
        refused.to_string().contains("20991231_000000_gone"),
        "{refused}"
    );
    let lenient = first
        .migrate_with(&BUNDLED, Options::new().ignore_missing(true))
        .await
        .unwrap();
    assert!(lenient.is_empty());
}

/// The sections' seeds travel with the migrations: refused while a
/// migration is pending, applied and recorded once, left alone while
/// unchanged, shared with the CLI's history, and never read as a section's
/// migration history.
#[test]
fn embedded_seeds_run_after_the_migrations_once_and_share_the_clis_history() {
    use pg_sections::seed::Outcome;
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    assert_eq!(BUNDLED.seeds().len(), 1, "the bundled `core` seed");
    let refused = BUNDLED.seed(&mut client).unwrap_err();
    assert!(
        matches!(&refused, pg_sections::Error::SeedsBeforeMigrations { pending } if pending.len() == BUNDLED.len()),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("nothing was seeded"),
        "{refused}"
    );
    let manufacturers = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM core.manufacturer", &[])
            .unwrap()
            .get(0)
    };
    BUNDLED.run(&mut client).unwrap();
    assert_eq!(manufacturers(&mut client), 0);
    let seeded = BUNDLED.seed(&mut client).unwrap();
    assert_eq!(seeded.len(), 1);
    assert_eq!(
        (
            seeded[0].section.as_str(),
            seeded[0].name.as_str(),
            seeded[0].outcome
        ),
        ("core", "001_manufacturers", Outcome::Applied)
    );
    assert_eq!(manufacturers(&mut client), 2);
    let again = BUNDLED.seed(&mut client).unwrap();
    assert_eq!(again[0].outcome, Outcome::Unchanged);
    assert_eq!(manufacturers(&mut client), 2);
    // The CLI reads the same files and the same record: nothing to do.
    let layout = codegen::Layout::read(std::path::Path::new("../sections")).unwrap();
    let by_cli =
        codegen::migrate::seed(&mut client, &layout, &[], &codegen::migrate::Options::new())
            .unwrap();
    assert_eq!(by_cli, again);
    // The seeds' history table is not a section whose files are gone.
    let status = BUNDLED.status(&mut client).unwrap();
    assert!(
        status
            .iter()
            .all(|s| s.state != pg_sections::migrate::State::Missing),
        "{status:?}"
    );
    BUNDLED.run(&mut client).unwrap();
}
