//! Raw SQL on the async side: `Pool::with_client` and
//! `Transaction::with_client` give the `tokio-postgres` client, and the
//! runtime checks what the closure left behind: a transaction left open on
//! a pooled connection, a transaction ended or aborted under
//! `pool.transaction`, an abandoned closure; calls that need the
//! transaction's connection alone while a stream holds it fail at once.

use std::time::Duration;

use futures_util::TryStreamExt;
use pg_sections::testing::TestDatabase;
use pg_sections::{Error, Pool, Table};
use tests::bundled::vendor::{self, Vendor, vendor_profile};

async fn vendor_count(pool: &Pool) -> i64 {
    vendor_profile::Table
        .select()
        .count(&pool.db::<Vendor>())
        .await
        .unwrap()
}

/// A pool of one connection, so that what one call leaves on it is what
/// the next call finds.
async fn single(database: &TestDatabase) -> Pool {
    Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap()
}

const INSERT: &str = "INSERT INTO vendor.vendor_profile (business_name) VALUES ('Raw')";

#[pg_sections::test]
async fn a_pools_client_runs_raw_sql(pool: Pool) {
    let inserted = pool
        .with_client(async |client| client.execute(INSERT, &[]).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(inserted, 1);
    let name: String = pool
        .with_client(async |client| {
            client
                .query_one("SELECT business_name FROM vendor.vendor_profile", &[])
                .await
                .map(|row| row.get(0))
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(name, "Raw");
    // The closure's own error comes back inside `Ok`: it is the closure's.
    let failed = pool
        .with_client(async |client| client.execute("SELECT * FROM nowhere", &[]).await)
        .await
        .unwrap();
    assert!(failed.is_err());
    assert_eq!(vendor_count(&pool).await, 1);
}

#[pg_sections::test]
async fn a_transaction_left_open_on_a_pooled_connection_is_rolled_back(database: TestDatabase) {
    let pool = single(&database).await;
    for leave in [
        "BEGIN",
        "START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
        "begin; SELECT 1",
    ] {
        let outcome = pool
            .with_client(async |client| {
                client.batch_execute(leave).await?;
                client.execute(INSERT, &[]).await
            })
            .await;
        assert!(
            matches!(outcome, Err(Error::TransactionLeftOpen)),
            "{leave}: {outcome:?}"
        );
        assert!(
            outcome
                .unwrap_err()
                .to_string()
                .contains("Pool::transaction"),
            "the error says what to use"
        );
        // Rolled back, and the connection serves outside any transaction:
        // what the builder writes next is committed at once.
        assert_eq!(vendor_count(&pool).await, 0, "{leave}");
    }
    vendor_profile::Table
        .insert(vendor::NewVendorProfile::new("Committed"))
        .execute(&pool.db::<Vendor>())
        .await
        .unwrap();
    let other = Pool::connect(database.url()).await.unwrap();
    assert_eq!(vendor_count(&other).await, 1);
    assert_eq!(
        pool.status().size,
        1,
        "the same connection served throughout"
    );
}

#[pg_sections::test]
async fn an_aborted_transaction_left_open_is_rolled_back_too(database: TestDatabase) {
    let pool = single(&database).await;
    let outcome = pool
        .with_client(async |client| {
            client.batch_execute("BEGIN").await?;
            client.execute(INSERT, &[]).await?;
            client.batch_execute("SELECT 1/0").await
        })
        .await;
    assert!(
        matches!(outcome, Err(Error::TransactionLeftOpen)),
        "{outcome:?}"
    );
    assert_eq!(vendor_count(&pool).await, 0);
}

#[pg_sections::test]
async fn a_transactions_client_runs_inside_it(pool: Pool) {
    let kept = pool
        .transaction(async |tx| {
            tx.with_client(async |client| client.execute(INSERT, &[]).await)
                .await??;
            let seen = vendor_profile::Table
                .select()
                .count(&tx.db::<Vendor>())
                .await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(seen)
        })
        .await
        .unwrap();
    assert_eq!(kept, 1);
    assert_eq!(vendor_count(&pool).await, 1);

    let undone: Result<(), Box<dyn std::error::Error + Send + Sync>> = pool
        .transaction(async |tx| {
            tx.with_client(async |client| client.execute(INSERT, &[]).await)
                .await??;
            Err("changed my mind".into())
        })
        .await;
    assert_eq!(undone.unwrap_err().to_string(), "changed my mind");
    assert_eq!(
        vendor_count(&pool).await,
        1,
        "rolled back with the transaction"
    );
}

#[pg_sections::test]
async fn a_failure_the_closure_ignored_still_aborts_the_transaction(pool: Pool) {
    let outcome = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            vendor_profile::Table
                .insert(vendor::NewVendorProfile::new("Before"))
                .execute(&db)
                .await?;
            let ignored = tx
                .with_client(async |client| client.execute("SELECT 1/0", &[]).await.is_err())
                .await?;
            assert!(ignored, "the statement failed");
            Ok::<_, Error>(())
        })
        .await;
    match outcome {
        Err(Error::TransactionAborted { cause }) => {
            assert!(cause.contains("with_client"), "{cause}");
        }
        other => panic!("expected TransactionAborted, got {other:?}"),
    }
    assert_eq!(vendor_count(&pool).await, 0);
}

#[pg_sections::test]
async fn raw_sql_that_ends_the_transaction_is_reported(pool: Pool) {
    for end in ["COMMIT", "ROLLBACK", "COMMIT; BEGIN"] {
        let mut seen = None;
        let outcome = pool
            .transaction(async |tx| {
                seen = Some(
                    tx.with_client(async |client| client.batch_execute(end).await)
                        .await,
                );
                Ok::<_, Error>(())
            })
            .await;
        assert!(
            matches!(seen, Some(Err(Error::TransactionEnded))),
            "{end}: {seen:?}"
        );
        // The transaction does not report a commit it cannot vouch for.
        assert!(
            matches!(&outcome, Err(Error::TransactionAborted { cause }) if cause.contains("ended the transaction")),
            "{end}: {outcome:?}"
        );
    }
    // The pool serves on, outside any transaction.
    vendor_profile::Table
        .insert(vendor::NewVendorProfile::new("After"))
        .execute(&pool.db::<Vendor>())
        .await
        .unwrap();
    assert_eq!(vendor_count(&pool).await, 1);
}

#[pg_sections::test]
async fn calls_that_need_the_connection_alone_refuse_while_a_stream_is_open(pool: Pool) {
    vendor_profile::Table
        .insert_many((0..20).map(|n| vendor::NewVendorProfile::new(format!("V{n:02}"))))
        .execute(&pool.db::<Vendor>())
        .await
        .unwrap();
    let read = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            let query = vendor_profile::Table.select();
            let mut stream = std::pin::pin!(query.stream(&db, 5));
            stream.try_next().await?;
            let raw = tx.with_client(async |_| ()).await;
            assert!(matches!(raw, Err(Error::StreamOpen)), "{raw:?}");
            let nested = tx.transaction(async |_| Ok::<_, Error>(())).await;
            assert!(matches!(nested, Err(Error::StreamOpen)), "{nested:?}");
            // Statements that share the connection go on.
            let counted = vendor_profile::Table.select().count(&db).await?;
            let rest: Vec<_> = stream.try_collect().await?;
            // Once the stream is gone, they run.
            tx.with_client(async |_| ()).await?;
            tx.transaction(async |_| Ok::<_, Error>(())).await?;
            Ok::<_, Error>((counted, 1 + rest.len()))
        })
        .await
        .unwrap();
    assert_eq!(read, (20, 20));
}

#[pg_sections::test]
async fn an_abandoned_closure_is_cancelled_and_its_connection_not_reused(database: TestDatabase) {
    let pool = single(&database).await;
    let abandoned = tokio::time::timeout(
        Duration::from_millis(300),
        pool.with_client(async |client| {
            client
                .batch_execute(&format!("BEGIN; {INSERT}; SELECT pg_sleep(30)"))
                .await
        }),
    )
    .await;
    assert!(abandoned.is_err(), "timed out");
    // The next call gets a fresh connection, outside any transaction, and
    // the abandoned work is gone.
    assert_eq!(vendor_count(&pool).await, 0);
    // A savepoint outside a transaction block is an error.
    let savepoint = pool
        .with_client(async |client| client.batch_execute("SAVEPOINT probe").await)
        .await
        .unwrap();
    assert_eq!(
        savepoint.unwrap_err().code(),
        Some(&tokio_postgres::error::SqlState::NO_ACTIVE_SQL_TRANSACTION)
    );
}
