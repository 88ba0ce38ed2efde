//! Async runtime benchmarks, with the harness of `runtime.rs`: the
//! workloads W1–W7 on a loopback PostgreSQL for every async peer (raw
//! tokio-postgres prepared, the limit; pg-sections on its pool and in a
//! transaction; sqlx on a connection and on its pool; diesel-async), the
//! order of the peers rotated from one workload to the next, with
//! allocations per query; then W5 at 1, 16 and 64 concurrent tasks over
//! each pool (queries per second), the bare checkout cost of deadpool and
//! bb8, and 8 independent W5 queries in one transaction, awaited in turn or
//! issued together (pipelining).
//!
//! The latency and pipelining benchmarks run on a current-thread tokio
//! runtime (the blocking benchmark's tokio peers' kind); the throughput
//! ones on a multi-thread runtime of 2 workers (this machine's cores). One
//! `block_on` per criterion sample, the same for every peer.
//!
//! `BENCH_OUT` names the folder for `async_allocations.json` and
//! `async_meta.json`; `BENCH_QUICK=1` takes few, short samples.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use bench::alloc;
use bench::async_peers::{AsyncPeer, AsyncPeers, PoolPeer, Pools};
use bench::async_workloads::{
    PIPELINE_DEPTH, Pipeline, TASKS, THROUGHPUT_BATCH, Workload, checkout_burst, w5_burst,
};
use bench::peers::{INSERT_SIZES, migrate, seed};
use bench::workloads::POINT_USERS;
use criterion::{Criterion, SamplingMode, Throughput};
use tokio::runtime::Runtime;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// Allocations counted per query, averaged over this many queries.
const ALLOC_RUNS: u32 = 20;

/// The worker threads of the throughput benchmark's runtime.
const WORKERS: usize = 2;

struct Run {
    criterion: Criterion,
    /// The runtime of the latency and pipelining benchmarks.
    rt: Runtime,
    rotation: usize,
    allocations: String,
}

impl Run {
    /// Benchmarks workload `w` for every peer under criterion group `name`,
    /// after checking that every peer returns `expected`; then counts
    /// allocations.
    fn group(&mut self, peers: &mut AsyncPeers, name: &str, expected: usize, w: Workload) {
        let rt = &self.rt;
        for peer in AsyncPeer::ALL {
            let got = rt.block_on(peers.session(peer, async |p| p.run(w, peer).await));
            assert_eq!(got, expected, "{name}: {} returned {got}", peer.name());
        }
        let mut group = self.criterion.benchmark_group(name);
        for k in 0..AsyncPeer::ALL.len() {
            let peer = AsyncPeer::ALL[(k + self.rotation) % AsyncPeer::ALL.len()];
            group.bench_function(peer.name(), |b| {
                b.iter_custom(|iters| {
                    rt.block_on(peers.session(peer, async |p| {
                        let start = Instant::now();
                        for _ in 0..iters {
                            black_box(p.run(w, peer).await);
                        }
                        start.elapsed()
                    }))
                });
            });
        }
        group.finish();
        self.rotation += 1;
        for peer in AsyncPeer::ALL {
            let (count, bytes) = self.rt.block_on(peers.session(peer, async |p| {
                alloc::count_async(ALLOC_RUNS, async || {
                    p.run(w, peer).await;
                })
                .await
            }));
            self.record(name, peer.name(), count, bytes);
        }
    }

    fn record(&mut self, group: &str, peer: &str, count: f64, bytes: f64) {
        if !self.allocations.is_empty() {
            self.allocations.push_str(",\n");
        }
        let _ = write!(
            self.allocations,
            r#"  {{"group": "{group}", "peer": "{peer}", "allocations": {count}, "bytes": {bytes}}}"#
        );
    }
}

