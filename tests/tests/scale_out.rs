//! Sections as units the database places and guards, on a real server:
//! `cargo sections stats` (each section's tables with their size, rows,
//! dead rows and scans) and `cargo sections roles` (a role per section,
//! granted its own schema only).

use codegen::stats::{self, TableStats};
use pg_sections::Table;
use pg_sections::blocking::Connection;
use tests::bundled::customer::{Customer, shopping_cart};
use tests::bundled::vendor::{self, Vendor, vendor_inventory, vendor_profile};

fn sections(names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|name| ((*name).to_owned(), (*name).to_owned()))
        .collect()
}

#[pg_sections::test]
fn stats_group_the_tables_by_section_largest_first_with_rows_and_scans(
    mut client: postgres::Client,
) {
    client
        .batch_execute(
            "INSERT INTO core.manufacturer (name) SELECT 'maker ' || g FROM generate_series(1, 300) g;
             DELETE FROM core.manufacturer WHERE id <= 20;
             ANALYZE core.manufacturer;
             CREATE TABLE public.not_a_section (id int);",
        )
        .unwrap();
    // A sequential and an index scan of the table, counted once flushed.
    client
        .query_one("SELECT count(*) FROM core.manufacturer", &[])
        .unwrap();
    client
        .batch_execute(
            "SET enable_seqscan = off;
             SELECT name FROM core.manufacturer WHERE id = 42;
             RESET enable_seqscan;
             SELECT pg_catalog.pg_stat_force_next_flush();",
        )
        .unwrap();
    // A new transaction reads the flushed counters.
    client.batch_execute("SELECT 1").unwrap();
    let tables = stats::read(&mut client, &sections(&["vendor", "core"])).unwrap();
    let order: Vec<(&str, &str)> = tables
        .iter()
        .map(|t| (t.section.as_str(), t.table.as_str()))
        .collect();
    // The sections in the order asked, each table once, nothing else.
    let vendor_tables = order.iter().filter(|(s, _)| *s == "vendor").count();
    assert_eq!(vendor_tables, 2, "{order:?}");
    assert!(
        order.iter().position(|(s, _)| *s == "core")
            > order.iter().position(|(s, _)| *s == "vendor"),
        "{order:?}"
    );
    assert_eq!(order.len(), 5, "{order:?}");
    for pair in tables.windows(2) {
        if pair[0].section == pair[1].section {
            assert!(pair[0].total_bytes >= pair[1].total_bytes, "{order:?}");
        }
    }
    let maker: &TableStats = tables.iter().find(|t| t.table == "manufacturer").unwrap();
    assert_eq!(maker.section, "core");
    assert_eq!(maker.live_rows, 280);
    assert_eq!(maker.dead_rows, 20);
    assert!(maker.seq_scans >= 1, "{maker:?}");
    assert!(maker.index_scans >= 1, "{maker:?}");
    assert!(
        maker.index_bytes > 0 && maker.total_bytes > maker.index_bytes,
        "{maker:?}"
    );
    // The largest of core is the one with rows.
    assert_eq!(
        tables.iter().find(|t| t.section == "core").unwrap().table,
        "manufacturer"
    );
}

#[pg_sections::test(migrations = false)]
fn a_section_whose_schema_does_not_exist_has_no_tables(mut client: postgres::Client) {
    let tables = stats::read(&mut client, &sections(&["vendor"])).unwrap();
    assert_eq!(tables, []);
}

