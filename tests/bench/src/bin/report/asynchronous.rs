//! The async part of BENCHMARKS.md: W1–W7 on async handles, W5 throughput
//! over the pools, the pools' checkout cost, and pipelining.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::{Estimate, GROUPS, allocation_table, estimate, latency_tables, read_json, time};

/// The async peers of W1–W7, in the order of their columns.
pub const PEERS: [(&str, &str); 6] = [
    ("tokio_postgres", "tokio-postgres"),
    ("pg_sections", "pg-sections pool"),
    ("pg_sections_tx", "pg-sections tx"),
    ("sqlx", "sqlx conn"),
    ("sqlx_pool", "sqlx pool"),
    ("diesel_async", "diesel-async"),
];

/// The pools of the throughput benchmark.
const POOLS: [(&str, &str); 7] = [
    (
        "pg_sections",
        "pg-sections `Pool` (deadpool inside), defaults",
    ),
    (
        "pg_sections_no_wait_timeout",
        "pg-sections `Pool`, `wait_timeout(None)` (the others wait without a timer)",
    ),
    (
        "deadpool_postgres",
        "deadpool-postgres + raw tokio-postgres (`prepare_cached`), `RecyclingMethod::Fast` (default)",
    ),
    (
        "bb8_postgres_untested",
        "bb8-postgres + raw tokio-postgres (statement prepared per connection), `test_on_check_out(false)`",
    ),
    (
        "bb8_postgres",
        "bb8-postgres + raw tokio-postgres, defaults (`test_on_check_out`: `simple_query(\"\")` per checkout)",
    ),
    (
        "sqlx_pool_untested",
        "sqlx `PgPool`, `test_before_acquire(false)`",
    ),
    (
        "sqlx_pool",
        "sqlx `PgPool`, defaults (`test_before_acquire`: a ping per checkout)",
    ),
];

const TASKS: [u32; 3] = [1, 16, 64];

/// Median, low and high queries per second of a throughput benchmark
/// whose iterations run `batch` queries.
fn per_second(e: Estimate, batch: f64) -> (f64, f64, f64) {
    (
        batch / (e.median / 1e9),
        batch / (e.high / 1e9),
        batch / (e.low / 1e9),
    )
}

fn rate(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M/s", x / 1e6)
    } else {
        format!("{:.1} k/s", x / 1e3)
    }
}

