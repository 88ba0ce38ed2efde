//! The async handles against a real PostgreSQL: the same builder awaited on
//! a pool, handles that are `Send + Sync + 'static`, transactions that hold
//! one connection across sections, and what goes wrong: aborted and
//! cancelled transactions, handles kept too long, an exhausted pool, a
//! server that drops the connection, a statement gone stale.

use std::time::Duration;

use pg_sections::testing::TestDatabase;
use pg_sections::{Error, Pool, Table, Transaction};
use tests::bundled::customer::{self, Customer, customer_profile};
use tests::bundled::vendor::{self, Vendor, vendor_inventory, vendor_profile};

type VendorDb = pg_sections::Db<Vendor>;

fn new_vendor(name: &str) -> vendor::NewVendorProfile {
    vendor::NewVendorProfile {
        contact_email: Some(format!("{}@example.com", name.to_lowercase())),
        ..vendor::NewVendorProfile::new(name)
    }
}

fn new_item(vendor_id: i32, sku: &str, quantity: i32) -> vendor::NewVendorInventory {
    vendor::NewVendorInventory {
        id: None,
        public_id: None,
        vendor_id,
        core_part_public_id: pg_sections::uuid::Uuid::from_u128(
            sku.bytes().fold(0u128, |acc, b| acc * 256 + u128::from(b)),
        ),
        condition: None,
        quantity: Some(quantity),
        price: pg_sections::rust_decimal::Decimal::new(1000, 2),
        sku: Some(sku.to_owned()),
        location: None,
        is_available: None,
        created_at: None,
        updated_at: None,
        for_parts_note: None,
    }
}

fn new_customer(email: &str) -> customer::NewCustomerProfile {
    customer::NewCustomerProfile::new(email)
}

/// A vendor with three items.
async fn stocked(db: &VendorDb) -> vendor::VendorProfile {
    let acme = vendor_profile::Table
        .insert(new_vendor("Acme"))
        .returning()
        .fetch_one(db)
        .await
        .unwrap();
    let inserted = vendor_inventory::Table
        .insert_many([
            new_item(acme.id, "A-1", 5),
            new_item(acme.id, "A-2", 0),
            new_item(acme.id, "A-3", 12),
        ])
        .execute(db)
        .await
        .unwrap();
    assert_eq!(inserted, 3);
    acme
}

async fn count_vendors(pool: &Pool) -> i64 {
    vendor_profile::Table
        .select()
        .count(&pool.db::<Vendor>())
        .await
        .unwrap()
}

#[pg_sections::test]
async fn every_builder_operation_is_awaited_on_a_pool(pool: Pool) {
    let db = pool.db::<Vendor>();
    let acme = stocked(&db).await;

    let skus: Vec<Option<String>> = vendor_inventory::Table
        .select()
        .columns((vendor_inventory::sku,))
        .filter(vendor_inventory::quantity.gt(0))
        .order_by(vendor_inventory::sku.asc())
        .fetch_all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|(sku,)| sku)
        .collect();
    assert_eq!(skus, [Some("A-1".to_owned()), Some("A-3".to_owned())]);

    let one = vendor_profile::Table
        .select()
        .filter(vendor_profile::id.eq(acme.id))
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(one.business_name, "Acme");
    let none = vendor_profile::Table
        .select()
        .filter(vendor_profile::id.eq(-1))
        .fetch_optional(&db)
        .await
        .unwrap();
    assert!(none.is_none());
    let missing = vendor_profile::Table
        .select()
        .filter(vendor_profile::id.eq(-1))
        .fetch_one(&db)
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );

    let all = vendor_inventory::Table.select();
    assert_eq!(all.count(&db).await.unwrap(), 3);
    assert!(all.exists(&db).await.unwrap());
    let page = vendor_inventory::Table
        .select()
        .order_by(vendor_inventory::sku.asc())
        .paginate(&db, 2, 2)
        .await
        .unwrap();
    assert_eq!((page.total, page.rows.len(), page.pages()), (3, 1, 2));
    assert_eq!(page.rows[0].sku.as_deref(), Some("A-3"));

    let joined = vendor_inventory::Table
        .select()
        .inner_join(vendor_profile::Table)
        .fetch_all(&db)
        .await
        .unwrap();
    assert!(joined.iter().all(|(_, vendor)| vendor.id == acme.id));

    let updated = vendor_inventory::Table
        .update()
        .add(vendor_inventory::quantity, 1)
        .filter(vendor_inventory::sku.eq("A-2"))
        .returning()
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(updated[0].quantity, 1);
    let deleted = vendor_inventory::Table
        .delete()
        .filter(vendor_inventory::quantity.lt(5))
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    let empty: [vendor::NewVendorInventory; 0] = [];
    let nothing = vendor_inventory::Table
        .insert_many(empty)
        .returning()
        .fetch_optional(&db)
        .await
        .unwrap();
    assert!(nothing.is_none());
}