#[allow(clippy::too_many_lines)]
fn main() {
    let quick = std::env::var_os("BENCH_QUICK").is_some_and(|v| v == "1");
    let out = std::path::PathBuf::from(
        std::env::var_os("BENCH_OUT").unwrap_or_else(|| "bench-results".into()),
    );
    std::fs::create_dir_all(&out).expect("BENCH_OUT folder");

    let criterion = if quick {
        Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(100))
            .measurement_time(Duration::from_millis(300))
    } else {
        // As `runtime.rs`: two shared cores, modest samples.
        Criterion::default()
            .sample_size(30)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
    }
    .noise_threshold(0.02)
    .without_plots()
    .configure_from_args();

    let database = pg_sections::testing::database();
    let mut setup = database.connect();
    migrate(&mut setup);
    // One plan mode for every connection, as in `runtime.rs`.
    setup
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET plan_cache_mode = force_generic_plan",
            database.name()
        ))
        .expect("plan_cache_mode");
    let server_version: String = setup
        .query_one("SHOW server_version", &[])
        .expect("server version")
        .get(0);
    std::fs::write(
        out.join("async_meta.json"),
        format!(
            "{{\"server_version\": \"{server_version}\", \"quick\": {quick}, \"workers\": {WORKERS}, \"batch\": {THROUGHPUT_BATCH}, \"depth\": {PIPELINE_DEPTH}}}\n"
        ),
    )
    .expect("async_meta.json");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut peers = rt.block_on(AsyncPeers::connect(database.url()));
    let mut run = Run {
        criterion,
        rt,
        rotation: 0,
        allocations: String::new(),
    };

    for n in [1, 10, 100, 1_000, 10_000] {
        seed(&mut setup, n, false, 0, 0);
        run.group(
            &mut peers,
            &format!("async_W1_{n}"),
            n as usize,
            Workload::W1,
        );
    }
    for n in [1, 100, 10_000] {
        seed(&mut setup, n, true, 0, 0);
        // Even ids are black: n / 2 of n users.
        run.group(
            &mut peers,
            &format!("async_W2_{n}"),
            (n / 2) as usize,
            Workload::W2,
        );
    }
    seed(&mut setup, 100, true, 10, 10);
    run.group(&mut peers, "async_W4", 10_000, Workload::W4);

    seed(&mut setup, POINT_USERS, true, 0, 0);
    run.group(&mut peers, "async_W5", 1, Workload::W5);
    run.group(&mut peers, "async_W7", 20, Workload::W7);
    run.group(&mut peers, "async_W6", 1, Workload::W6);

    // Pipelining: PIPELINE_DEPTH independent W5 queries in one transaction.
    for how in Pipeline::ALL {
        let got = run.rt.block_on(peers.pipeline(how));
        assert_eq!(got, PIPELINE_DEPTH, "pipeline: {} found {got}", how.name());
    }
    let name = format!("async_pipeline_{PIPELINE_DEPTH}");
    let mut group = run.criterion.benchmark_group(&name);
    for k in 0..Pipeline::ALL.len() {
        let how = Pipeline::ALL[(k + run.rotation) % Pipeline::ALL.len()];
        let rt = &run.rt;
        let peers = &mut peers;
        group.bench_function(how.name(), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        black_box(peers.pipeline(how).await);
                    }
                    start.elapsed()
                })
            });
        });
    }
    group.finish();
    run.rotation += 1;

    // Throughput: W5 from 1, 16 and 64 tasks over each pool, on a
    // multi-thread runtime holding the pools' connections.
    let mt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .enable_all()
        .build()
        .expect("multi-thread tokio runtime");
    let pools = mt.block_on(Pools::connect(database.url()));
    for peer in PoolPeer::ALL {
        for tasks in TASKS {
            // Also opens each pool's connections before it is measured.
            let found = mt.block_on(w5_burst(&pools, peer, tasks, 0));
            assert_eq!(found, THROUGHPUT_BATCH, "{} at {tasks} tasks", peer.name());
        }
    }
    let batch = u64::try_from(THROUGHPUT_BATCH).expect("a small batch");
    for tasks in TASKS {
        let mut group = run
            .criterion
            .benchmark_group(format!("async_W5_tasks_{tasks}"));
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Elements(batch));
        for k in 0..PoolPeer::ALL.len() {
            let peer = PoolPeer::ALL[(k + run.rotation) % PoolPeer::ALL.len()];
            let (mt, pools) = (&mt, &pools);
            group.bench_function(peer.name(), |b| {
                // Every pool draws the same ids.
                let mut round = 0_u64;
                b.iter_custom(|iters| {
                    mt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            round += 1;
                            black_box(w5_burst(pools, peer, tasks, round).await);
                        }
                        start.elapsed()
                    })
                });
            });
        }
        group.finish();
        run.rotation += 1;
    }

    // The pools' own cost: a checkout and its return, no query.
    let checkout = [PoolPeer::Deadpool, PoolPeer::Bb8Untested, PoolPeer::Bb8];
    for tasks in TASKS {
        let mut group = run
            .criterion
            .benchmark_group(format!("async_checkout_tasks_{tasks}"));
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Elements(batch));
        for peer in checkout {
            let (mt, pools) = (&mt, &pools);
            group.bench_function(peer.name(), |b| {
                b.iter_custom(|iters| {
                    mt.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            black_box(checkout_burst(pools, peer, tasks).await);
                        }
                        start.elapsed()
                    })
                });
            });
        }
        group.finish();
    }
    drop(pools);
    drop(mt);

    seed(&mut setup, 0, false, 0, 0);
    for n in INSERT_SIZES {
        run.group(&mut peers, &format!("async_W3_{n}"), n, Workload::W3(n));
    }

    std::fs::write(
        out.join("async_allocations.json"),
        format!("[\n{}\n]\n", run.allocations),
    )
    .expect("async_allocations.json");
    run.criterion.final_summary();
}
