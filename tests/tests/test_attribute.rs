//! `#[pg_sections::test]` and `pg_sections::testing` on a real server: the
//! argument types, async tests, results, seeds, empty databases, panics,
//! the lifetime of a test database and the server `DATABASE_URL` names.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::Command;

use pg_sections::Table;
use pg_sections::blocking::{Connection, Db};
use pg_sections::postgres::{Client, NoTls};
use pg_sections::testing::TestDatabase;

use tests::bundled::vendor::{Vendor, vendor_inventory, vendor_profile};

/// Whether a database of this name exists on the test server.
fn exists(name: &str) -> bool {
    let mut server = Client::connect(&pg_sections::testing::server_url(), NoTls).unwrap();
    server
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .unwrap()
        .get::<_, i64>(0)
        == 1
}

/// The tables of a schema, sorted.
fn tables(client: &mut Client, schema: &str) -> Vec<String> {
    client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = $1 ORDER BY 1",
            &[&schema],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[pg_sections::test]
fn a_client_sees_every_section_migrated(mut client: Client) {
    for schema in ["core", "vendor", "customer", "auth"] {
        assert!(!tables(&mut client, schema).is_empty(), "{schema}");
    }
    assert!(tables(&mut client, "vendor").contains(&"vendor_inventory".to_owned()));
}

#[pg_sections::test]
fn a_section_handle_runs_its_queries(db: Db<Vendor>) -> pg_sections::Result<()> {
    assert_eq!(vendor_profile::Table.select().count(&db)?, 0);
    Ok(())
}

#[pg_sections::test]
fn the_database_itself_connects_and_outlives_the_argument(db: TestDatabase) {
    assert!(db.name().starts_with("test_"));
    let conn = Connection::connect(db.url()).unwrap();
    conn.batch_execute("SELECT 1 FROM vendor.vendor_profile")
        .unwrap();
    let name = db.name().to_owned();
    drop(db);
    // The test's own handle keeps the database until the function returns.
    assert!(exists(&name));
}

#[pg_sections::test]
fn a_test_may_take_nothing() {
    let _ = pg_sections::testing::server_url();
}

/// An async driver on the test's database, its connection driven by the
/// test's runtime.
async fn connect(db: &TestDatabase) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

#[pg_sections::test(seed = "tests/seeds/vendors.sql")]
async fn an_async_test_runs_on_a_tokio_runtime(db: TestDatabase) {
    let client = connect(&db).await;
    let vendors: i64 = client
        .query_one("SELECT count(*) FROM vendor.vendor_profile", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(vendors, 2);
}

#[pg_sections::test]
async fn an_async_test_may_return_a_result(db: TestDatabase) -> Result<(), tokio_postgres::Error> {
    let client = connect(&db).await;
    client
        .batch_execute("SELECT 1 FROM vendor.vendor_profile")
        .await?;
    Ok(())
}

#[pg_sections::test]
async fn an_async_test_may_take_nothing() {
    assert_eq!(tokio::spawn(async { 42 }).await.unwrap(), 42);
}

/// A test's result is passed through to the harness as written, so an
/// error fails it.
#[test]
// The test below is called here rather than run by the harness.
#[allow(
    unnameable_test_items,
    reason = "the test inside is called here, not run by the harness"
)]
fn an_err_result_fails_the_test() {
    #[pg_sections::test(migrations = false)]
    fn refused(mut client: Client) -> Result<(), String> {
        client
            .batch_execute("SELECT 1 FROM no_such_table")
            .map_err(|e| e.to_string())
    }
    let outcome = refused();
    assert!(
        outcome
            .as_ref()
            .is_err_and(|message| message.starts_with("db error")),
        "{outcome:?}"
    );
}

#[pg_sections::test(seed = "tests/seeds/vendors.sql")]
fn a_seed_runs_after_the_migrations(db: Db<Vendor>) -> pg_sections::Result<()> {
    let acme = vendor_profile::Table
        .select()
        .filter(vendor_profile::business_name.eq("Acme Parts"))
        .fetch_one(&db)?;
    assert_eq!(acme.contact_email.as_deref(), Some("sales@acme.example"));
    assert_eq!(vendor_profile::Table.select().count(&db)?, 2);
    Ok(())
}

