//! `Select::stream` on the async handles, against a real PostgreSQL: rows
//! read in batches through a portal, in a transaction of the stream's own
//! on a pool (rolled back when the stream is dropped early) or in the
//! handle's transaction; failures end the stream with the database's
//! error.

use futures_util::{StreamExt, TryStreamExt};
use pg_sections::testing::TestDatabase;
use pg_sections::{Error, Pool, Table};
use tests::bundled::vendor::{self, Vendor, vendor_profile};

fn vendors(count: usize) -> Vec<vendor::NewVendorProfile> {
    (0..count)
        .map(|i| vendor::NewVendorProfile::new(format!("Vendor {i:05}")))
        .collect()
}

async fn names(
    stream: impl futures_util::Stream<Item = pg_sections::Result<vendor::VendorProfile>>,
) -> Vec<String> {
    stream
        .map_ok(|vendor| vendor.business_name)
        .try_collect()
        .await
        .unwrap()
}

#[pg_sections::test]
async fn a_stream_reads_every_row_in_batches_and_in_order(pool: Pool) {
    let db = pool.db::<Vendor>();
    vendor_profile::Table
        .insert_many(vendors(2_500))
        .execute(&db)
        .await
        .unwrap();
    let query = vendor_profile::Table
        .select()
        .order_by(vendor_profile::business_name.asc());
    for batch in [1, 100, 2_500, 10_000] {
        let read = names(query.stream(&db, batch)).await;
        assert_eq!(read.len(), 2_500, "batch {batch}");
        assert_eq!(read[0], "Vendor 00000");
        assert_eq!(read[2_499], "Vendor 02499");
        assert!(read.is_sorted(), "batch {batch}");
    }
    // A batch of 0 is taken as 1; an exact multiple of the batch ends.
    let two_hundred = vendor_profile::Table.select().limit(200);
    assert_eq!(names(two_hundred.stream(&db, 0)).await.len(), 200);
    assert_eq!(names(two_hundred.stream(&db, 100)).await.len(), 200);
    let none = vendor_profile::Table
        .select()
        .filter(vendor_profile::id.eq(-1));
    assert!(names(none.stream(&db, 10)).await.is_empty());
    // The pool's connection came back out of the stream's transaction.
    assert_eq!(pool.status().size, pool.status().idle);
}

#[pg_sections::test]
async fn a_stream_dropped_early_gives_its_connection_back_rolled_back(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    vendor_profile::Table
        .insert_many(vendors(300))
        .execute(&db)
        .await
        .unwrap();
    let query = vendor_profile::Table.select();
    {
        let mut stream = std::pin::pin!(query.stream(&db, 50));
        for _ in 0..70 {
            stream.try_next().await.unwrap().unwrap();
        }
    }
    // The one connection serves again, outside any transaction: what it
    // writes is seen by another session.
    vendor_profile::Table.delete().execute(&db).await.unwrap();
    let other = Pool::connect(database.url()).await.unwrap();
    let left = vendor_profile::Table
        .select()
        .count(&other.db::<Vendor>())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[pg_sections::test]
async fn a_stream_in_a_transaction_reads_its_uncommitted_rows(pool: Pool) {
    let read = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            vendor_profile::Table
                .insert_many(vendors(120))
                .execute(&db)
                .await?;
            let query = vendor_profile::Table.select();
            let read: Vec<_> = query.stream(&db, 25).try_collect().await?;
            // The transaction goes on after the stream.
            vendor_profile::Table
                .insert(vendor::NewVendorProfile::new("After"))
                .execute(&db)
                .await?;
            Ok::<_, Error>(read.len())
        })
        .await
        .unwrap();
    assert_eq!(read, 120);
    let committed = vendor_profile::Table
        .select()
        .count(&pool.db::<Vendor>())
        .await
        .unwrap();
    assert_eq!(committed, 121);
}

#[pg_sections::test]
async fn a_failing_stream_yields_the_error_once_and_ends(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    let (admin, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    admin
        .batch_execute("ALTER TABLE vendor.vendor_profile RENAME COLUMN business_name TO name")
        .await
        .unwrap();
    let query = vendor_profile::Table.select();
    let items: Vec<_> = query.stream(&db, 10).collect().await;
    assert_eq!(items.len(), 1);
    let error = items.into_iter().next().unwrap().unwrap_err();
    assert!(error.to_string().contains("business_name"), "{error}");
    // The connection was rolled back and serves again.
    admin
        .batch_execute("ALTER TABLE vendor.vendor_profile RENAME COLUMN name TO business_name")
        .await
        .unwrap();
    assert_eq!(vendor_profile::Table.select().count(&db).await.unwrap(), 0);
}