/// Writes the async section.
#[allow(clippy::too_many_lines)]
pub fn section(md: &mut String, results: &Path, criterion: &Path) {
    let meta = read_json(&results.join("async_meta.json")).unwrap_or(Value::Null);
    if meta.is_null() {
        let _ = writeln!(
            md,
            "## Async runtime\n\nNot measured in this run (`async_meta.json` is missing).\n"
        );
        return;
    }
    let batch = meta["batch"].as_f64().unwrap_or(f64::NAN);
    let depth = meta["depth"].as_u64().unwrap_or(0);
    let workers = meta["workers"].as_u64().unwrap_or(0);
    let allocs = read_json(&results.join("async_allocations.json"))
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let groups: Vec<(&str, &str)> = GROUPS.to_vec();

    let _ = writeln!(md, "## Async runtime\n");
    let _ = writeln!(
        md,
        "W1–W7 again on async handles: the same queries, data and row types \
         (`tests/bench/src/async_workloads.rs`, `benches/async_runtime.rs`), in the same run, \
         on a current-thread tokio runtime, one `block_on` per criterion sample for every peer. \
         *tokio-postgres* is the limit (1.0): one client, statements prepared once, columns by \
         index. *pg-sections pool* is the `Db<Bench>` of `Pool::connect(url)`: each query takes \
         a pooled connection for its duration. *pg-sections tx* is the handle of a \
         `pool.transaction(…)`: one transaction per criterion sample, its `BEGIN` and `COMMIT` \
         outside the timing. *sqlx conn* is one `PgConnection`, *sqlx pool* a `PgPool` (its \
         defaults: a ping before each checkout), *diesel-async* one `AsyncPgConnection`. \
         Pools hold at most 16 connections.\n"
    );
    let _ = writeln!(
        md,
        "### Median time per query (ratio to raw tokio-postgres)\n"
    );
    latency_tables(
        md,
        criterion,
        &allocs,
        &PEERS,
        &groups,
        "async_",
        ("tokio_postgres", "raw tokio-postgres"),
    );
    let _ = writeln!(
        md,
        "\n### Allocations per query, async peers (allocations / bytes)\n"
    );
    allocation_table(md, &allocs, &PEERS, &groups, "async_");
    let _ = writeln!(
        md,
        "\nCounted as above; on the current-thread runtime the driver's connection task runs \
         on the counting thread, so its allocations count too (tokio-postgres, pg-sections and \
         diesel-async have one; sqlx does its I/O in the query's own future).\n"
    );

    // Throughput.
    let _ = writeln!(
        md,
        "### Throughput: W5 from concurrent tasks over a pool of 16 connections (queries per second, 95 % interval)\n"
    );
    let _ = writeln!(
        md,
        "Each iteration runs {batch} W5 queries (a random id of 10 000 users) split evenly over \
         1, 16 or 64 tasks spawned on a multi-thread tokio runtime of {workers} workers; each \
         query takes a connection from the pool and gives it back. Every pool is capped at 16 \
         connections and was filled before it was measured; every pool draws the same ids. \
         The server shares the machine's 2 cores with the client.\n"
    );
    let _ = write!(md, "| pool |");
    for t in TASKS {
        let _ = write!(md, " {t} task{} |", if t == 1 { "" } else { "s" });
    }
    let _ = writeln!(md, "\n|---|{}", "---|".repeat(TASKS.len()));
    for (id, label) in POOLS {
        // A pool this run did not measure (added since) has no row.
        if TASKS
            .iter()
            .all(|t| estimate(criterion, &format!("async_W5_tasks_{t}"), id).is_none())
        {
            continue;
        }
        let _ = write!(md, "| {label} |");
        for t in TASKS {
            match estimate(criterion, &format!("async_W5_tasks_{t}"), id) {
                Some(e) => {
                    let (x, lo, hi) = per_second(e, batch);
                    let _ = write!(md, " {} ({}–{}) |", rate(x), rate(lo), rate(hi));
                }
                None => {
                    let _ = write!(md, " – |");
                }
            }
        }
        md.push('\n');
    }

    // Checkout.
    let _ = writeln!(
        md,
        "\n### The pools' own cost: a checkout and its return, no query (median per checkout)\n"
    );
    let _ = writeln!(
        md,
        "{batch} `pool.get().await` then drop, split over the tasks as above, on the same pools.\n"
    );
    let _ = write!(md, "| pool |");
    for t in TASKS {
        let _ = write!(md, " {t} task{} |", if t == 1 { "" } else { "s" });
    }
    let _ = writeln!(md, "\n|---|{}", "---|".repeat(TASKS.len()));
    for (id, label) in [
        ("deadpool_postgres", "deadpool-postgres (deadpool 0.13)"),
        ("bb8_postgres_untested", "bb8, `test_on_check_out(false)`"),
        (
            "bb8_postgres",
            "bb8, defaults (`test_on_check_out`: a round trip)",
        ),
    ] {
        let _ = write!(md, "| {label} |");
        for t in TASKS {
            match estimate(criterion, &format!("async_checkout_tasks_{t}"), id) {
                Some(e) => {
                    let _ = write!(
                        md,
                        " {} ({}–{}) |",
                        time(e.median / batch),
                        time(e.low / batch),
                        time(e.high / batch)
                    );
                }
                None => {
                    let _ = write!(md, " – |");
                }
            }
        }
        md.push('\n');
    }

    // Pipelining.
    let group = format!("async_pipeline_{depth}");
    let _ = writeln!(
        md,
        "\n### Pipelining: {depth} independent W5 queries in one transaction (median per transaction)\n"
    );
    let _ = writeln!(
        md,
        "`BEGIN`, {depth} point queries by random id, `COMMIT`, on the current-thread runtime: \
         the queries awaited one after the other, or issued together (`join_all`) on the \
         transaction's handle. tokio-postgres sends the requests of concurrently polled \
         queries on its connection without waiting for the answers (pipelining), and so does \
         diesel-async on `&AsyncPgConnection`.\n"
    );
    let _ = writeln!(
        md,
        "| | awaited in turn | issued together | together / in turn |\n|---|---|---|---|"
    );
    for (prefix, label) in [
        (
            "tokio_postgres",
            "raw tokio-postgres, `client.transaction()`",
        ),
        (
            "pg_sections_tx",
            "pg-sections, `pool.transaction(async \\|tx\\| …)`, `tx.db::<Bench>()`",
        ),
        (
            "diesel_async",
            "diesel-async, `conn.transaction(…)`, `&mut &*conn`",
        ),
    ] {
        let seq = estimate(criterion, &group, &format!("{prefix}_sequential"));
        let joined = estimate(criterion, &group, &format!("{prefix}_joined"));
        let cell = |e: Option<Estimate>| {
            e.map_or_else(
                || "–".to_owned(),
                |e| format!("{} ({}–{})", time(e.median), time(e.low), time(e.high)),
            )
        };
        let speedup = match (seq, joined) {
            (Some(s), Some(j)) => format!(
                "{:.2} ({:.2}–{:.2})",
                j.median / s.median,
                j.low / s.high,
                j.high / s.low
            ),
            _ => "–".to_owned(),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {speedup} |",
            cell(seq),
            cell(joined)
        );
    }
    if let Some(e) = estimate(criterion, &group, "pg_sections_pool_joined") {
        let _ = writeln!(
            md,
            "| pg-sections, the pool's handle, no transaction (each query on a connection of its own) | – | {} ({}–{}) | – |",
            time(e.median),
            time(e.low),
            time(e.high)
        );
    }
    md.push('\n');
    scale_out(md, results);
}