#[test]
fn the_table_prints_as_the_readme_shows_it() {
    let table = |section: &str, name: &str, sizes: [i64; 2], rows: [i64; 4]| TableStats {
        section: section.to_owned(),
        table: name.to_owned(),
        total_bytes: sizes[0],
        index_bytes: sizes[1],
        live_rows: rows[0],
        dead_rows: rows[1],
        seq_scans: rows[2],
        index_scans: rows[3],
    };
    let tables = [
        table("core", "manufacturer", [147_456, 81_920], [280, 20, 5, 0]),
        table("core", "part", [40_960, 32_768], [0, 0, 6, 0]),
        table("core", "model", [24_576, 16_384], [0, 0, 22, 0]),
        table("vendor", "vendor_inventory", [40_960, 32_768], [0, 0, 6, 0]),
        table("vendor", "vendor_profile", [24_576, 16_384], [0, 0, 2, 0]),
    ];
    let printed = stats::render(&sections(&["core", "vendor"]), &tables);
    // The README's block, line for line.
    let readme = "\
section core: 3 tables, 208 kB, 280 rows
  table                    size      indexes     live rows   dead rows   seq scans  index scans
  manufacturer           144 kB        80 kB           280          20           5            0
  part                    40 kB        32 kB             0           0           6            0
  model                   24 kB        16 kB             0           0          22            0

section vendor: 2 tables, 64 kB, 0 rows
  table                    size      indexes     live rows   dead rows   seq scans  index scans
  vendor_inventory        40 kB        32 kB             0           0           6            0
  vendor_profile          24 kB        16 kB             0           0           2            0
";
    assert_eq!(printed, readme);
    // A section without tables says so in its line alone.
    assert_eq!(
        stats::render(&sections(&["auth"]), &[]),
        "section auth: 0 tables, 0 bytes, 0 rows\n"
    );
}

/// Roles are the cluster's, not a database's: the tests that create the
/// same ones take turns (two `CREATE ROLE`s of one name at once, each after
/// seeing none, would fail).
static ROLES: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs the bundled sections' roles script on `conn`, one test at a time.
fn create_roles(conn: &Connection) {
    let _turn = ROLES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    conn.with_client(|client| client.batch_execute(&roles_script(&[])))
        .unwrap()
        .unwrap();
}

/// The bundled sections' roles script, for every section.
fn roles_script(members: &[String]) -> String {
    let sections = codegen::Config::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../sections"))
        .load()
        .unwrap();
    sections
        .iter()
        .map(|section| codegen::roles::grant(section, members))
        .collect()
}

