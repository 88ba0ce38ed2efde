//! Statements of one async transaction awaited together pipeline on its
//! connection: each is sent while the ones before it still run, their
//! answers come back in order, a failure among them aborts the
//! transaction, and a stream open in the transaction does not stop its
//! other statements. Also the pool's statement count, which tests use to
//! count round trips.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use pg_sections::testing::TestDatabase;
use pg_sections::{Error, Pool, Table};
use tests::bundled::vendor::{self, Vendor, vendor_profile};

fn vendors(count: usize) -> Vec<vendor::NewVendorProfile> {
    (0..count)
        .map(|n| vendor::NewVendorProfile::new(format!("Vendor {n:03}")))
        .collect()
}

async fn seed(pool: &Pool, count: usize) {
    vendor_profile::Table
        .insert_many(vendors(count))
        .execute(&pool.db::<Vendor>())
        .await
        .unwrap();
}

/// Waits until `pool` has run `count` statements in all, for at most 10 s;
/// whether it did.
async fn statements_reach(pool: &Pool, count: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pool.status().statements < count {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

#[pg_sections::test]
async fn statements_awaited_together_answer_in_order(pool: Pool) {
    seed(&pool, 40).await;
    let before = pool.status().statements;
    let (names, count, first, missing) = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            // A future borrows its query: the queries outlive the join.
            let last = vendor_profile::Table
                .select()
                .order_by(vendor_profile::business_name.desc())
                .limit(3);
            let all = vendor_profile::Table.select();
            let first = vendor_profile::Table
                .select()
                .order_by(vendor_profile::business_name.asc());
            let nobody = vendor_profile::Table
                .select()
                .filter(vendor_profile::business_name.eq("nobody"));
            tokio::try_join!(
                last.fetch_all(&db),
                all.count(&db),
                first.fetch_optional(&db),
                nobody.fetch_optional(&db),
            )
        })
        .await
        .unwrap();
    let names: Vec<_> = names.into_iter().map(|v| v.business_name).collect();
    assert_eq!(names, ["Vendor 039", "Vendor 038", "Vendor 037"]);
    assert_eq!(count, 40);
    assert_eq!(first.unwrap().business_name, "Vendor 000");
    assert!(missing.is_none());
    assert_eq!(pool.status().statements - before, 4);
}

/// The proof that statements pipeline: while the first waits on a row lock
/// another session holds, the second is already sent (counted), not queued
/// behind it in the client; both end once the lock is released.
#[pg_sections::test]
async fn a_statement_is_sent_while_the_one_before_still_runs(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap();
    seed(&pool, 2).await;
    let (other, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    other
        .batch_execute(
            "BEGIN; SELECT * FROM vendor.vendor_profile \
             WHERE business_name = 'Vendor 000' FOR UPDATE",
        )
        .await
        .unwrap();

    let outcome = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            let all = vendor_profile::Table.select();
            // Prepared now, so that later it is sent at once.
            all.count(&db).await?;
            let base = pool.status().statements;
            let update = vendor_profile::Table
                .update()
                .set(
                    vendor_profile::rating,
                    pg_sections::rust_decimal::Decimal::ONE,
                )
                .filter(vendor_profile::business_name.eq("Vendor 000"));
            let blocked = update.execute(&db);
            let release = async {
                let both_sent = statements_reach(&pool, base + 2).await;
                other.batch_execute("COMMIT").await.unwrap();
                both_sent
            };
            let (updated, counted, both_sent) = tokio::join!(blocked, all.count(&db), release);
            Ok::<_, Error>((updated?, counted?, both_sent))
        })
        .await
        .unwrap();
    assert_eq!(
        outcome,
        (1, 2, true),
        "the count was sent while the update waited for the lock"
    );
}

#[pg_sections::test]
async fn a_failure_among_statements_awaited_together_aborts_the_transaction(pool: Pool) {
    seed(&pool, 3).await;
    let outcome = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            vendor_profile::Table
                .insert(vendor::NewVendorProfile::new("Fresh"))
                .execute(&db)
                .await?;
            let duplicate = vendor_profile::Table.insert(vendor::NewVendorProfile {
                id: Some(1),
                ..vendor::NewVendorProfile::new("Duplicate id")
            });
            let all = vendor_profile::Table.select();
            // `join!` polls its futures in turn from a rotating start: the
            // count may run before the failure or after it.
            let (duplicate, _) = tokio::join!(duplicate.execute(&db), all.count(&db));
            assert!(duplicate.is_err());
            // Ignoring the failures does not commit.
            Ok::<_, Error>(())
        })
        .await;
    assert!(
        matches!(&outcome, Err(Error::TransactionAborted { cause }) if cause.contains("vendor_profile")),
        "{outcome:?}"
    );
    let kept = vendor_profile::Table
        .select()
        .count(&pool.db::<Vendor>())
        .await
        .unwrap();
    assert_eq!(kept, 3, "nothing of the transaction stays");
}

#[pg_sections::test]
async fn a_stream_open_in_a_transaction_lets_its_other_statements_run(pool: Pool) {
    seed(&pool, 30).await;
    let (read, counted_midway) = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            let query = vendor_profile::Table
                .select()
                .order_by(vendor_profile::business_name.asc());
            let mut stream = std::pin::pin!(query.stream(&db, 7));
            let first = stream.try_next().await?.expect("a first row");
            assert_eq!(first.business_name, "Vendor 000");
            // The stream holds its cursor open; the transaction goes on.
            vendor_profile::Table
                .insert(vendor::NewVendorProfile::new("Vendor 999"))
                .execute(&db)
                .await?;
            let counted_midway = vendor_profile::Table.select().count(&db).await?;
            let rest: Vec<_> = stream.try_collect().await?;
            Ok::<_, Error>((1 + rest.len(), counted_midway))
        })
        .await
        .unwrap();
    assert_eq!(counted_midway, 31);
    // The cursor's rows were fixed when it opened.
    assert_eq!(read, 30);
}

#[pg_sections::test]
async fn the_pool_counts_the_statements_it_runs(pool: Pool) {
    let db = pool.db::<Vendor>();
    let before = pool.status().statements;
    seed(&pool, 25).await;
    vendor_profile::Table.select().count(&db).await.unwrap();
    pool.transaction(async |tx| {
        vendor_profile::Table
            .select()
            .fetch_all(&tx.db::<Vendor>())
            .await
    })
    .await
    .unwrap();
    // One insert, one count, one select; BEGIN and COMMIT are not counted.
    assert_eq!(pool.status().statements - before, 3);
    let before = pool.status().statements;
    let query = vendor_profile::Table.select();
    let streamed: Vec<_> = query.stream(&db, 10).try_collect().await.unwrap();
    assert_eq!(streamed.len(), 25);
    // DECLARE, then FETCH 10, 10, 5.
    assert_eq!(pool.status().statements - before, 4);
}
