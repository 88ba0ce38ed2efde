//! The workloads of a single short round trip (W1 at 1 and 10 rows, W3,
//! W5, W6), and W2 at 10 000 users (one round trip of 5 000 rows, the row
//! whose criterion figure sat astride its limit), on raw prepared
//! `postgres`, pg-sections and Diesel, measured
//! interleaved: each round times a batch of queries on every peer, in an
//! order rotated from round to round, so that a slow stretch of this shared
//! machine (their criterion figures are bimodal here) hits all of them
//! alike. A figure is the median of the per-round ratios of two peers, with
//! a 95 % bootstrap interval. `./run` pins the process (and the server it
//! starts) to one core: unpinned, a connection's round trip here is ~15 µs
//! or ~80 µs depending on whether the server's core must wake from idle,
//! for seconds at a time, which no interleaving evens out.
//!
//! `BENCH_OUT` names the folder for `runtime_interleaved.json`;
//! `BENCH_ROUNDS` (default 300) and `BENCH_BATCH` (default 20 queries per
//! peer and round; W2, a millisecond each, runs 2) set the run.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use bench::peers::{Peer, Peers, migrate, seed};
use bench::workloads::POINT_USERS;
use bench::{env_number, interleave, interval, median};

const PEERS: [Peer; 3] = [Peer::RawPrepared, Peer::Ours, Peer::Diesel];

/// Users seeded for W2, as its largest criterion row.
const W2_USERS: i32 = 10_000;

/// One workload: its name, what every peer must return, and the query.
struct Workload {
    name: &'static str,
    expected: usize,
    run: fn(&mut Peers, Peer) -> usize,
}

fn w1(p: &mut Peers, peer: Peer) -> usize {
    p.w1(peer)
}

fn w2(p: &mut Peers, peer: Peer) -> usize {
    p.w2(peer)
}

fn w3_1(p: &mut Peers, peer: Peer) -> usize {
    p.w3(peer, 1)
}

fn w3_10(p: &mut Peers, peer: Peer) -> usize {
    p.w3(peer, 10)
}

fn w3_100(p: &mut Peers, peer: Peer) -> usize {
    p.w3(peer, 100)
}

fn w5(p: &mut Peers, peer: Peer) -> usize {
    p.w5(peer)
}

fn w6(p: &mut Peers, peer: Peer) -> usize {
    p.w6(peer)
}

/// Seconds per query of each peer, one entry per round.
fn measure(peers: &mut Peers, workload: &Workload, rounds: usize, batch: usize) -> Vec<Vec<f64>> {
    let mut run_batch = |peer: Peer| -> f64 {
        let start = Instant::now();
        for _ in 0..batch {
            let got = black_box((workload.run)(peers, peer));
            assert_eq!(
                got,
                workload.expected,
                "{} on {} returned {got}",
                workload.name,
                peer.name()
            );
        }
        start.elapsed().as_secs_f64() / batch as f64
    };
    // Warm-up (10 rounds): statement caches, the server's buffers and plans.
    interleave(PEERS.len(), 10, rounds, |i| run_batch(PEERS[i]))
}

/// `"name": {"median_us", "ratio", "low", "high"}` of peer `a` against `b`.
fn pair(times: &[Vec<f64>], a: usize, b: usize) -> (f64, f64, f64) {
    let mut ratios: Vec<f64> = times[a].iter().zip(&times[b]).map(|(x, y)| x / y).collect();
    let (low, high) = interval(&ratios);
    (median(&mut ratios), low, high)
}

fn main() {
    let rounds = env_number("BENCH_ROUNDS", 300);
    let batch = env_number("BENCH_BATCH", 20);
    let out = std::path::PathBuf::from(
        std::env::var_os("BENCH_OUT").unwrap_or_else(|| "bench-results".into()),
    );
    std::fs::create_dir_all(&out).expect("BENCH_OUT folder");

    let database = pg_sections::testing::database();
    let mut setup = database.connect();
    migrate(&mut setup);
    // One plan mode for every connection, as in `benches/runtime.rs`.
    setup
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET plan_cache_mode = force_generic_plan",
            database.name()
        ))
        .expect("plan_cache_mode");
    let mut peers = Peers::connect(database.url());

    let mut results = Vec::new();
    for (rows, workload) in [
        (
            1,
            Workload {
                name: "W1_1",
                expected: 1,
                run: w1,
            },
        ),
        (
            10,
            Workload {
                name: "W1_10",
                expected: 10,
                run: w1,
            },
        ),
    ] {
        seed(&mut setup, rows, false, 0, 0);
        results.push((workload.name, measure(&mut peers, &workload, rounds, batch)));
    }
    // W2: the users of one hair colour, half of them.
    seed(&mut setup, W2_USERS, true, 0, 0);
    let w2_batch = (batch / 10).max(1);
    results.push((
        "W2_10000",
        measure(
            &mut peers,
            &Workload {
                name: "W2_10000",
                expected: usize::try_from(W2_USERS / 2).expect("rows"),
                run: w2,
            },
            rounds,
            w2_batch,
        ),
    ));
    seed(&mut setup, POINT_USERS, true, 0, 0);
    for workload in [
        Workload {
            name: "W5",
            expected: 1,
            run: w5,
        },
        Workload {
            name: "W6",
            expected: 1,
            run: w6,
        },
    ] {
        results.push((workload.name, measure(&mut peers, &workload, rounds, batch)));
    }
    for workload in [
        Workload {
            name: "W3_1",
            expected: 1,
            run: w3_1,
        },
        Workload {
            name: "W3_10",
            expected: 10,
            run: w3_10,
        },
        Workload {
            name: "W3_100",
            expected: 100,
            run: w3_100,
        },
    ] {
        seed(&mut setup, 0, false, 0, 0);
        results.push((workload.name, measure(&mut peers, &workload, rounds, batch)));
    }

    let mut json =
        format!("{{\n  \"rounds\": {rounds}, \"batch\": {batch},\n  \"workloads\": {{\n");
    for (w, (name, times)) in results.iter().enumerate() {
        let us = |i: usize| median(&mut times[i].clone()) * 1e6;
        let (ours_raw, ours_raw_low, ours_raw_high) = pair(times, 1, 0);
        let (diesel_raw, diesel_raw_low, diesel_raw_high) = pair(times, 2, 0);
        let (ours_diesel, ours_diesel_low, ours_diesel_high) = pair(times, 1, 2);
        println!(
            "{name}: raw {:.1} µs, pg-sections {:.1} µs ({ours_raw:.3}x raw, {ours_raw_low:.3}-{ours_raw_high:.3}; \
             {ours_diesel:.3}x Diesel, {ours_diesel_low:.3}-{ours_diesel_high:.3}), Diesel {:.1} µs",
            us(0),
            us(1),
            us(2)
        );
        let _ = writeln!(
            json,
            "    \"{name}\": {{\"raw_prepared_us\": {:.3}, \"pg_sections_us\": {:.3}, \"diesel_us\": {:.3}, \
             \"ours_raw\": [{ours_raw:.4}, {ours_raw_low:.4}, {ours_raw_high:.4}], \
             \"diesel_raw\": [{diesel_raw:.4}, {diesel_raw_low:.4}, {diesel_raw_high:.4}], \
             \"ours_diesel\": [{ours_diesel:.4}, {ours_diesel_low:.4}, {ours_diesel_high:.4}]}}{}",
            us(0),
            us(1),
            us(2),
            if w + 1 < results.len() { "," } else { "" }
        );
    }
    json.push_str("  }\n}\n");
    std::fs::write(out.join("runtime_interleaved.json"), json).expect("runtime_interleaved.json");
}
