//! Queries of the async handles that take too long or are abandoned: a
//! statement timeout cancels the query on the server and says so; a
//! dropped future (a timed-out request, a client gone) cancels its query
//! on the server too, and the connection it ran on never serves again.
//! The slow query is made slow for real: another session holds a lock on
//! its table.

use std::time::{Duration, Instant};

use pg_sections::testing::TestDatabase;
use pg_sections::{Error, Pool, Table};
use tests::bundled::vendor::{Vendor, vendor_profile};

/// A session holding `ACCESS EXCLUSIVE` on `vendor.vendor_profile` until
/// it is dropped: every query of the table waits on it.
struct Lock {
    client: tokio_postgres::Client,
}

impl Lock {
    async fn take(url: &str) -> Self {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .batch_execute("BEGIN; LOCK TABLE vendor.vendor_profile IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        Self { client }
    }

    /// Queries of this database that wait on the lock.
    async fn waiting(&self) -> i64 {
        self.client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock' \
                 AND query LIKE '%vendor_profile%'",
                &[],
            )
            .await
            .unwrap()
            .get(0)
    }

    /// Waits until no query waits on the lock: cancelled on the server.
    /// Panics after 30 s (a deadline for a loaded machine, not a timing).
    async fn until_no_one_waits(&self) {
        let start = Instant::now();
        while self.waiting().await > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the abandoned query still runs on the server"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until a query waits on the lock. Panics after 30 s.
    async fn until_someone_waits(&self) {
        let start = Instant::now();
        while self.waiting().await == 0 {
            assert!(start.elapsed() < Duration::from_secs(30), "no query came");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn count(db: &pg_sections::Db<Vendor>) -> pg_sections::Result<i64> {
    vendor_profile::Table.select().count(db).await
}

#[pg_sections::test]
async fn a_statement_timeout_cancels_the_query_on_the_server_and_says_so(database: TestDatabase) {
    let pool = Pool::connect(database.url()).await.unwrap();
    let lock = Lock::take(database.url()).await;
    let db = pool
        .db::<Vendor>()
        .statement_timeout(Some(Duration::from_millis(150)));
    let error = count(&db).await.unwrap_err();
    assert!(matches!(error, Error::StatementTimeout { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("vendor.vendor_profile"), "{message}");
    assert!(message.contains("0.15 s"), "{message}");
    assert!(message.contains("asked to cancel it"), "{message}");
    lock.until_no_one_waits().await;
    drop(lock);
    // The pool goes on, on a connection that was not interrupted.
    assert_eq!(count(&db).await.unwrap(), 0);
    // Without the timeout, the same handle's clone waits as long as needed.
    let patient = db.clone().statement_timeout(None);
    assert_eq!(count(&patient).await.unwrap(), 0);
}

#[pg_sections::test]
async fn a_pools_statement_timeout_is_its_handles_default(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .statement_timeout(Some(Duration::from_millis(100)))
        .connect()
        .await
        .unwrap();
    let lock = Lock::take(database.url()).await;
    let error = count(&pool.db::<Vendor>()).await.unwrap_err();
    assert!(matches!(error, Error::StatementTimeout { .. }), "{error:?}");
    // In a transaction too: the statement fails, and the transaction with it.
    let outcome = pool
        .transaction(async |tx| count(&tx.db::<Vendor>()).await)
        .await;
    assert!(
        matches!(outcome, Err(Error::StatementTimeout { .. })),
        "{outcome:?}"
    );
    let ignored = pool
        .transaction(async |tx| {
            let _ = count(&tx.db::<Vendor>()).await;
            Ok::<_, Error>(())
        })
        .await;
    assert!(
        matches!(ignored, Err(Error::TransactionAborted { .. })),
        "{ignored:?}"
    );
    lock.until_no_one_waits().await;
}

#[pg_sections::test]
async fn a_dropped_query_is_cancelled_on_the_server(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap();
    let lock = Lock::take(database.url()).await;
    let db = pool.db::<Vendor>();
    let task = tokio::spawn({
        let db = db.clone();
        async move { count(&db).await }
    });
    lock.until_someone_waits().await;
    // The client went away: its request's future is dropped.
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    lock.until_no_one_waits().await;
    drop(lock);
    // The one connection of the pool was interrupted: a new one serves.
    assert_eq!(count(&db).await.unwrap(), 0);

    // The same, dropped by a timeout around the query.
    let lock = Lock::take(database.url()).await;
    let abandoned = tokio::time::timeout(Duration::from_millis(100), count(&db)).await;
    assert!(abandoned.is_err());
    lock.until_no_one_waits().await;
    drop(lock);
    assert_eq!(count(&db).await.unwrap(), 0);
}

#[pg_sections::test]
async fn a_dropped_transaction_cancels_its_running_statement(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .connect()
        .await
        .unwrap();
    let lock = Lock::take(database.url()).await;
    let abandoned = tokio::time::timeout(
        Duration::from_millis(150),
        pool.transaction(async |tx| count(&tx.db::<Vendor>()).await),
    )
    .await;
    assert!(abandoned.is_err());
    lock.until_no_one_waits().await;
    drop(lock);
    assert_eq!(count(&pool.db::<Vendor>()).await.unwrap(), 0);
}

/// Inside a transaction, a statement whose future the work dropped (a
/// `select!`, a timeout of its own) may have aborted the transaction
/// unseen: it is never reported committed.
#[pg_sections::test]
async fn a_transaction_whose_statement_was_abandoned_is_not_committed(database: TestDatabase) {
    let pool = Pool::connect(database.url()).await.unwrap();
    let lock = Lock::take(database.url()).await;
    let outcome = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            let gave_up = tokio::time::timeout(Duration::from_millis(100), count(&db)).await;
            assert!(gave_up.is_err());
            Ok::<_, Error>(())
        })
        .await;
    let Err(Error::TransactionAborted { cause }) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(cause.contains("abandoned"), "{cause}");
    lock.until_no_one_waits().await;
}

/// A transaction dropped while it holds row locks releases them at once:
/// its connection is closed, not left idle in the transaction until the
/// pool hands it out again.
#[pg_sections::test]
async fn an_abandoned_transaction_releases_its_locks_at_once(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(4)
        .connect()
        .await
        .unwrap();
    vendor_profile::Table
        .insert(vendor_profile_row("Acme"))
        .execute(&pool.db::<Vendor>())
        .await
        .unwrap();
    let abandoned = tokio::time::timeout(
        Duration::from_millis(200),
        pool.transaction(async |tx| {
            vendor_profile::Table
                .update()
                .set(vendor_profile::business_name, "Locked".to_owned())
                .execute(&tx.db::<Vendor>())
                .await?;
            std::future::pending::<()>().await;
            Ok::<_, Error>(())
        }),
    )
    .await;
    assert!(abandoned.is_err());
    // Another session updates the same row without waiting.
    let (other, connection) = tokio_postgres::connect(database.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    other
        .batch_execute(
            "SET lock_timeout = '2s'; UPDATE vendor.vendor_profile SET business_name = 'Bolt'",
        )
        .await
        .unwrap();
    let names: Vec<String> = vendor_profile::Table
        .select()
        .fetch_all(&pool.db::<Vendor>())
        .await
        .unwrap()
        .into_iter()
        .map(|vendor| vendor.business_name)
        .collect();
    assert_eq!(names, ["Bolt"]);
}

/// A query waits for the pool's only connection, which a query held back
/// by the lock holds: when the lock goes and that query gives the
/// connection back, the waiting one gets it (it is not kept idle beside a
/// waiter), with no wait timeout to end the wait otherwise.
#[pg_sections::test]
async fn a_query_waiting_for_the_only_connection_gets_it_when_a_query_ends(database: TestDatabase) {
    let pool = Pool::options(database.url())
        .max_size(1)
        .wait_timeout(None)
        .connect()
        .await
        .unwrap();
    let lock = Lock::take(database.url()).await;
    let db = pool.db::<Vendor>();
    let first = tokio::spawn({
        let db = db.clone();
        async move { count(&db).await }
    });
    lock.until_someone_waits().await;
    let second = tokio::spawn({
        let db = db.clone();
        async move { count(&db).await }
    });
    // A deadline for a loaded machine, not a timing.
    let start = Instant::now();
    while pool.status().waiting == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the second query never waited"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(lock);
    let both = tokio::time::timeout(Duration::from_secs(30), async {
        (
            first.await.unwrap().unwrap(),
            second.await.unwrap().unwrap(),
        )
    })
    .await
    .expect("the waiting query never got the connection the first one gave back");
    assert_eq!(both, (0, 0));
    let status = pool.status();
    assert_eq!(
        (status.size, status.idle, status.waiting),
        (1, 1, 0),
        "{status:?}"
    );
}

fn vendor_profile_row(name: &str) -> tests::bundled::vendor::NewVendorProfile {
    tests::bundled::vendor::NewVendorProfile::new(name)
}