/// What an axum state needs: handles and the pool cross threads and
/// outlive any borrow, and a query's future can be spawned.
#[pg_sections::test]
async fn handles_cross_tasks_and_threads(pool: Pool) {
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    shareable(&pool);
    let db = pool.db::<Vendor>();
    shareable(&db);
    stocked(&db).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { vendor_inventory::Table.select().count(&db).await.unwrap() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 3);
    }
    // A handle moves to another thread and back.
    let db = std::thread::spawn(move || db).join().unwrap();
    assert_eq!(
        vendor_inventory::Table.select().count(&db).await.unwrap(),
        3
    );
}

#[pg_sections::test]
async fn concurrent_queries_share_a_small_pool(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(2)
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    stocked(&db).await;
    let mut queries = tokio::task::JoinSet::new();
    for i in 0..32 {
        let db = db.clone();
        queries.spawn(async move {
            vendor_inventory::Table
                .select()
                .filter(vendor_inventory::quantity.ge(i % 3))
                .count(&db)
                .await
        });
    }
    let counts = queries.join_all().await;
    assert!(counts.iter().all(Result::is_ok), "{counts:?}");
    let status = pool.status();
    assert!(status.size <= 2, "{status:?}");
}

/// The backend process of the connection the pool hands out next.
async fn next_backend(pool: &Pool) -> i32 {
    pool.with_client(async |client| client.query_one("SELECT pg_backend_pid()", &[]).await)
        .await
        .unwrap()
        .unwrap()
        .get(0)
}

/// Queries one after another, and a transaction, run on one connection
/// (none opened per query), and the pool counts it idle between them
/// (whether a query or deadpool gave it back last).
#[pg_sections::test]
async fn queries_one_after_another_reuse_one_connection(pool: Pool) {
    let db = pool.db::<Vendor>();
    let first = next_backend(&pool).await;
    for _ in 0..5 {
        assert_eq!(vendor_profile::Table.select().count(&db).await.unwrap(), 0);
        assert_eq!(next_backend(&pool).await, first);
    }
    pool.transaction(async |tx| {
        vendor_profile::Table
            .select()
            .count(&tx.db::<Vendor>())
            .await
    })
    .await
    .unwrap();
    assert_eq!(next_backend(&pool).await, first);
    let status = pool.status();
    assert_eq!(
        (status.size, status.idle, status.waiting),
        (1, 1, 0),
        "{status:?}"
    );
}

/// Many more tasks than connections, on several threads, with no wait
/// timeout: queries, transactions and raw clients check connections out
/// and give them back at once. A connection given back while a checkout
/// has just gone to wait for one must reach it, or that checkout waits
/// for ever: every task ends, and the pool ends idle.
#[pg_sections::test]
fn more_tasks_than_connections_all_end_without_a_wait_timeout(database: TestDatabase) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = Pool::options(database.url())
            .max_size(2)
            .wait_timeout(None)
            .connect()
            .await
            .unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..48_u32 {
            let pool = pool.clone();
            tasks.spawn(async move {
                let db = pool.db::<Vendor>();
                for round in 0..25_u32 {
                    let done = match (task + round) % 4 {
                        0 | 1 => vendor_profile::Table
                            .select()
                            .count(&db)
                            .await
                            .map(drop)
                            .map_err(|error| error.to_string()),
                        2 => pool
                            .transaction(async |tx| {
                                vendor_profile::Table
                                    .select()
                                    .count(&tx.db::<Vendor>())
                                    .await
                            })
                            .await
                            .map(drop)
                            .map_err(|error| error.to_string()),
                        _ => match pool
                            .with_client(async |client| client.simple_query("SELECT 1").await)
                            .await
                        {
                            Ok(Ok(_)) => Ok(()),
                            Ok(Err(error)) => Err(error.to_string()),
                            Err(error) => Err(error.to_string()),
                        },
                    };
                    done?;
                }
                Ok::<_, String>(())
            });
        }
        let ended = tokio::time::timeout(Duration::from_mins(1), tasks.join_all())
            .await
            .expect("a checkout waited for a connection that was never handed to it");
        assert!(ended.iter().all(Result::is_ok), "{ended:?}");
        let status = pool.status();
        assert_eq!(status.waiting, 0, "{status:?}");
        assert!(status.size <= 2, "{status:?}");
        assert_eq!(status.idle, status.size, "{status:?}");
    });
}