/// The server's message of a failed statement.
fn denial(error: &pg_sections::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[pg_sections::test]
fn under_a_sections_role_its_queries_run_and_other_sections_tables_are_denied(conn: Connection) {
    create_roles(&conn);
    // Again: the script changes nothing the second time.
    create_roles(&conn);
    conn.with_client(|client| client.batch_execute("SET ROLE sections_vendor"))
        .unwrap()
        .unwrap();
    // The vendor section's generated queries: reads and writes, sequences
    // included.
    let db = conn.db::<Vendor>();
    let profile = vendor_profile::Table
        .insert(vendor::NewVendorProfile::new("Acme"))
        .returning()
        .fetch_one(&db)
        .unwrap();
    assert_eq!(profile.business_name, "Acme");
    assert_eq!(vendor_inventory::Table.select().count(&db).unwrap(), 0);
    // Raw SQL on a customer table, and a customer handle's query, are
    // refused by the server.
    let raw = conn
        .with_client(|client| {
            client
                .query("SELECT count(*) FROM customer.shopping_cart", &[])
                .map(|rows| rows.len())
        })
        .unwrap()
        .unwrap_err();
    assert!(
        raw.as_db_error()
            .is_some_and(|e| e.message() == "permission denied for schema customer"),
        "{raw}"
    );
    let customer = shopping_cart::Table
        .select()
        .count(&conn.db::<Customer>())
        .unwrap_err();
    assert!(
        denial(&customer).contains("permission denied for schema customer"),
        "{customer}"
    );
    // The read-only role reads and cannot write.
    conn.with_client(|client| client.batch_execute("SET ROLE sections_vendor_read"))
        .unwrap()
        .unwrap();
    assert_eq!(vendor_profile::Table.select().count(&db).unwrap(), 1);
    let write = vendor_profile::Table
        .insert(vendor::NewVendorProfile::new("Bolt"))
        .execute(&db)
        .unwrap_err();
    assert!(
        denial(&write).contains("permission denied for table vendor_profile"),
        "{write}"
    );
}

#[pg_sections::test(migrations = false)]
fn the_roles_script_quotes_names_and_grants_the_referenced_schemas(mut client: postgres::Client) {
    let dir = tests::scratch_dir("roles-quoting");
    let migrations = dir.join("Odd Name/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::create_dir_all(dir.join("base/migrations")).unwrap();
    std::fs::write(
        dir.join("base/migrations/20250101_000000_base.up.sql"),
        "CREATE SCHEMA base; CREATE TABLE base.thing (id int PRIMARY KEY);",
    )
    .unwrap();
    std::fs::write(
        migrations.join("20250102_000000_odd.up.sql"),
        "CREATE SCHEMA \"Odd Name\"; CREATE TABLE \"Odd Name\".t (id int PRIMARY KEY, thing int REFERENCES base.thing);",
    )
    .unwrap();
    let sections = codegen::Config::new(&dir).load().unwrap();
    let odd = sections.iter().find(|s| s.name == "Odd Name").unwrap();
    let script = codegen::roles::grant(odd, &["o'brien".to_owned()]);
    assert!(
        script.contains(
            "GRANT USAGE ON SCHEMA \"base\" TO \"sections_Odd Name\", \"sections_Odd Name_read\";"
        ),
        "{script}"
    );
    client
        .batch_execute(
            "CREATE SCHEMA base; CREATE TABLE base.thing (id int PRIMARY KEY);
             CREATE SCHEMA \"Odd Name\"; CREATE TABLE \"Odd Name\".t (id int PRIMARY KEY, thing int REFERENCES base.thing);
             DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'o''brien') THEN
                     CREATE ROLE \"o'brien\" NOLOGIN;
                 END IF;
             END $$;",
        )
        .unwrap();
    client.batch_execute(&script).unwrap();
    let member: bool = client
        .query_one(
            "SELECT pg_catalog.pg_has_role('o''brien', 'sections_Odd Name', 'MEMBER')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(member);
    // And undone.
    client
        .batch_execute(&codegen::roles::revoke(odd, &["o'brien".to_owned()]))
        .unwrap();
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname LIKE 'sections_Odd Name%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    client.batch_execute("DROP ROLE \"o'brien\"").unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[pg_sections::test]
fn a_connection_that_assumes_section_roles_runs_each_handle_under_its_sections_role(
    conn: Connection,
) {
    let current = |conn: &Connection| -> String {
        conn.with_client(|client| client.query_one("SELECT current_user::text", &[]))
            .unwrap()
            .unwrap()
            .get(0)
    };
    let login = current(&conn);
    create_roles(&conn);
    conn.assume_section_roles(true).unwrap();
    let vendor = conn.db::<Vendor>();
    vendor_profile::Table
        .insert(vendor::NewVendorProfile::new("Acme"))
        .execute(&vendor)
        .unwrap();
    // Raw SQL after a vendor handle runs under the vendor section's role.
    assert_eq!(current(&conn), pg_sections::section_role("vendor"));
    let raw = conn
        .with_client(|client| client.query("SELECT 1 FROM customer.shopping_cart", &[]))
        .unwrap()
        .unwrap_err();
    assert!(
        raw.as_db_error()
            .is_some_and(|e| e.message() == "permission denied for schema customer"),
        "{raw}"
    );
    // A customer handle takes the customer section's role, and its
    // queries run.
    assert_eq!(
        shopping_cart::Table
            .select()
            .count(&conn.db::<Customer>())
            .unwrap(),
        0
    );
    assert_eq!(current(&conn), pg_sections::section_role("customer"));
    // Raw SQL that resets the role does not leave the next handle without
    // its own.
    conn.with_client(|client| client.batch_execute("RESET ROLE"))
        .unwrap()
        .unwrap();
    assert_eq!(vendor_profile::Table.select().count(&vendor).unwrap(), 1);
    assert_eq!(current(&conn), pg_sections::section_role("vendor"));
    // Off again: the login's own role.
    conn.assume_section_roles(false).unwrap();
    assert_eq!(current(&conn), login);
}

/// The two-database fixture migrated into two fresh databases: `shop` into
/// the first, `ledger` into the second.
fn two_databases() -> (
    pg_sections::testing::TestDatabase,
    pg_sections::testing::TestDatabase,
) {
    let layout = codegen::Layout::read(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/two_databases/sections"
    )))
    .unwrap();
    let options = codegen::migrate::Options::new();
    let (shop, ledger) = (
        pg_sections::testing::database(),
        pg_sections::testing::database(),
    );
    codegen::migrate::up(&mut shop.connect(), &layout, &["shop".to_owned()], &options).unwrap();
    codegen::migrate::up(
        &mut ledger.connect(),
        &layout,
        &["ledger".to_owned()],
        &options,
    )
    .unwrap();
    (shop, ledger)
}

