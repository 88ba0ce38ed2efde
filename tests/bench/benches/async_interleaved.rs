//! W1 (read N rows) on the async peers that matter for the runtime's
//! overhead, raw tokio-postgres and pg-sections (pool handle, transaction
//! handle), measured interleaved: each round runs every peer once, in an
//! order rotated from round to round, so that a slow stretch of this shared
//! machine hits all of them alike. The figure is the median of the
//! per-round ratios ours / raw, with a 95 % bootstrap interval.
//!
//! `BENCH_OUT` names the folder for `async_interleaved.json`; `BENCH_ROUNDS`
//! (default 400) and `BENCH_ROWS` (default 10 000) set the run.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use bench::async_peers::{AsyncPeer, AsyncPeers};
use bench::async_workloads::Workload;
use bench::peers::{migrate, seed};
use bench::{interval, median};

const PEERS: [AsyncPeer; 3] = [
    AsyncPeer::TokioPostgres,
    AsyncPeer::Ours,
    AsyncPeer::OursTransaction,
];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let rounds = env_number("BENCH_ROUNDS", 400);
    let rows = env_number("BENCH_ROWS", 10_000);
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
    seed(&mut setup, i32::try_from(rows).expect("rows"), false, 0, 0);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut peers = rt.block_on(AsyncPeers::connect(database.url()));
    let mut run_once = |peer: AsyncPeer| -> f64 {
        rt.block_on(peers.session(peer, async |p| {
            let start = Instant::now();
            let got = black_box(p.run(Workload::W1, peer).await);
            let took = start.elapsed().as_secs_f64();
            assert_eq!(got, rows, "{} returned {got} rows", peer.name());
            took
        }))
    };
    // Warm-up: statement caches, pools, the server's buffers.
    for _ in 0..20 {
        for peer in PEERS {
            run_once(peer);
        }
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); PEERS.len()];
    for round in 0..rounds {
        for k in 0..PEERS.len() {
            let i = (k + round) % PEERS.len();
            times[i].push(run_once(PEERS[i]));
        }
    }
    let mut json = String::from("{\n");
    let _ = writeln!(
        json,
        "  \"rows\": {rows}, \"rounds\": {rounds}, \"raw_median_ms\": {:.4},",
        median(&mut times[0].clone()) * 1e3
    );
    for (i, peer) in PEERS.iter().enumerate().skip(1) {
        let mut ratios: Vec<f64> = times[i].iter().zip(&times[0]).map(|(o, r)| o / r).collect();
        let (low, high) = interval(&ratios);
        let ratio = median(&mut ratios);
        let ms = median(&mut times[i].clone()) * 1e3;
        println!(
            "async_W1_{rows} {}: {ms:.3} ms, {ratio:.3}x raw tokio-postgres (95 % interval {low:.3}-{high:.3}, {rounds} interleaved rounds)",
            peer.name()
        );
        let _ = writeln!(
            json,
            "  \"{}\": {{\"median_ms\": {ms:.4}, \"ratio\": {ratio:.4}, \"low\": {low:.4}, \"high\": {high:.4}}}{}",
            peer.name(),
            if i + 1 < PEERS.len() { "," } else { "" }
        );
    }
    json.push_str("}\n");
    println!(
        "async_W1_{rows} tokio_postgres: {:.3} ms",
        median(&mut times[0].clone()) * 1e3
    );
    std::fs::write(out.join("async_interleaved.json"), json).expect("async_interleaved.json");
}
