//! Runtime benchmarks: Diesel's workloads on a loopback PostgreSQL, every
//! peer in one run, the order of the peers rotated from one workload to
//! the next. Also counts allocations per query for every peer.
//!
//! `BENCH_OUT` names the folder for `allocations.json` and `meta.json`
//! (criterion's own results go to `$CARGO_TARGET_DIR/criterion`).
//! `BENCH_QUICK=1` takes few, short samples: a smoke test, not a measurement.

use std::fmt::Write as _;
use std::time::Duration;

use bench::alloc;
use bench::peers::{INSERT_SIZES, Peer, Peers, migrate, seed};
use bench::workloads::{POINT_USERS, w8_diesel, w8_ours};
use criterion::Criterion;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// Allocations counted per query, averaged over this many queries.
const ALLOC_RUNS: u32 = 20;

struct Run {
    criterion: Criterion,
    rotation: usize,
    allocations: String,
}

impl Run {
    /// Benchmarks `f` for every peer under criterion group `name`, after
    /// checking that every peer returns `expected`; then counts allocations.
    fn group(
        &mut self,
        peers: &mut Peers,
        name: &str,
        expected: usize,
        f: impl Fn(&mut Peers, Peer) -> usize,
    ) {
        for peer in Peer::ALL {
            let got = f(peers, peer);
            assert_eq!(got, expected, "{name}: {} returned {got}", peer.name());
        }
        let mut group = self.criterion.benchmark_group(name);
        for k in 0..Peer::ALL.len() {
            let peer = Peer::ALL[(k + self.rotation) % Peer::ALL.len()];
            group.bench_function(peer.name(), |b| b.iter(|| f(peers, peer)));
        }
        group.finish();
        self.rotation += 1;
        for peer in Peer::ALL {
            let (count, bytes) = alloc::count(ALLOC_RUNS, || {
                f(peers, peer);
            });
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
        // Two shared cores: modest samples, long enough to settle.
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
    // Left to itself, PostgreSQL picks a custom or the generic plan for a
    // prepared statement from the costs of its first five runs, which
    // depend on the random ids each peer happened to draw: peers then run
    // different plans (seen on W7: 35 µs against 100 µs). One plan mode
    // for every connection keeps the server's work identical.
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
        out.join("meta.json"),
        format!("{{\"server_version\": \"{server_version}\", \"quick\": {quick}}}\n"),
    )
    .expect("meta.json");
    let mut peers = Peers::connect(database.url());
    let mut run = Run {
        criterion,
        rotation: 0,
        allocations: String::new(),
    };

    for n in [1, 10, 100, 1_000, 10_000] {
        seed(&mut setup, n, false, 0, 0);
        run.group(&mut peers, &format!("W1_{n}"), n as usize, Peers::w1);
    }
    for n in [1, 100, 10_000] {
        seed(&mut setup, n, true, 0, 0);
        // Even ids are black: n / 2 of n users.
        run.group(&mut peers, &format!("W2_{n}"), (n / 2) as usize, Peers::w2);
    }
    seed(&mut setup, 100, true, 10, 10);
    run.group(&mut peers, "W4", 10_000, Peers::w4);

    seed(&mut setup, POINT_USERS, true, 0, 0);
    run.group(&mut peers, "W5", 1, Peers::w5);
    run.group(&mut peers, "W7", 20, Peers::w7);
    run.group(&mut peers, "W6", 1, Peers::w6);

    seed(&mut setup, 0, false, 0, 0);
    for n in INSERT_SIZES {
        run.group(&mut peers, &format!("W3_{n}"), n, |p, peer| p.w3(peer, n));
    }

    // W8: no database.
    assert!(w8_ours(4242).text.contains("LIMIT $3"), "{}", w8_ours(4242));
    let mut group = run.criterion.benchmark_group("W8");
    group.bench_function("pg_sections", |b| {
        b.iter(|| w8_ours(std::hint::black_box(4242)));
    });
    group.bench_function("diesel", |b| {
        b.iter(|| w8_diesel(std::hint::black_box(4242)));
    });
    group.finish();
    let (count, bytes) = alloc::count(1000, || {
        std::hint::black_box(w8_ours(4242));
    });
    run.record("W8", "pg_sections", count, bytes);
    let (count, bytes) = alloc::count(1000, || {
        std::hint::black_box(w8_diesel(4242));
    });
    run.record("W8", "diesel", count, bytes);

    std::fs::write(
        out.join("allocations.json"),
        format!("[\n{}\n]\n", run.allocations),
    )
    .expect("allocations.json");
    run.criterion.final_summary();
}