#[test]
fn each_section_runs_on_its_databases_pool_and_no_transaction_spans_two() {
    let (on_shop, on_ledger) = two_databases();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(on_two_databases(&on_shop, &on_ledger));
}

async fn on_two_databases(
    on_shop: &pg_sections::testing::TestDatabase,
    on_ledger: &pg_sections::testing::TestDatabase,
) {
    use pg_sections::rust_decimal::Decimal;
    use pg_sections::{Databases, Error, Pool, Section};
    use tests::two_databases::ledger::{self, Ledger, entry};
    use tests::two_databases::shop::{self, Shop, customer};

    assert_eq!(Ledger::DATABASE_URL_ENV, "LEDGER_DATABASE_URL");
    assert_eq!(Ledger::REPLICA_URL_ENVS, ["LEDGER_REPLICA_URL"]);
    assert_eq!(Shop::DATABASE_URL_ENV, "DATABASE_URL");
    assert!(Shop::REPLICA_URL_ENVS.is_empty());
    let databases = Databases::default()
        .with("DATABASE_URL", Pool::connect(on_shop.url()).await.unwrap())
        .with(
            "LEDGER_DATABASE_URL",
            Pool::connect(on_ledger.url()).await.unwrap(),
        );
    let ada = customer::Table
        .insert(shop::NewCustomer::new("Ada"))
        .returning()
        .fetch_one(&databases.db::<Shop>().unwrap())
        .await
        .unwrap();
    entry::Table
        .insert(ledger::NewEntry::new(ada.id, Decimal::new(1250, 2)))
        .execute(&databases.db::<Ledger>().unwrap())
        .await
        .unwrap();
    // In the ledger's database, as the server sees it.
    let amount: Decimal = databases
        .pool::<Ledger>()
        .unwrap()
        .with_client(async |client| {
            client
                .query_one("SELECT amount FROM ledger.entry", &[])
                .await
                .map(|row| row.get(0))
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(amount, Decimal::new(1250, 2));

    // A transaction of the shop's database refuses the ledger's handles,
    // and rolls back what it did.
    let spanning = databases
        .pool::<Shop>()
        .unwrap()
        .transaction(async |tx| {
            customer::Table
                .insert(shop::NewCustomer::new("Grace"))
                .execute(&tx.db::<Shop>())
                .await?;
            entry::Table.select().count(&tx.db::<Ledger>()).await
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            spanning,
            Error::OtherDatabase {
                section: "ledger",
                of: "transaction",
                ..
            }
        ),
        "{spanning}"
    );
    assert!(
        spanning.to_string().starts_with(
            "section `ledger` is in the database of LEDGER_DATABASE_URL, and this transaction is of the database of DATABASE_URL"
        ),
        "{spanning}"
    );
    let shoppers = customer::Table
        .select()
        .count(&databases.db::<Shop>().unwrap())
        .await
        .unwrap();
    assert_eq!(shoppers, 1, "the transaction was rolled back");
    // So does a pool of one database for a handle of the other's.
    let stray = entry::Table
        .select()
        .count(&databases.pool::<Shop>().unwrap().db::<Ledger>())
        .await
        .unwrap_err();
    assert!(
        matches!(stray, Error::OtherDatabase { of: "pool", .. }),
        "{stray}"
    );
    // Databases without the ledger's say so.
    let missing = Databases::default()
        .with("DATABASE_URL", databases.pool::<Shop>().unwrap().clone())
        .db::<Ledger>()
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "section `ledger` is in the database of LEDGER_DATABASE_URL, which these `Databases` have no pool for; name LEDGER_DATABASE_URL to `Databases::connect_from_env`"
    );
    let unset = Databases::connect_from_env(&["PG_SECTIONS_NO_SUCH_VARIABLE"])
        .await
        .unwrap_err();
    assert!(
        unset
            .to_string()
            .contains("PG_SECTIONS_NO_SUCH_VARIABLE is not set"),
        "{unset}"
    );
    // From the sections' own variables, which no test sets.
    if std::env::var_os("LEDGER_DATABASE_URL").is_none() {
        let unset = Databases::from_env()
            .section::<Ledger>()
            .connect()
            .await
            .unwrap_err();
        assert_eq!(
            unset.to_string(),
            "connection pool: LEDGER_DATABASE_URL is not set: it holds the URL of the primary of the database of section ledger"
        );
    }
}

/// The tenant fixture on a fresh database: `core` migrated, and tenants
/// `acme` and `kct` created as `cargo sections tenant new` creates them.
fn with_tenants() -> pg_sections::testing::TestDatabase {
    let layout = codegen::Layout::read(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tenants/sections"
    )))
    .unwrap();
    let options = codegen::migrate::Options::new();
    let database = pg_sections::testing::database();
    let mut client = database.connect();
    // A plain migration leaves the template alone.
    let applied = codegen::migrate::up(&mut client, &layout, &[], &options).unwrap();
    assert_eq!(applied.len(), 1, "{applied:?}");
    for tenant in ["acme", "kct"] {
        let applied =
            codegen::tenants::create(&mut client, &layout, "tenant", tenant, &options).unwrap();
        assert_eq!(applied.len(), 2);
    }
    database
}

