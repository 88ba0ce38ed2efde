//! The marketplace as an HTTP service: migrates a fresh database, seeds the
//! demo catalogue, and serves browse, cart and checkout as JSON endpoints
//! (see `examples::server`) until Ctrl-C or SIGTERM.
//!
//! ```text
//! cargo run -p examples --bin marketplace-server              # 127.0.0.1:3000
//! cargo run -p examples --bin marketplace-server -- --listen 127.0.0.1:0
//! ```
//!
//! Once it listens it prints the address and the seeded ids, e.g.
//! `listening on http://127.0.0.1:3000`, then
//! `curl http://127.0.0.1:3000/listings?in_stock=true`.
//!
//! As the `marketplace` binary, it creates a fresh database on the server of
//! `DATABASE_URL` when set, otherwise on a throwaway PostgreSQL, and drops
//! it when it stops.

#![warn(clippy::pedantic)]

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use pg_sections::Pool;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

type Outcome<T = ()> = Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: marketplace-server [--listen ADDRESS:PORT]";

fn run() -> Outcome {
    let listen = listen_address(std::env::args().skip(1))?;
    // The database is created and dropped with blocking calls, outside the
    // runtime.
    let database = pg_sections::testing::try_database()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(serve(database.url(), listen));
    drop(runtime);
    eprintln!("Dropping the database `{}`.", database.name());
    drop(database);
    outcome
}

fn listen_address(mut args: impl Iterator<Item = String>) -> Outcome<SocketAddr> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 3000));
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--listen" => args.next(),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => match other.strip_prefix("--listen=") {
                Some(value) => Some(value.to_owned()),
                None => return Err(format!("unknown argument `{other}`\n{USAGE}").into()),
            },
        };
        let value = value.ok_or_else(|| format!("`--listen` needs an address\n{USAGE}"))?;
        listen = value
            .parse()
            .map_err(|error| format!("`--listen {value}`: {error} (e.g. 127.0.0.1:3000)"))?;
    }
    Ok(listen)
}

async fn serve(url: &str, listen: SocketAddr) -> Outcome {
    let pool = Pool::connect(url).await?;
    pool.migrate(&examples::MIGRATIONS).await?;
    let demo = examples::demo::seed(&pool).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|error| format!("cannot listen on {listen}: {error}"))?;
    let address = listener.local_addr()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{address}")?;
    writeln!(out, "demo customer {}", demo.customer)?;
    writeln!(
        out,
        "demo items: brake pads at Acme {}, timing belt at Bolt {}",
        demo.brake_pads_at_acme, demo.timing_belt_at_bolt
    )?;
    out.flush()?;
    drop(out);
    axum::serve(listener, examples::server::router(&pool))
        .with_graceful_shutdown(stop_signal())
        .await?;
    eprintln!("Stopped.");
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: wait for SIGTERM alone.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