#[pg_sections::test]
async fn a_transaction_spans_sections_and_commits(pool: Pool) {
    let (vendor, customer) = pool
        .transaction(async |tx: Transaction| {
            let vendor = vendor_profile::Table
                .insert(new_vendor("Acme"))
                .returning()
                .fetch_one(&tx.db::<Vendor>())
                .await?;
            let customer = customer_profile::Table
                .insert(new_customer("ada@example.com"))
                .returning()
                .fetch_one(&tx.db::<Customer>())
                .await?;
            Ok::<_, Error>((vendor, customer))
        })
        .await
        .unwrap();
    let vendors = pool.db::<Vendor>();
    let found = vendor_profile::Table
        .select()
        .filter(vendor_profile::id.eq(vendor.id))
        .fetch_optional(&vendors)
        .await
        .unwrap();
    assert!(found.is_some());
    let customers = customer_profile::Table
        .select()
        .count(&pool.db::<Customer>())
        .await
        .unwrap();
    assert_eq!(customers, 1);
    assert_eq!(customer.email, "ada@example.com");
}

#[pg_sections::test]
async fn an_error_rolls_the_transaction_back(pool: Pool) {
    let outcome: Result<(), Error> = pool
        .transaction(async |tx| {
            vendor_profile::Table
                .insert(new_vendor("Acme"))
                .execute(&tx.db::<Vendor>())
                .await?;
            Err(Error::TransactionEnded)
        })
        .await;
    assert!(
        matches!(outcome, Err(Error::TransactionEnded)),
        "{outcome:?}"
    );
    assert_eq!(count_vendors(&pool).await, 0);
}

/// A failed statement whose error was ignored aborted the transaction on
/// the server: `Ok` from the closure must not read as committed.
#[pg_sections::test]
async fn an_ignored_failure_is_never_reported_committed(pool: Pool) {
    let outcome = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            vendor_profile::Table
                .insert(new_vendor("Acme"))
                .execute(&db)
                .await?;
            // A duplicate primary key: the server aborts the transaction.
            let first = vendor_profile::Table.select().fetch_one(&db).await?;
            let again = vendor::NewVendorProfile {
                id: Some(first.id),
                ..new_vendor("Twice")
            };
            let ignored = vendor_profile::Table.insert(again).execute(&db).await;
            assert!(ignored.is_err());
            Ok::<_, Error>(())
        })
        .await;
    match outcome {
        Err(Error::TransactionAborted { cause }) => {
            assert!(cause.contains("vendor.vendor_profile"), "{cause}");
        }
        other => panic!("expected TransactionAborted, got {other:?}"),
    }
    assert_eq!(count_vendors(&pool).await, 0);
}

/// A request cancelled mid-transaction drops its future: nothing commits,
/// and the connection serves the next caller, rolled back.
#[pg_sections::test]
async fn a_dropped_transaction_commits_nothing(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap();
    let cancelled = tokio::time::timeout(
        Duration::from_millis(200),
        pool.transaction(async |tx| {
            vendor_profile::Table
                .insert(new_vendor("Acme"))
                .execute(&tx.db::<Vendor>())
                .await?;
            std::future::pending::<()>().await;
            Ok::<_, Error>(())
        }),
    )
    .await;
    assert!(cancelled.is_err(), "the transaction never ends by itself");
    // The one connection comes back rolled back, outside any transaction.
    assert_eq!(count_vendors(&pool).await, 0);
    vendor_profile::Table
        .insert(new_vendor("Bolt"))
        .execute(&pool.db::<Vendor>())
        .await
        .unwrap();
    let other = Pool::connect(database.url()).await.unwrap();
    assert_eq!(count_vendors(&other).await, 1, "autocommit again");
}

#[pg_sections::test]
async fn a_handle_kept_past_its_transaction_is_refused(pool: Pool) {
    let kept = pool
        .transaction(async |tx| Ok::<_, Error>(tx.db::<Vendor>()))
        .await
        .unwrap();
    let late = vendor_profile::Table.select().count(&kept).await;
    assert!(matches!(late, Err(Error::TransactionClosed)), "{late:?}");
    assert!(late.unwrap_err().to_string().contains("Pool::transaction"));
}

