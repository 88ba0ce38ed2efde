//! The pool behind a real PgBouncer (the tests start one, `pgbouncer` on
//! `PATH` or in `/usr/sbin`) in transaction mode with two server
//! connections, as Debian 12's 1.18 runs it: no protocol-level prepared
//! statements, so each transaction may run on another server connection.
//! Named statements break there; `StatementMode::Unnamed` runs everything.

use std::sync::OnceLock;

use futures_util::TryStreamExt;
use pg_sections::rust_decimal::Decimal;
use pg_sections::testing::{Bouncer, start_cluster, start_pgbouncer, url_of_database};
use pg_sections::uuid::Uuid;
use pg_sections::{Pool, StatementMode, Table};
use tests::bundled::customer::{Customer, shopping_cart};
use tests::bundled::vendor::{
    ItemCondition, NewVendorInventory, NewVendorProfile, Vendor, vendor_inventory, vendor_profile,
};

/// The server, and a PgBouncer in front of it in transaction mode.
fn server() -> &'static (String, Bouncer) {
    static SERVER: OnceLock<(String, Bouncer)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let server = start_cluster("", &[]).unwrap();
        let bouncer = start_pgbouncer(
            &server,
            "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 200",
        )
        .unwrap();
        (server, bouncer)
    })
}

/// A new database with the bundled sections migrated (directly: the
/// migrator's advisory lock is the session's), and its URL through
/// PgBouncer.
async fn database(name: &str) -> String {
    let (server, bouncer) = server();
    let admin = Pool::connect(server).await.unwrap();
    admin
        .with_client(async |client| {
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
        })
        .await
        .unwrap()
        .unwrap();
    Pool::connect(&url_of_database(server, name))
        .await
        .unwrap()
        .migrate(&examples::MIGRATIONS)
        .await
        .unwrap();
    format!("postgres://postgres@127.0.0.1:{}/{name}", bouncer.port)
}