/// `seeds = true`: the sections' own `seeds/*.sql`, embedded with the
/// migrations, run after them and are recorded; the test's file follows.
#[pg_sections::test(seeds = true, seed = "tests/seeds/vendors.sql")]
fn the_sections_seeds_run_after_the_migrations(mut client: Client) {
    let names: Vec<String> = client
        .query(
            "SELECT name::text FROM core.manufacturer ORDER BY name",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(names, ["Bosch", "Denso"]);
    let recorded: i64 = client
        .query_one(
            "SELECT count(*) FROM sections_history.\"seeds/core\" WHERE name = '001_manufacturers'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(recorded, 1);
    let vendors: i64 = client
        .query_one("SELECT count(*) FROM vendor.vendor_profile", &[])
        .unwrap()
        .get(0);
    assert_eq!(vendors, 2);
}

/// Without `seeds = true` the sections' seeds do not run.
#[pg_sections::test]
fn the_sections_seeds_run_only_when_asked(mut client: Client) {
    let count: i64 = client
        .query_one("SELECT count(*) FROM core.manufacturer", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 0);
}

#[pg_sections::test(seed = ["tests/seeds/vendors.sql", "tests/seeds/stock.sql"])]
fn several_seeds_run_in_order(db: Db<Vendor>) -> pg_sections::Result<()> {
    assert_eq!(vendor_inventory::Table.select().count(&db)?, 2);
    Ok(())
}

#[pg_sections::test(migrations = false)]
fn without_migrations_the_database_is_empty(mut client: Client) {
    let schemas: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname IN ('core', 'vendor', 'customer', 'auth')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(schemas, 0);
}

#[pg_sections::test(migrations = false, seed = "tests/seeds/notes.sql")]
fn an_empty_database_takes_a_seed_of_its_own(mut client: Client) {
    assert_eq!(tables(&mut client, "public"), ["note"]);
}

/// A seed the server refuses fails the test with the file, line and column.
#[test]
#[allow(
    unnameable_test_items,
    reason = "the test inside is called here, not run by the harness"
)]
fn a_broken_seed_fails_the_test_naming_the_file() {
    #[pg_sections::test(migrations = false, seed = "tests/seeds/broken.sql")]
    fn seeded() {}
    let panic = catch_unwind(seeded).unwrap_err();
    let message = panic.downcast_ref::<String>().expect("a formatted message");
    assert!(
        message.contains("the seed tests/seeds/broken.sql:3:13 failed on the test database"),
        "{message}"
    );
}

/// A `#[should_panic]` test whose database cannot be set up does not pass
/// on the setup's panic: it returns without running, which the harness
/// reports as a test that did not panic.
#[test]
#[allow(
    unnameable_test_items,
    reason = "the test inside is called here, not run by the harness"
)]
fn a_should_panic_test_fails_when_its_database_cannot_be_set_up() {
    static RAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    #[pg_sections::test(migrations = false, seed = "tests/seeds/broken.sql")]
    #[should_panic(expected = "the body")]
    fn expects_a_panic() {
        RAN.store(true, std::sync::atomic::Ordering::SeqCst);
        panic!("the body");
    }
    assert!(
        catch_unwind(expects_a_panic).is_ok(),
        "no panic reaches the harness"
    );
    assert!(
        !RAN.load(std::sync::atomic::Ordering::SeqCst),
        "the body did not run"
    );
}

/// Local names of the expansion never shadow the test's own name.
#[pg_sections::test(migrations = false)]
fn database(_conn: Connection) {}

#[pg_sections::test(migrations = false)]
fn argument(_db: TestDatabase) {}

#[test]
fn a_failing_migration_panics_with_the_migrations_message() {
    let db = pg_sections::testing::database();
    db.connect()
        .batch_execute("CREATE SCHEMA vendor; CREATE TABLE vendor.vendor_profile (id int)")
        .unwrap();
    let panic = catch_unwind(AssertUnwindSafe(|| {
        db.migrate(&pg_sections::include_migrations!());
    }))
    .unwrap_err();
    let message = panic.downcast_ref::<String>().expect("a formatted message");
    assert!(
        message.starts_with(&format!(
            "cannot migrate the test database `{}`: ",
            db.name()
        )),
        "{message}"
    );
    assert!(message.contains("already exists"), "{message}");
    // The error's Display, not its Debug.
    assert!(!message.contains("source:"), "{message}");
}

#[test]
fn clones_share_the_database_until_the_last_is_dropped() {
    let db = pg_sections::testing::database();
    let name = db.name().to_owned();
    let clone = db.clone();
    drop(db);
    assert!(exists(&name));
    clone.connect().batch_execute("SELECT 1").unwrap();
    drop(clone);
    assert!(!exists(&name));
}

/// A `DATABASE_URL` that names its database in a `dbname` parameter (which
/// wins over the path) still gives each test a database of its own, never
/// the one the URL names.
#[test]
fn a_dbname_parameter_in_database_url_does_not_send_tests_into_that_database() {
    const NAMED: &str = "PG_SECTIONS_TEST_NAMED_DATABASE";
    if let Ok(named) = std::env::var(NAMED) {
        let db = pg_sections::testing::database();
        let config: postgres::Config = db.url().parse().unwrap();
        assert_eq!(config.get_dbname(), Some(db.name()));
        assert_ne!(db.name(), named);
        let mut client = db.connect();
        let current: String = client
            .query_one("SELECT current_database()::text", &[])
            .unwrap()
            .get(0);
        assert_eq!(current, db.name());
        return;
    }
    let server = pg_sections::testing::server_url();
    let separator = if server.contains('?') { '&' } else { '?' };
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_dbname_parameter_in_database_url_does_not_send_tests_into_that_database",
        ])
        .env(
            "DATABASE_URL",
            format!("{server}{separator}dbname=postgres"),
        )
        .env(NAMED, "postgres")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
}

/// With `DATABASE_URL` set, databases are made on that server: a child
/// process of this test binary, pointed at this process's server, creates
/// its database there.
#[test]
fn with_database_url_set_the_databases_are_made_on_that_server() {
    const PARENT_SERVER: &str = "PG_SECTIONS_TEST_PARENT_SERVER";
    if let Ok(expected) = std::env::var(PARENT_SERVER) {
        let db = pg_sections::testing::database();
        assert_eq!(pg_sections::testing::server_url(), expected);
        assert!(exists(db.name()));
        return;
    }
    let server = pg_sections::testing::server_url();
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "with_database_url_set_the_databases_are_made_on_that_server",
        ])
        .env("DATABASE_URL", &server)
        .env(PARENT_SERVER, &server)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
}
