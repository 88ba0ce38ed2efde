//! The async workloads whose criterion rows follow the machine's round-trip
//! regime rather than the code (W1 at 1 row, W5: one short round trip
//! each) and W1 at 10 000 rows, on raw tokio-postgres and pg-sections
//! (pool handle, transaction handle), measured interleaved: each round
//! times a batch of queries on every peer, in an order rotated from round
//! to round, so that a slow stretch of this shared machine hits all of
//! them alike. A figure is the median of the per-round ratios ours / raw,
//! with a 95 % bootstrap interval. `./run` pins the process (and the
//! server it starts) to one core, as for the blocking interleaved rows.
//!
//! `BENCH_OUT` names the folder for `async_interleaved.json`;
//! `BENCH_ROUNDS` (default 400) and `BENCH_BATCH` (default 20 queries per
//! peer and round for the single round trips; W1 at 10 000 rows runs 1)
//! set the run.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use bench::async_peers::{AsyncPeer, AsyncPeers};
use bench::async_workloads::Workload;
use bench::peers::{migrate, seed};
use bench::workloads::POINT_USERS;
use bench::{env_number, interleave, interval, median};

const PEERS: [AsyncPeer; 3] = [
    AsyncPeer::TokioPostgres,
    AsyncPeer::Ours,
    AsyncPeer::OursTransaction,
];

/// Rows of the large W1.
const W1_ROWS: i32 = 10_000;

/// Seconds per query of each peer, one entry per round: `batch` queries of
/// `workload` per peer and round, each returning `expected`.
fn measure(
    rt: &tokio::runtime::Runtime,
    peers: &mut AsyncPeers,
    (name, workload, expected): (&str, Workload, usize),
    rounds: usize,
    batch: usize,
) -> Vec<Vec<f64>> {
    let mut run_batch = |peer: AsyncPeer| -> f64 {
        // A transaction's batch runs in one transaction, as its criterion
        // row does; its `BEGIN` and `COMMIT` are outside the timing.
        rt.block_on(peers.session(peer, async |p| {
            let start = Instant::now();
            for _ in 0..batch {
                let got = black_box(p.run(workload, peer).await);
                assert_eq!(got, expected, "{name} on {} returned {got}", peer.name());
            }
            start.elapsed().as_secs_f64() / batch as f64
        }))
    };
    // Warm-up (10 rounds): statement caches, pools, the server's buffers and plans.
    interleave(PEERS.len(), 10, rounds, |i| run_batch(PEERS[i]))
}

fn main() {
    let rounds = env_number("BENCH_ROUNDS", 400);
    let batch = env_number("BENCH_BATCH", 20);
    let out = std::path::PathBuf::from(
        std::env::var_os("BENCH_OUT").unwrap_or_else(|| "bench-results".into()),
    );
    std::fs::create_dir_all(&out).expect("BENCH_OUT folder");

    let database = pg_sections::testing::database();
    let mut setup = database.connect();
    migrate(&mut setup);
    setup
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET plan_cache_mode = force_generic_plan",
            database.name()
        ))
        .expect("plan_cache_mode");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut peers = rt.block_on(AsyncPeers::connect(database.url()));
    let mut results = Vec::new();
    seed(&mut setup, 1, false, 0, 0);
    let w1_1 = ("W1_1", Workload::W1, 1);
    results.push((w1_1.0, batch, measure(&rt, &mut peers, w1_1, rounds, batch)));
    seed(&mut setup, POINT_USERS, true, 0, 0);
    let w5 = ("W5", Workload::W5, 1);
    results.push((w5.0, batch, measure(&rt, &mut peers, w5, rounds, batch)));
    seed(&mut setup, W1_ROWS, false, 0, 0);
    let w1_large = ("W1_10000", Workload::W1, W1_ROWS as usize);
    results.push((w1_large.0, 1, measure(&rt, &mut peers, w1_large, rounds, 1)));

    let mut json = format!("{{\n  \"rounds\": {rounds},\n  \"workloads\": {{\n");
    for (w, (name, batch, times)) in results.iter().enumerate() {
        let us = |i: usize| median(&mut times[i].clone()) * 1e6;
        let _ = write!(
            json,
            "    \"{name}\": {{\"batch\": {batch}, \"raw_us\": {:.3}",
            us(0)
        );
        for (i, peer) in PEERS.iter().enumerate().skip(1) {
            let mut ratios: Vec<f64> = times[i].iter().zip(&times[0]).map(|(o, r)| o / r).collect();
            let (low, high) = interval(&ratios);
            let ratio = median(&mut ratios);
            println!(
                "async {name} {}: {:.1} µs, {ratio:.3}x raw tokio-postgres {:.1} µs (95 % interval {low:.3}-{high:.3}, {rounds} interleaved rounds)",
                peer.name(),
                us(i),
                us(0)
            );
            let _ = write!(
                json,
                ", \"{}\": {{\"us\": {:.3}, \"ratio\": {ratio:.4}, \"low\": {low:.4}, \"high\": {high:.4}}}",
                peer.name(),
                us(i)
            );
        }
        json.push('}');
        json.push_str(if w + 1 < results.len() { ",\n" } else { "\n" });
    }
    json.push_str("  }\n}\n");
    std::fs::write(out.join("async_interleaved.json"), json).expect("async_interleaved.json");
}