#[pg_sections::test]
async fn an_exhausted_pool_times_out_with_a_clear_error(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .wait_timeout(Some(Duration::from_millis(100)))
        .connect()
        .await
        .unwrap();
    let waited = pool
        .transaction(async |_held| {
            // The transaction holds the only connection.
            Ok::<_, Error>(
                vendor_profile::Table
                    .select()
                    .count(&pool.db::<Vendor>())
                    .await,
            )
        })
        .await
        .unwrap();
    let error = waited.unwrap_err();
    assert!(matches!(error, Error::PoolTimeout { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("max_size"), "{message}");
    assert!(!message.contains(":secret@"), "{message}");
}

#[pg_sections::test(migrations = false)]
async fn a_pool_that_cannot_connect_names_the_url(database: TestDatabase) {
    let refused = Pool::connect("postgres://nobody:secret@127.0.0.1:1/nothing").await;
    let error = refused.unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("127.0.0.1:1"), "{message}");
    assert!(!message.contains("secret"), "{message}");
    let garbled = Pool::connect("postgres://[::1").await.unwrap_err();
    assert!(matches!(garbled, Error::Connect { .. }), "{garbled:?}");
    // A listening socket that never answers: bounded by connect_timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = format!("postgres://x@127.0.0.1:{port}/x?connect_timeout=1");
    let timed_out = Pool::connect(&url).await.unwrap_err();
    assert!(
        matches!(timed_out, Error::ConnectTimeout { .. }),
        "{timed_out:?}"
    );
    drop(database);
}

/// The server ends every connection of the pool (a restart, a failover,
/// an idle timeout): the pool replaces them, queries go on.
#[pg_sections::test]
async fn connections_the_server_closed_are_replaced(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(2)
        .connect()
        .await
        .unwrap();
    assert_eq!(count_vendors(&pool).await, 0);
    let (admin, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let ended = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    assert!(!ended.is_empty(), "the pool held a connection");
    // Give the pool's connection task a moment to see its socket close.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(count_vendors(&pool).await, 0);
}

/// Another session alters a table under a cached statement: the pooled
/// connection prepares it again and the query succeeds.
#[pg_sections::test]
async fn a_stale_cached_statement_is_prepared_again(database: TestDatabase) {
    let pool = Pool::connect(database.url()).await.unwrap();
    let db = pool.db::<Vendor>();
    stocked(&db).await;
    let query = vendor_inventory::Table.select();
    assert_eq!(query.fetch_all(&db).await.unwrap().len(), 3);
    let (admin, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    admin
        .batch_execute("ALTER TABLE vendor.vendor_inventory ADD COLUMN added_later integer")
        .await
        .unwrap();
    assert_eq!(query.fetch_all(&db).await.unwrap().len(), 3);
}

async fn vendor_names(db: &VendorDb) -> Vec<String> {
    vendor_profile::Table
        .select()
        .order_by(vendor_profile::business_name.asc())
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|vendor| vendor.business_name)
        .collect()
}

/// Nested transactions are savepoints: an inner `Err` or failure undoes
/// the inner work only, and the outer transaction goes on and commits.
#[pg_sections::test]
async fn nested_transactions_roll_back_to_their_savepoint_only(pool: Pool) {
    let outcome = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            vendor_profile::Table
                .insert(new_vendor("Outer"))
                .execute(&db)
                .await?;
            // Returns Err: its insert is undone.
            let failed: Result<(), Error> = tx
                .transaction(async |inner| {
                    vendor_profile::Table
                        .insert(new_vendor("Undone"))
                        .execute(&inner.db::<Vendor>())
                        .await?;
                    Err(Error::TransactionClosed)
                })
                .await;
            assert!(matches!(failed, Err(Error::TransactionClosed)));
            // Ignores a failed statement: never reported committed.
            let ignored: Result<(), Error> = tx
                .transaction(async |inner| {
                    let db = inner.db::<Vendor>();
                    vendor_profile::Table
                        .insert(new_vendor("Also undone"))
                        .execute(&db)
                        .await?;
                    let duplicate = vendor_profile::Table
                        .insert(vendor::NewVendorProfile {
                            id: Some(1),
                            ..new_vendor("Clash")
                        })
                        .execute(&db)
                        .await;
                    let _ = vendor_profile::Table
                        .insert(vendor::NewVendorProfile {
                            id: Some(1),
                            ..new_vendor("Clash again")
                        })
                        .execute(&db)
                        .await;
                    let _ = duplicate;
                    Ok(())
                })
                .await;
            assert!(
                matches!(ignored, Err(Error::TransactionAborted { .. })),
                "{ignored:?}"
            );
            // Two levels deep, committed into the outer one.
            let kept = tx
                .transaction(async |inner| {
                    inner
                        .transaction(async |deeper| {
                            vendor_profile::Table
                                .insert(new_vendor("Deep"))
                                .execute(&deeper.db::<Vendor>())
                                .await
                        })
                        .await
                })
                .await?;
            assert_eq!(kept, 1);
            // The outer transaction still works after all of it.
            vendor_profile::Table
                .insert(new_vendor("Outer again"))
                .execute(&db)
                .await?;
            Ok::<_, Error>(())
        })
        .await;
    outcome.unwrap();
    assert_eq!(
        vendor_names(&pool.db::<Vendor>()).await,
        ["Deep", "Outer", "Outer again"]
    );
}