/// W5 over the scale-out paths (`benches/scale_out.rs`), interleaved.
fn scale_out(md: &mut String, results: &Path) {
    let Some(v) = read_json(&results.join("scale_out.json")) else {
        return;
    };
    let _ = writeln!(
        md,
        "### Scale-out: W5 direct, unnamed, through PgBouncer, on a replica (median per query, {} interleaved rounds of {})\n",
        v["rounds"], v["batch"]
    );
    let _ = writeln!(
        md,
        "A pool of one connection each, on a throwaway primary, a `pgbouncer` in transaction mode \
         and one in session mode in front of it (two server connections each) and a streaming replica of it (`pg_basebackup -R`), \
         all on this machine. The ratio is each round's time over the direct path's in the same round.\n"
    );
    let _ = writeln!(md, "| path | per query | / direct |\n|---|---|---|");
    let _ = writeln!(
        md,
        "| direct, prepared statements (the default) | {:.1} µs | 1.00 |",
        v["direct_median_us"].as_f64().unwrap_or(f64::NAN)
    );
    for (key, label) in [
        ("direct_unnamed", "direct, `StatementMode::Unnamed`"),
        (
            "pgbouncer_unnamed",
            "through PgBouncer in transaction mode, `StatementMode::Unnamed`",
        ),
        (
            "pgbouncer_session",
            "through PgBouncer in session mode, prepared statements (the hop alone)",
        ),
        ("replica", "read on the replica"),
    ] {
        let p = &v[key];
        let _ = writeln!(
            md,
            "| {label} | {:.1} µs | {:.2} ({:.2}–{:.2}) |",
            p["median_us"].as_f64().unwrap_or(f64::NAN),
            p["ratio"].as_f64().unwrap_or(f64::NAN),
            p["low"].as_f64().unwrap_or(f64::NAN),
            p["high"].as_f64().unwrap_or(f64::NAN)
        );
    }
    md.push('\n');
}
