//! Reads on a real streaming replica: a throwaway primary, a replica made
//! of it with `pg_basebackup -R` on loopback, and a pool over both. Reads
//! outside transactions go to the replica, everything else to the
//! primary; a handle pinned to the primary reads its own writes; a replica
//! that lags or goes down is skipped, and the fallback shows in the pool's
//! counts.
//!
//! Each test has a database of its own on the primary and a replica of
//! its own (pausing the replay or stopping the server is the whole
//! replica's).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use pg_sections::testing::{Standby, start_cluster, start_replica, url_of_database};
use pg_sections::{Pool, ReplicaState, Table};
use tests::bundled::vendor::{NewVendorProfile, Vendor, vendor_profile};

/// The primary every test of this process shares: its maintenance URL.
fn primary() -> &'static str {
    static PRIMARY: OnceLock<String> = OnceLock::new();
    PRIMARY.get_or_init(|| start_cluster("", &[]).unwrap())
}

/// A new database on the primary with the bundled sections migrated,
/// replayed on `replica`: its URL on each.
async fn database(name: &str, replica: &Standby) -> (String, String) {
    database_on(primary(), name, replica).await
}

/// [`database`] on the primary `primary`.
async fn database_on(primary: &str, name: &str, replica: &Standby) -> (String, String) {
    let admin = Pool::connect(primary).await.unwrap();
    admin
        .with_client(async |client| {
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
        })
        .await
        .unwrap()
        .unwrap();
    let on_primary = url_of_database(primary, name);
    let on_replica = url_of_database(&replica.maintenance_url, name);
    Pool::connect(&on_primary)
        .await
        .unwrap()
        .migrate(&examples::MIGRATIONS)
        .await
        .unwrap();
    caught_up(&on_primary, replica).await;
    (on_primary, on_replica)
}