#[pg_sections::test]
async fn a_nested_handle_kept_past_its_end_is_refused_and_an_abandoned_one_rolls_back(pool: Pool) {
    let outcome = pool
        .transaction(async |tx| {
            let kept = tx
                .transaction(async |inner| Ok::<_, Error>(inner.db::<Vendor>()))
                .await?;
            let late = vendor_profile::Table.select().count(&kept).await;
            assert!(matches!(late, Err(Error::TransactionClosed)), "{late:?}");
            vendor_profile::Table
                .insert(new_vendor("Outer"))
                .execute(&tx.db::<Vendor>())
                .await?;
            // A nested transaction dropped before its end: what it holds
            // is unknown, so the outer transaction is rolled back.
            let dropped = tokio::time::timeout(
                Duration::from_millis(100),
                tx.transaction(async |inner| {
                    vendor_profile::Table
                        .insert(new_vendor("Dropped"))
                        .execute(&inner.db::<Vendor>())
                        .await?;
                    std::future::pending::<()>().await;
                    Ok::<_, Error>(())
                }),
            )
            .await;
            assert!(dropped.is_err());
            Ok::<_, Error>(())
        })
        .await;
    let Err(Error::TransactionAborted { cause }) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        cause.contains("nested transaction was abandoned"),
        "{cause}"
    );
    assert!(vendor_names(&pool.db::<Vendor>()).await.is_empty());
}

/// Savepoints nest: two nested transactions of one transaction awaited
/// together would release or roll back each other's savepoint. The second
/// is refused; the first's work is committed.
#[pg_sections::test]
async fn nested_transactions_side_by_side_are_refused_not_mixed(pool: Pool) {
    let (first, second) = pool
        .transaction(async |tx| {
            let first = tx.transaction(async |inner| {
                tokio::time::sleep(Duration::from_millis(50)).await;
                vendor_profile::Table
                    .insert(new_vendor("First"))
                    .execute(&inner.db::<Vendor>())
                    .await
            });
            let second = tx.transaction(async |inner| {
                vendor_profile::Table
                    .insert(new_vendor("Second"))
                    .execute(&inner.db::<Vendor>())
                    .await?;
                Err::<u64, Error>(Error::TransactionClosed)
            });
            Ok::<_, Error>(tokio::join!(first, second))
        })
        .await
        .unwrap();
    // Whichever started first ran; the other was refused at once.
    let refused = [&first, &second]
        .iter()
        .filter(|outcome| matches!(outcome, Err(Error::NestedTransactionOpen)))
        .count();
    assert_eq!(refused, 1, "{first:?} {second:?}");
    let names = vendor_names(&pool.db::<Vendor>()).await;
    if first.is_ok() {
        assert_eq!(names, ["First"]);
    } else {
        assert!(names.is_empty(), "{names:?}");
    }
    assert!(
        Error::NestedTransactionOpen
            .to_string()
            .contains("await one nested `transaction` before starting the next")
    );
}

