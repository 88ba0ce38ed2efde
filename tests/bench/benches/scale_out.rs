//! W5 (one user by primary key, a random id of 10 000) over the scale-out
//! paths of the async pool, measured interleaved round by round against
//! the pool on the primary directly with prepared statements:
//!
//! - `direct_unnamed`: the primary directly, `StatementMode::Unnamed`;
//! - `pgbouncer_unnamed`: through a real `pgbouncer` in transaction mode
//!   (two server connections), `StatementMode::Unnamed`;
//! - `pgbouncer_session`: through a `pgbouncer` in session mode, prepared
//!   statements: the cost of the hop alone;
//! - `replica`: reads on a streaming replica (`pg_basebackup -R`) of the
//!   primary, prepared statements.
//!
//! Each round runs a batch of queries on every path, in an order rotated
//! from round to round; the figure is each path's median time per query
//! and the median of its per-round ratio to the direct path, with a 95 %
//! bootstrap interval. All servers share the machine's cores with the
//! client. `BENCH_OUT` names the folder for `scale_out.json`;
//! `BENCH_ROUNDS` (default 200) sets the run.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use bench::db::bench::users as g_users;
use bench::peers::{migrate, seed};
use bench::{interval, median};
use pg_sections::testing::{start_cluster, start_pgbouncer, start_replica, url_of_database};
use pg_sections::{Pool, StatementMode, Table as _};

/// Queries per path per round.
const BATCH: i32 = 100;
/// Users seeded, as W5 of the other benchmarks.
const USERS: i32 = 10_000;

const PATHS: [&str; 5] = [
    "direct",
    "direct_unnamed",
    "pgbouncer_unnamed",
    "pgbouncer_session",
    "replica",
];

/// Seconds per query of a batch of W5 on `pool`, ids drawn from `state`.
async fn batch(pool: &Pool, state: &mut u64) -> f64 {
    let db = pool.db::<bench::db::bench::Bench>();
    let start = Instant::now();
    for _ in 0..BATCH {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let id = i32::try_from(*state % u64::from(USERS.unsigned_abs())).unwrap_or(0) + 1;
        let user = g_users::Table.find(id).fetch_one(&db).await.unwrap();
        assert_eq!(black_box(user).id, id);
    }
    start.elapsed().as_secs_f64() / f64::from(BATCH)
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let out = std::path::PathBuf::from(
        std::env::var_os("BENCH_OUT").unwrap_or_else(|| "bench-results".into()),
    );
    std::fs::create_dir_all(&out).expect("BENCH_OUT folder");

    let primary = start_cluster("", &[]).expect("a throwaway primary");
    let mut admin = postgres::Client::connect(&primary, postgres::NoTls).expect("primary");
    admin
        .batch_execute("CREATE DATABASE bench")
        .expect("database");
    let on_primary = url_of_database(&primary, "bench");
    let mut setup = postgres::Client::connect(&on_primary, postgres::NoTls).expect("database");
    migrate(&mut setup);
    seed(&mut setup, USERS, false, 0, 0);
    setup.batch_execute("CHECKPOINT").expect("checkpoint");
    let replica = start_replica(&primary).expect("a replica");
    let bouncer = start_pgbouncer(&primary, "pool_mode = transaction\ndefault_pool_size = 2")
        .expect("pgbouncer");
    let session = start_pgbouncer(&primary, "pool_mode = session\ndefault_pool_size = 2")
        .expect("pgbouncer in session mode");
    let on_replica = url_of_database(&replica.maintenance_url, "bench");
    let through_session = format!("postgres://postgres@127.0.0.1:{}/bench", session.port);
    let through_bouncer = format!("postgres://postgres@127.0.0.1:{}/bench", bouncer.port);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let pools: Vec<Pool> = rt.block_on(async {
        // The replica has replayed the seed before it is measured.
        let deadline = Instant::now() + Duration::from_mins(1);
        loop {
            let replica_pool = Pool::connect(&on_replica).await;
            if let Ok(pool) = replica_pool {
                let db = pool.db::<bench::db::bench::Bench>();
                if g_users::Table.select().count(&db).await.ok() == Some(i64::from(USERS)) {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "the replica did not catch up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let options = |url: &str| Pool::options(url).max_size(1);
        vec![
            options(&on_primary).connect().await.unwrap(),
            options(&on_primary)
                .statement_mode(StatementMode::Unnamed)
                .connect()
                .await
                .unwrap(),
            options(&through_bouncer)
                .statement_mode(StatementMode::Unnamed)
                .connect()
                .await
                .unwrap(),
            options(&through_session).connect().await.unwrap(),
            options(&on_primary)
                .replica(&on_replica)
                .max_replica_lag(Duration::from_hours(1))
                .connect()
                .await
                .unwrap(),
        ]
    });
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    // Warm-up: statement caches, the servers' buffers.
    for _ in 0..5 {
        for pool in &pools {
            rt.block_on(batch(pool, &mut state));
        }
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); PATHS.len()];
    for round in 0..rounds {
        for k in 0..PATHS.len() {
            let i = (k + round) % PATHS.len();
            times[i].push(rt.block_on(batch(&pools[i], &mut state)));
        }
    }
    let replica_reads = pools[4].status().replica_reads;
    assert!(
        replica_reads >= u64::try_from(rounds).unwrap_or(0) * u64::from(BATCH.unsigned_abs()),
        "the replica path read from the replica ({replica_reads} reads)"
    );
    let direct = median(&mut times[0].clone());
    let mut json = format!(
        "{{\n  \"rounds\": {rounds}, \"batch\": {BATCH}, \"direct_median_us\": {:.2},\n",
        direct * 1e6
    );
    println!("scale_out W5 direct: {:.1} µs", direct * 1e6);
    for (i, path) in PATHS.iter().enumerate().skip(1) {
        let mut ratios: Vec<f64> = times[i].iter().zip(&times[0]).map(|(p, d)| p / d).collect();
        let (low, high) = interval(&ratios);
        let ratio = median(&mut ratios);
        let us = median(&mut times[i].clone()) * 1e6;
        println!(
            "scale_out W5 {path}: {us:.1} µs, {ratio:.3}x direct (95 % interval {low:.3}-{high:.3}, {rounds} interleaved rounds)"
        );
        let _ = writeln!(
            json,
            "  \"{path}\": {{\"median_us\": {us:.2}, \"ratio\": {ratio:.4}, \"low\": {low:.4}, \"high\": {high:.4}}}{}",
            if i + 1 < PATHS.len() { "," } else { "" }
        );
    }
    json.push_str("}\n");
    std::fs::write(out.join("scale_out.json"), json).expect("scale_out.json");
    drop(bouncer);
    drop(session);
}