/// Waits until the replica has replayed all the primary wrote so far.
async fn caught_up(primary: &str, replica: &Standby) {
    let replica = replica.maintenance_url.as_str();
    let written: String = raw(primary, "SELECT pg_current_wal_insert_lsn()::text").await;
    let deadline = Instant::now() + Duration::from_mins(1);
    loop {
        let replayed: String = raw(
            replica,
            &format!("SELECT (pg_last_wal_replay_lsn() >= '{written}'::pg_lsn)::text"),
        )
        .await;
        if replayed == "true" {
            return;
        }
        assert!(Instant::now() < deadline, "the replica did not catch up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The first column of the first row of `sql` on `url`, as text.
async fn raw(url: &str, sql: &str) -> String {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let rows = client.simple_query(sql).await.unwrap();
    rows.iter()
        .find_map(|message| match message {
            tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
            _ => None,
        })
        .unwrap_or_default()
}

async fn vendors(db: &pg_sections::Db<Vendor>) -> Vec<String> {
    vendor_profile::Table
        .select()
        .order_by(vendor_profile::business_name.asc())
        .fetch_all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.business_name)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_outside_transactions_go_to_the_replica_and_the_rest_to_the_primary()
-> pg_sections::Result<()> {
    let replica = &start_replica(primary()).unwrap();
    let (primary_url, replica_url) = database("routed", replica).await;
    let on_primary = primary_url.clone();
    // No replica is further behind than this one is made to be.
    let pool = Pool::options(&primary_url)
        .replica(&replica_url) // once per replica
        .max_replica_lag(Duration::from_hours(1))
        .connect()
        .await?;
    let db = pool.db::<Vendor>();
    vendor_profile::Table
        .insert(NewVendorProfile::new("Acme"))
        .execute(&db)
        .await
        .unwrap();
    caught_up(&on_primary, replica).await;
    // The replica stops replaying: what the primary writes now, only the
    // primary has, which tells who answered each read.
    raw(&replica.maintenance_url, "SELECT pg_wal_replay_pause()").await;
    vendor_profile::Table
        .insert(NewVendorProfile::new("Bolt"))
        .execute(&db)
        .await
        .unwrap();
    let before = pool.status();
    assert_eq!(vendors(&db).await, ["Acme"], "a read outside a transaction");
    let count = vendor_profile::Table.select().count(&db).await.unwrap();
    assert_eq!(count, 1);
    let exists = vendor_profile::Table
        .select()
        .filter(vendor_profile::business_name.eq("Bolt"))
        .exists(&db)
        .await
        .unwrap();
    assert!(!exists);
    let page = vendor_profile::Table
        .select()
        .paginate(&db, 1, 10)
        .await
        .unwrap();
    assert_eq!((page.total, page.rows.len()), (1, 1));
    let query = vendor_profile::Table.select();
    let streamed: Vec<_> = query.stream(&db, 1).try_collect().await.unwrap();
    assert_eq!(streamed.len(), 1, "a stream");
    let after = pool.status();
    // fetch_all, count, exists, the page's two reads, the stream.
    assert_eq!(after.replica_reads - before.replica_reads, 6);
    assert_eq!(after.primary_fallbacks, before.primary_fallbacks);
    // Pinned to the primary, a handle reads its own writes.
    assert_eq!(vendors(&db.clone().primary()).await, ["Acme", "Bolt"]);
    assert_eq!(
        vendors(&pool.primary().db::<Vendor>()).await,
        ["Acme", "Bolt"]
    );
    // A read that locks rows is the primary's.
    let locked = vendor_profile::Table
        .select()
        .for_update()
        .fetch_all(&db)
        .await;
    assert!(
        locked.is_ok_and(|rows| rows.len() == 2),
        "a locking read runs on the primary"
    );
    // So is everything in a transaction.
    let in_transaction = pool
        .transaction(async |tx| {
            let db = tx.db::<Vendor>();
            Ok::<_, pg_sections::Error>(vendors(&db).await)
        })
        .await
        .unwrap();
    assert_eq!(in_transaction, ["Acme", "Bolt"]);
    assert_eq!(pool.status().replica_reads, after.replica_reads);
    let [status] = pool.replicas().try_into().unwrap();
    assert!(
        matches!(status.state, ReplicaState::Ready { .. }),
        "{status:?}"
    );
    assert!(!status.url.contains("password"));
    raw(&replica.maintenance_url, "SELECT pg_wal_replay_resume()").await;
    caught_up(&on_primary, replica).await;
    assert_eq!(vendors(&db).await, ["Acme", "Bolt"]);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_further_behind_than_the_bound_is_skipped_until_it_catches_up() {
    // A primary of its own: the other tests' writes would make its replica
    // lag (by the time since the last commit it replayed) until replayed.
    let own = start_cluster("", &[]).unwrap();
    let replica = &start_replica(&own).unwrap();
    let (on_primary, on_replica) = database_on(&own, "lagging", replica).await;
    // Nothing received is left to replay.
    while raw(
        &replica.maintenance_url,
        "SELECT (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn())::text",
    )
    .await
        != "true"
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pool = Pool::options(&on_primary)
        .replica(&on_replica)
        .max_replica_lag(Duration::from_millis(300))
        .replica_check_interval(Duration::ZERO)
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    assert!(vendors(&db).await.is_empty());
    assert_eq!(pool.status().replica_reads, 1);
    raw(&replica.maintenance_url, "SELECT pg_wal_replay_pause()").await;
    vendor_profile::Table
        .insert(NewVendorProfile::new("Acme"))
        .execute(&db)
        .await
        .unwrap();
    // Received, not replayed, and older than the bound.
    let deadline = Instant::now() + Duration::from_mins(1);
    while raw(
        &replica.maintenance_url,
        "SELECT (pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn())::text",
    )
    .await
        != "true"
    {
        assert!(Instant::now() < deadline, "the replica received nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(vendors(&db).await, ["Acme"], "the primary answered");
    let status = pool.status();
    assert_eq!((status.replica_reads, status.primary_fallbacks), (1, 1));
    let [replica_status] = pool.replicas().try_into().unwrap();
    assert!(
        matches!(replica_status.state, ReplicaState::Lagging { lag } if lag > Duration::from_millis(300)),
        "{replica_status:?}"
    );
    raw(&replica.maintenance_url, "SELECT pg_wal_replay_resume()").await;
    caught_up(&on_primary, replica).await;
    // Checked again beside the reads (which go to the primary meanwhile),
    // it answers once it is found caught up.
    serves_again(&pool, &db, 1).await;
}

/// Reads until the replica answers one again (its check runs beside the
/// reads, which the primary answers meanwhile), each seeing `Acme`; it
/// had answered `before` reads.
async fn serves_again(pool: &Pool, db: &pg_sections::Db<Vendor>, before: u64) {
    let deadline = Instant::now() + Duration::from_mins(1);
    while pool.status().replica_reads == before {
        assert_eq!(vendors(db).await, ["Acme"]);
        assert!(Instant::now() < deadline, "{:?}", pool.replicas());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let [status] = pool.replicas().try_into().unwrap();
    assert!(
        matches!(status.state, ReplicaState::Ready { .. }),
        "{status:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_goes_down_is_skipped_and_serves_again_when_it_is_back() {
    let replica = start_replica(primary()).unwrap();
    let (on_primary, on_replica) = database("crashing", &replica).await;
    let pool = Pool::options(&on_primary)
        .replica(&on_replica)
        .replica_check_interval(Duration::from_millis(200))
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    vendor_profile::Table
        .insert(NewVendorProfile::new("Acme"))
        .execute(&db)
        .await
        .unwrap();
    caught_up(&on_primary, &replica).await;
    assert_eq!(vendors(&db).await, ["Acme"]);
    assert_eq!(pool.status().replica_reads, 1);
    // Killed under the pool, whose connection to it is now dead.
    replica.stop().unwrap();
    assert_eq!(vendors(&db).await, ["Acme"], "the primary answered");
    let status = pool.status();
    assert_eq!((status.replica_reads, status.primary_fallbacks), (1, 1));
    let [down] = pool.replicas().try_into().unwrap();
    assert!(matches!(&down.state, ReplicaState::Down { .. }), "{down:?}");
    // Still down at the next checks: each read goes to the primary.
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(vendors(&db).await, ["Acme"]);
    assert_eq!(pool.status().primary_fallbacks, 2);
    // Back: checked again after the interval, it answers.
    replica.start().unwrap();
    caught_up(&on_primary, &replica).await;
    serves_again(&pool, &db, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_unreachable_from_the_start_leaves_the_reads_to_the_primary() {
    let replica = &start_replica(primary()).unwrap();
    let (on_primary, _) = database("unreachable", replica).await;
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!(
        "postgres://postgres:secret@127.0.0.1:{}/unreachable?connect_timeout=2",
        listener.local_addr().unwrap().port()
    );
    drop(listener);
    let pool = Pool::options(&on_primary)
        .replica(&nowhere)
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    assert!(vendors(&db).await.is_empty());
    assert_eq!(pool.status().primary_fallbacks, 1);
    let [down] = pool.replicas().try_into().unwrap();
    assert!(!down.url.contains("secret"), "{down:?}");
    assert!(
        matches!(&down.state, ReplicaState::Down { error } if error.contains("127.0.0.1")),
        "{down:?}"
    );
    // A replica URL that cannot be followed is an error at once.
    let garbled = Pool::options(&on_primary)
        .replica("postgres://[::1")
        .connect()
        .await
        .unwrap_err();
    assert!(
        garbled
            .to_string()
            .starts_with("cannot connect to replica 1 (a connection string that does not parse)"),
        "{garbled}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_receives_nothing_is_skipped_however_caught_up_it_looks() {
    let replica = &start_replica(primary()).unwrap();
    let (on_primary, on_replica) = database("detached", replica).await;
    let pool = Pool::options(&on_primary)
        .replica(&on_replica)
        .replica_check_interval(Duration::from_millis(100))
        .connect()
        .await
        .unwrap();
    let db = pool.db::<Vendor>();
    assert!(vendors(&db).await.is_empty());
    assert_eq!(pool.status().replica_reads, 1);
    // Its replication breaks: it has replayed all it received, and
    // receives nothing more.
    raw(
        &replica.maintenance_url,
        "ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=1'",
    )
    .await;
    raw(&replica.maintenance_url, "SELECT pg_reload_conf()").await;
    vendor_profile::Table
        .insert(NewVendorProfile::new("Acme"))
        .execute(&db)
        .await
        .unwrap();
    // Until a check finds no WAL receiver, reads may still go its way.
    let deadline = Instant::now() + Duration::from_mins(1);
    loop {
        let [status] = pool.replicas().try_into().unwrap();
        if let ReplicaState::Down { error } = &status.state {
            assert!(
                error.contains("receives nothing from its primary"),
                "{error}"
            );
            break;
        }
        let _ = vendors(&db).await;
        assert!(Instant::now() < deadline, "{status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fallbacks = pool.status().primary_fallbacks;
    assert_eq!(vendors(&db).await, ["Acme"], "the primary answered");
    assert!(pool.status().primary_fallbacks > fallbacks);
}