/// A transaction dropped mid-statement (a request timed out) while a
/// spawned task holds one of its handles: the task's running statement is
/// cancelled and its next ones are refused, never reported done in a
/// transaction that is over.
#[pg_sections::test]
async fn handles_kept_past_an_abandoned_transaction_are_closed(database: TestDatabase) {
    let pool = Pool::connect(database.url()).await.unwrap();
    let (locker, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    locker
        .batch_execute("BEGIN; LOCK TABLE vendor.vendor_profile")
        .await
        .unwrap();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let abandoned = tokio::time::timeout(
        Duration::from_millis(300),
        pool.transaction(async |tx| {
            let db = tx.db::<Vendor>();
            let task = tokio::spawn(async move {
                let first = vendor_profile::Table
                    .insert(new_vendor("X"))
                    .execute(&db)
                    .await;
                let second = vendor_profile::Table
                    .insert(new_vendor("Y"))
                    .execute(&db)
                    .await;
                (first, second)
            });
            let _ = sender.send(task);
            std::future::pending::<Result<(), Error>>().await
        }),
    )
    .await;
    assert!(abandoned.is_err(), "timed out");
    let task = receiver.await.unwrap();
    locker.batch_execute("COMMIT").await.unwrap();
    let (first, second) = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the task ends")
        .unwrap();
    // Cancelled on the server, or done before the cancel landed: either
    // way not reported as done, since it will not be committed.
    assert!(first.is_err(), "{first:?}");
    assert!(
        matches!(second, Err(Error::TransactionClosed)),
        "{second:?}"
    );
    assert!(vendor_names(&pool.db::<Vendor>()).await.is_empty());
}

/// A nested transaction kept running (a spawned task's) past the end of
/// the nested transaction around it: its savepoint went with that one, so
/// its rollback cannot happen on its own; the whole transaction is rolled
/// back instead, and its late statements are refused.
#[pg_sections::test]
async fn a_nested_transaction_that_outlives_its_parent_rolls_everything_back(pool: Pool) {
    let outcome = pool
        .transaction(async |tx| {
            let task = tx
                .transaction(async |a| {
                    let a = a.clone();
                    let (started, running) = tokio::sync::oneshot::channel();
                    let task = tokio::spawn(async move {
                        a.transaction(async |a1| {
                            let _ = started.send(());
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            vendor_profile::Table
                                .insert(new_vendor("Late"))
                                .execute(&a1.db::<Vendor>())
                                .await?;
                            Err::<(), Error>(Error::TransactionClosed)
                        })
                        .await
                    });
                    running.await.unwrap();
                    Ok::<_, Error>(task)
                })
                .await?;
            let late = task.await.unwrap();
            assert!(late.is_err(), "{late:?}");
            Ok::<_, Error>(())
        })
        .await;
    assert!(
        matches!(&outcome, Err(Error::TransactionAborted { cause }) if cause.contains("nested transaction")),
        "{outcome:?}"
    );
    assert!(vendor_names(&pool.db::<Vendor>()).await.is_empty());
}

/// Raw SQL and streams of an abandoned transaction, still running in a
/// spawned task, report the transaction closed instead of results that
/// will never be committed.
#[pg_sections::test]
async fn raw_sql_and_streams_of_an_abandoned_transaction_report_it_closed(pool: Pool) {
    let db = pool.db::<Vendor>();
    for n in 0..10 {
        vendor_profile::Table
            .insert(new_vendor(&format!("V{n}")))
            .execute(&db)
            .await
            .unwrap();
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let abandoned = tokio::time::timeout(
        Duration::from_millis(150),
        pool.transaction(async |tx| {
            vendor_profile::Table
                .insert(new_vendor("Uncommitted"))
                .execute(&tx.db::<Vendor>())
                .await?;
            let kept = tx.clone();
            let task = tokio::spawn(async move {
                let db = kept.db::<Vendor>();
                let query = vendor_profile::Table.select();
                let mut read = Vec::new();
                let ended = {
                    let mut stream = std::pin::pin!(query.stream(&db, 2));
                    loop {
                        match futures_util::TryStreamExt::try_next(&mut stream).await {
                            Ok(Some(row)) => read.push(row.business_name),
                            Ok(None) => break Ok(()),
                            Err(error) => break Err(error),
                        }
                        tokio::time::sleep(Duration::from_millis(60)).await;
                    }
                };
                let raw = kept
                    .with_client(async |client| {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        client.execute("SELECT 1", &[]).await
                    })
                    .await;
                (read, ended, raw)
            });
            let _ = sender.send(task);
            std::future::pending::<Result<(), Error>>().await
        }),
    )
    .await;
    assert!(abandoned.is_err(), "timed out");
    let (read, ended, raw) = receiver.await.unwrap().await.unwrap();
    assert!(
        matches!(ended, Err(Error::TransactionClosed)),
        "the stream stops at the abandon: {ended:?} after {read:?}"
    );
    assert!(read.len() < 11, "{read:?}");
    assert!(matches!(raw, Err(Error::TransactionClosed)), "{raw:?}");
    assert_eq!(vendor_names(&db).await.len(), 10, "nothing of it committed");
}