#[test]
fn each_tenant_has_its_schema_and_a_template_handle_runs_nothing() {
    let database = with_tenants();
    // A blocking connection has no tenant handle: the template's own is
    // refused there too.
    let conn = Connection::connect(database.url()).unwrap();
    let refused = tests::tenants::tenant::project::Table
        .select()
        .count(&conn.db::<tests::tenants::tenant::Tenant>())
        .unwrap_err();
    assert!(
        matches!(
            refused,
            pg_sections::Error::TenantTemplate { section: "tenant" }
        ),
        "{refused}"
    );
    let mut client = database.connect();
    let schemas: Vec<String> = client
        .query(
            "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'tenant%' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    // The template's own schema is never created.
    assert_eq!(schemas, ["tenant_acme", "tenant_kct"]);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(on_tenants(&database));
    let acme_tasks: i64 = client
        .query_one("SELECT count(*) FROM tenant_acme.task", &[])
        .unwrap()
        .get(0);
    let kct_tasks: i64 = client
        .query_one("SELECT count(*) FROM tenant_kct.task", &[])
        .unwrap()
        .get(0);
    assert_eq!((acme_tasks, kct_tasks), (2, 0));
}

async fn on_tenants(database: &pg_sections::testing::TestDatabase) {
    use futures_util::TryStreamExt;
    use pg_sections::{Error, Pool};
    use tests::tenants::core::{self, Core, plan};
    use tests::tenants::tenant::{self, Status, Tenant, project, task};

    let pool = Pool::connect(database.url()).await.unwrap();
    let acme = pool.tenant::<Tenant>("acme").unwrap();
    let kct = pool.tenant::<Tenant>("kct").unwrap();
    let basic = plan::Table
        .insert(core::NewPlan::new("basic"))
        .returning()
        .fetch_one(&pool.db::<Core>())
        .await
        .unwrap();
    let launch = project::Table
        .insert(tenant::NewProject {
            status: Some(Status::Closed),
            plan_id: Some(basic.id),
            ..tenant::NewProject::new("launch")
        })
        .returning()
        .fetch_one(&acme)
        .await
        .unwrap();
    assert_eq!(launch.status, Status::Closed);
    task::Table
        .insert_many([
            tenant::NewTask::new(launch.id, "write"),
            tenant::NewTask::new(launch.id, "ship"),
        ])
        .execute(&acme)
        .await
        .unwrap();
    // The same statements on the other tenant's schema: each tenant's are
    // cached apart, and none sees the other's rows.
    for _ in 0..2 {
        assert_eq!(project::Table.select().count(&acme).await.unwrap(), 1);
        assert_eq!(project::Table.select().count(&kct).await.unwrap(), 0);
    }
    let joined = task::Table
        .select()
        .inner_join(project::Table)
        .filter(project::status.eq(Status::Closed))
        .fetch_all(&acme)
        .await
        .unwrap();
    assert_eq!(joined.len(), 2);
    let query = task::Table.select();
    let streamed: Vec<_> = query.stream(&acme, 1).try_collect().await.unwrap();
    assert_eq!(streamed.len(), 2);
    let page = task::Table.select().paginate(&kct, 1, 10).await.unwrap();
    assert_eq!(page.total, 0);
    let updated = task::Table
        .update()
        .set(task::done, true)
        .filter(task::title.eq("ship"))
        .execute(&acme)
        .await
        .unwrap();
    assert_eq!(updated, 1);
    // A transaction across a tenant and a shared section.
    let moved = pool
        .transaction(async |tx| {
            let kct = tx.tenant::<Tenant>("kct")?;
            let seeded = project::Table
                .insert(tenant::NewProject {
                    plan_id: Some(basic.id),
                    ..tenant::NewProject::new("seeded")
                })
                .execute(&kct)
                .await?;
            plan::Table.select().count(&tx.db::<Core>()).await?;
            Ok::<u64, Error>(seeded)
        })
        .await
        .unwrap();
    assert_eq!(moved, 1);
    assert_eq!(project::Table.select().count(&kct).await.unwrap(), 1);

    // The template's own handle runs nothing, and says why.
    let template = project::Table
        .select()
        .count(&pool.db::<Tenant>())
        .await
        .unwrap_err();
    assert!(
        matches!(template, Error::TenantTemplate { section: "tenant" }),
        "{template}"
    );
    assert!(
        template.to_string().contains("take a tenant's handle"),
        "{template}"
    );
    // Names that make no schema, and a section that is no template.
    for bad in ["", "Acme", "a-b", "x\"; DROP SCHEMA core; --"] {
        let refused = pool.tenant::<Tenant>(bad).unwrap_err();
        assert!(matches!(refused, Error::Tenant { .. }), "{refused}");
    }
    let not_a_template = pool.tenant::<Core>("acme").unwrap_err();
    assert_eq!(
        not_a_template.to_string(),
        "no tenant \"acme\" of section `core`: section `core` is no tenant template (`tenant = true` in sections.toml)"
    );
    // The embedded migrations leave the template out: it never gets a
    // schema of its own from them.
    let embedded = include_str!(concat!(
        env!("OUT_DIR"),
        "/tenants/pg-sections-migrations.rs"
    ));
    assert!(embedded.contains("create_core") && !embedded.contains("create_tenant"));
    // A tenant nobody created: the server's error names its schema.
    let missing = project::Table
        .select()
        .count(&pool.tenant::<Tenant>("nobody").unwrap())
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("tenant_nobody"), "{missing}");
}