/// Holds a transaction open through PgBouncer on a client of its own,
/// which keeps the server connection PgBouncer would hand out next.
async fn hold_a_server(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client.batch_execute("BEGIN; SELECT 1").await.unwrap();
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_statements_break_behind_pgbouncer_in_transaction_mode_and_unnamed_ones_do_not() {
    let url = database("switching").await;
    for mode in [StatementMode::Prepared, StatementMode::Unnamed] {
        let pool = Pool::options(&url)
            .max_size(1)
            .statement_mode(mode)
            .connect()
            .await
            .unwrap();
        let db = pool.db::<Vendor>();
        // Runs on the server connection PgBouncer used last, which keeps
        // the statement when it is named.
        let first = vendor_profile::Table.select().count(&db).await.unwrap();
        assert_eq!(first, 0);
        // Another client takes that server connection for a transaction;
        // the pool's next transaction runs on the other one, where the
        // statement it prepared is missing (outside a transaction, the
        // pool would prepare it again and retry).
        let holder = hold_a_server(&url).await;
        let second = pool
            .transaction(async |tx| {
                vendor_profile::Table
                    .select()
                    .count(&tx.db::<Vendor>())
                    .await
            })
            .await;
        holder.batch_execute("COMMIT").await.unwrap();
        match mode {
            StatementMode::Prepared => {
                let error = second.unwrap_err();
                assert!(
                    error.to_string().contains("prepared statement")
                        && error.to_string().contains("does not exist"),
                    "{error}"
                );
            }
            _ => assert_eq!(second.unwrap(), 0),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_query_runs_behind_pgbouncer_with_unnamed_statements() {
    let url = database("everything").await;
    let pool = Pool::options(&url)
        .max_size(6)
        .statement_mode(StatementMode::Unnamed)
        .connect()
        .await
        .unwrap();
    let before = pool.status().statements;
    // Six tasks on six client connections over two server connections,
    // each running inserts, reads of an enum column, updates, deletes,
    // a page, a stream and a transaction across sections.
    let tasks: Vec<_> = (0..6)
        .map(|task| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let vendors = pool.db::<Vendor>();
                for round in 0..10_u8 {
                    let vendor = vendor_profile::Table
                        .insert(NewVendorProfile::new(format!("vendor {task}-{round}")))
                        .returning()
                        .fetch_one(&vendors)
                        .await
                        .unwrap();
                    let condition = if round % 2 == 0 {
                        ItemCondition::Used
                    } else {
                        ItemCondition::Refurbished
                    };
                    vendor_inventory::Table
                        .insert(NewVendorInventory {
                            condition: Some(condition),
                            ..NewVendorInventory::new(
                                vendor.id,
                                Uuid::from_u128(u128::from(round)),
                                Decimal::new(995, 2),
                            )
                        })
                        .execute(&vendors)
                        .await
                        .unwrap();
                    let used = vendor_inventory::Table
                        .select()
                        .filter(vendor_inventory::vendor_id.eq(vendor.id))
                        .filter(vendor_inventory::condition.eq(condition))
                        .fetch_all(&vendors)
                        .await
                        .unwrap();
                    assert_eq!(used.len(), 1);
                    assert_eq!(used[0].condition, condition);
                    vendor_profile::Table
                        .update()
                        .set(vendor_profile::website, "https://example.com")
                        .filter(vendor_profile::id.eq(vendor.id))
                        .execute(&vendors)
                        .await
                        .unwrap();
                    let page = vendor_profile::Table
                        .select()
                        .filter(vendor_profile::business_name.like(format!("vendor {task}-%")))
                        .paginate(&vendors, 1, 5)
                        .await
                        .unwrap();
                    assert_eq!(page.total, i64::from(round) + 1);
                    let query = vendor_inventory::Table
                        .select()
                        .filter(vendor_inventory::vendor_id.eq(vendor.id));
                    let streamed: Vec<_> = query.stream(&vendors, 1).try_collect().await.unwrap();
                    assert_eq!(streamed.len(), 1);
                    let counted = pool
                        .transaction(async |tx| {
                            let vendors = tx.db::<Vendor>();
                            let carts = tx.db::<Customer>();
                            vendor_inventory::Table
                                .delete()
                                .filter(vendor_inventory::vendor_id.eq(vendor.id))
                                .execute(&vendors)
                                .await?;
                            shopping_cart::Table.select().count(&carts).await
                        })
                        .await
                        .unwrap();
                    assert_eq!(counted, 0);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let vendors = pool.db::<Vendor>();
    assert_eq!(
        vendor_profile::Table
            .select()
            .count(&vendors)
            .await
            .unwrap(),
        60
    );
    assert_eq!(
        vendor_inventory::Table
            .select()
            .count(&vendors)
            .await
            .unwrap(),
        0
    );
    // One statement per query: 60 rounds of insert, insert, select,
    // update, the page's two, the stream's DECLARE and two FETCHes, and
    // the transaction's two; then the two counts.
    assert_eq!(pool.status().statements - before, 60 * 11 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn types_created_after_the_pool_connected_are_learned_on_a_fresh_connection() {
    use tests::bundled::customer::{OrderStatus, customer_order};

    let (server, bouncer) = server();
    let admin = Pool::connect(server).await.unwrap();
    admin
        .with_client(async |client| client.batch_execute("CREATE DATABASE late_types").await)
        .await
        .unwrap()
        .unwrap();
    // Connected to an empty database, then migrated: every type is new to
    // the pool's one connection.
    let url = format!("postgres://postgres@127.0.0.1:{}/late_types", bouncer.port);
    let pool = Pool::options(&url)
        .max_size(1)
        .statement_mode(StatementMode::Unnamed)
        .connect()
        .await
        .unwrap();
    Pool::connect(&url_of_database(server, "late_types"))
        .await
        .unwrap()
        .migrate(&examples::MIGRATIONS)
        .await
        .unwrap();
    let vendors = pool.db::<Vendor>();
    let acme = vendor_profile::Table
        .insert(NewVendorProfile::new("Acme"))
        .returning()
        .fetch_one(&vendors)
        .await
        .unwrap();
    vendor_inventory::Table
        .insert(NewVendorInventory {
            condition: Some(ItemCondition::Used),
            ..NewVendorInventory::new(acme.id, Uuid::from_u128(1), Decimal::new(100, 2))
        })
        .execute(&vendors)
        .await
        .unwrap();
    // A second new type: learned with a statement deallocated already, the
    // connection is discarded and the query runs on a fresh one.
    let paid = customer_order::Table
        .select()
        .filter(customer_order::status.eq(OrderStatus::Paid))
        .fetch_all(&pool.db::<Customer>())
        .await
        .unwrap();
    assert!(paid.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unnamed_pool_learns_only_the_types_its_login_may_use() {
    let (server, _) = server();
    let admin = Pool::connect(server).await.unwrap();
    admin
        .with_client(async |client| {
            client.batch_execute("CREATE DATABASE one_schema").await?;
            client.batch_execute("CREATE ROLE vendor_only LOGIN").await
        })
        .await
        .unwrap()
        .unwrap();
    let direct = url_of_database(server, "one_schema");
    let owner = Pool::connect(&direct).await.unwrap();
    owner.migrate(&examples::MIGRATIONS).await.unwrap();
    owner
        .with_client(async |client| {
            client
                .batch_execute(
                    "GRANT USAGE ON SCHEMA vendor TO vendor_only; \
                     GRANT SELECT ON ALL TABLES IN SCHEMA vendor TO vendor_only",
                )
                .await
        })
        .await
        .unwrap()
        .unwrap();
    // Enums of schemas it cannot use are no reason to refuse it.
    let login = direct.replacen("postgres://postgres@", "postgres://vendor_only@", 1);
    let pool = Pool::options(&login)
        .statement_mode(StatementMode::Unnamed)
        .connect()
        .await
        .unwrap();
    let stock = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::condition.eq(ItemCondition::New))
        .count(&pool.db::<Vendor>())
        .await
        .unwrap();
    assert_eq!(stock, 0);
}
