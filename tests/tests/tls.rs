//! TLS against real servers: a cluster of this file's own that accepts TLS
//! connections only (a certificate signed by a CA the test makes with the
//! `openssl` command), and one without TLS. Every entry point that takes a
//! URL is tried: the blocking connection, the pool, and `codegen`'s live
//! source, in both spellings of a connection string.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pg_sections::Error;
use pg_sections::blocking::Connection;

/// The files the test's certificate authority made.
struct Certificates {
    dir: PathBuf,
}

impl Certificates {
    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap()
    }
}

/// A CA, a server certificate it signed for `db.test` and 127.0.0.1 (not
/// `localhost`), a client certificate for the role `certuser`, and a CA
/// that signed nothing.
const MAKE_CERTIFICATES: &str = r#"set -e
ca() {
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -keyout "$1.key" -out "$1.crt" -days 2 -subj "/CN=$2" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
signed() {
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
        -out "$1.crt" -days 2 -extfile "$1.ext"
}
ca ca "pg-sections test CA"
ca other-ca "a CA the server does not use"
signed server db.test "subjectAltName=DNS:db.test,IP:127.0.0.1
basicConstraints=CA:FALSE
extendedKeyUsage=serverAuth"
signed client certuser "basicConstraints=CA:FALSE
extendedKeyUsage=clientAuth"
"#;

fn certificates() -> &'static Certificates {
    static CERTIFICATES: OnceLock<Certificates> = OnceLock::new();
    CERTIFICATES.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("pg-sections-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let made = Command::new("sh")
            .args(["-c", MAKE_CERTIFICATES])
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|error| panic!("the TLS tests need the `openssl` command: {error}"));
        assert!(
            made.status.success(),
            "making the test certificates with `openssl` failed:\n{}",
            String::from_utf8_lossy(&made.stderr)
        );
        Certificates { dir }
    })
}

/// The port of the cluster that takes TLS connections only.
fn tls_port() -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(|| {
        let certificates = certificates();
        let hba = "\
local all all trust
hostnossl all all 127.0.0.1/32 reject
hostssl all certuser 127.0.0.1/32 cert
hostssl all all 127.0.0.1/32 trust
";
        let url = pg_sections::testing::start_cluster(
            "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.crt'\n",
            &[
                ("server.crt", &certificates.read("server.crt")),
                ("server.key", &certificates.read("server.key")),
                ("ca.crt", &certificates.read("ca.crt")),
                ("pg_hba.conf", hba.as_bytes()),
            ],
        )
        .unwrap();
        let port = port_of(&url);
        let conn = Connection::connect(&format!("{url}?sslmode=require")).unwrap();
        conn.batch_execute("CREATE ROLE certuser LOGIN").unwrap();
        port
    })
}

/// The port of a cluster without TLS.
fn plain_port() -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(|| port_of(&pg_sections::testing::start_cluster("", &[]).unwrap()))
}

fn port_of(url: &str) -> u16 {
    let (_, rest) = url.rsplit_once(':').unwrap();
    rest.split('/').next().unwrap().parse().unwrap()
}

/// A URL of the TLS cluster as `user`, reaching it by `host`, with `query`.
fn url(host: &str, user: &str, query: &str) -> String {
    format!("postgres://{user}@{host}:{}/postgres?{query}", tls_port())
}

/// Whether the session of `conn` is encrypted, as the server sees it.
fn encrypted(conn: &Connection) -> bool {
    conn.with_client(|client| {
        client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .map(|row| row.get(0))
    })
    .unwrap()
    .unwrap()
}

/// Whether the session of a pool of `url` is encrypted, as the server on
/// `port` sees it: the pool's connection found by a name of its own.
fn pool_encrypted(url: &str, port: u16) -> Result<bool, Error> {
    static POOLS: AtomicUsize = AtomicUsize::new(0);
    let name = format!("tls-pool-{}", POOLS.fetch_add(1, Ordering::Relaxed));
    let named = if url.starts_with("postgres://") {
        format!("{url}&application_name={name}")
    } else {
        format!("{url} application_name={name}")
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The pool opens its first connection, and keeps it, while connecting.
    let pool = runtime.block_on(pg_sections::Pool::connect(&named))?;
    let checker = Connection::connect(&format!(
        "postgres://postgres@127.0.0.1:{port}/postgres?sslmode=prefer"
    ))?;
    let ssl = checker
        .with_client(|client| {
            client
                .query_one(
                    "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
                     WHERE a.application_name = $1",
                    &[&name],
                )
                .map(|row| row.get(0))
        })?
        .unwrap();
    drop(pool);
    Ok(ssl)
}

#[test]
fn every_mode_that_encrypts_reaches_a_server_that_takes_tls_only() {
    let ca = certificates().path("ca.crt");
    for query in [
        String::new(),
        "sslmode=prefer".to_owned(),
        "sslmode=allow".to_owned(),
        "sslmode=require".to_owned(),
        format!("sslmode=require&sslrootcert={ca}"),
        format!("sslmode=verify-ca&sslrootcert={ca}"),
        format!("sslmode=verify-full&sslrootcert={ca}"),
        format!("sslmode=verify-ca&sslrootcert={}", ca.replace('/', "%2F")),
    ] {
        let url = url("127.0.0.1", "postgres", &query);
        let conn = Connection::connect(&url).unwrap_or_else(|error| panic!("{url}: {error}"));
        assert!(encrypted(&conn), "{url}");
        assert!(pool_encrypted(&url, tls_port()).unwrap(), "{url}");
        codegen::live::connect(&url, Duration::from_secs(10))
            .unwrap_or_else(|error| panic!("{url}: {error}"));
    }
    // The key=value spelling, with a quoted path.
    let pairs = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres sslmode = verify-full sslrootcert='{ca}'",
        tls_port()
    );
    assert!(encrypted(&Connection::connect(&pairs).unwrap()));
    assert!(pool_encrypted(&pairs, tls_port()).unwrap());
}

#[test]
fn direct_tls_works_where_the_server_takes_it_and_says_so_where_not() {
    let ca = certificates().path("ca.crt");
    let url = url(
        "127.0.0.1",
        "postgres",
        &format!("sslmode=verify-full&sslrootcert={ca}&sslnegotiation=direct"),
    );
    let checker = Connection::connect(&format!(
        "postgres://postgres@127.0.0.1:{}/postgres?sslmode=require",
        tls_port()
    ))
    .unwrap();
    let version: i32 = checker
        .with_client(|client| {
            client
                .query_one("SELECT current_setting('server_version_num')::int", &[])
                .map(|row| row.get(0))
        })
        .unwrap()
        .unwrap();
    if version >= 170_000 {
        // TLS from the first byte, with the ALPN the server requires.
        assert!(encrypted(&Connection::connect(&url).unwrap()));
        assert!(pool_encrypted(&url, tls_port()).unwrap());
    } else {
        let error = Connection::connect(&url).unwrap_err().to_string();
        assert!(
            error.contains("`sslnegotiation=direct` needs a server"),
            "{error}"
        );
        assert!(error.contains("PostgreSQL 17"), "{error}");
    }
}

#[test]
fn disable_is_refused_by_a_server_that_takes_tls_only_in_its_words() {
    let url = url("127.0.0.1", "postgres", "sslmode=disable");
    let error = Connection::connect(&url).unwrap_err().to_string();
    assert!(error.contains("pg_hba.conf rejects connection"), "{error}");
    assert!(error.contains("no encryption"), "{error}");
    assert!(!error.contains("check that the server runs"), "{error}");
    let error = pool_encrypted(&url, tls_port()).unwrap_err().to_string();
    assert!(error.contains("pg_hba.conf rejects connection"), "{error}");
}

/// The refusal of a certificate says so, and what it was checked against,
/// without the hint about an unreachable server.
fn assert_refused(error: &str, checked: &str) {
    assert!(error.contains("the server's certificate for `"), "{error}");
    assert!(error.contains("was refused"), "{error}");
    assert!(error.contains(checked), "{error}");
    assert!(!error.contains("check that the server runs"), "{error}");
}

#[test]
fn a_certificate_of_another_ca_is_refused_saying_what_it_was_checked_against() {
    let other = certificates().path("other-ca.crt");
    for mode in ["require", "verify-ca", "verify-full"] {
        let url = url(
            "127.0.0.1",
            "postgres",
            &format!("sslmode={mode}&sslrootcert={other}"),
        );
        let error = Connection::connect(&url).unwrap_err();
        assert!(matches!(error, Error::Connect { .. }), "{error:?}");
        let error = error.to_string();
        assert_refused(&error, &format!("sslrootcert={other}"));
        assert!(error.contains("UnknownIssuer"), "{error}");
        assert_refused(
            &pool_encrypted(&url, tls_port()).unwrap_err().to_string(),
            &other,
        );
        let error = codegen::live::connect(&url, Duration::from_secs(10))
            .err()
            .unwrap();
        assert_refused(&error.to_string(), &other);
    }
}

#[test]
fn verify_full_checks_the_host_name_and_verify_ca_does_not() {
    let ca = certificates().path("ca.crt");
    // The certificate names db.test and 127.0.0.1, not localhost.
    let full = url(
        "localhost",
        "postgres",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let error = Connection::connect(&full).unwrap_err().to_string();
    assert_refused(&error, "and the host name");
    assert!(error.contains("`localhost`"), "{error}");
    assert!(
        error.contains("not valid for name \"localhost\""),
        "{error}"
    );
    assert_refused(
        &pool_encrypted(&full, tls_port()).unwrap_err().to_string(),
        "the host name",
    );

    let chain_only = url(
        "localhost",
        "postgres",
        &format!("sslmode=verify-ca&sslrootcert={ca}"),
    );
    assert!(encrypted(&Connection::connect(&chain_only).unwrap()));
    assert!(pool_encrypted(&chain_only, tls_port()).unwrap());
}

#[test]
fn a_client_certificate_authenticates_its_role() {
    let certificates = certificates();
    let ca = certificates.path("ca.crt");
    let with_certificate = url(
        "127.0.0.1",
        "certuser",
        &format!(
            "sslmode=verify-full&sslrootcert={ca}&sslcert={}&sslkey={}",
            certificates.path("client.crt"),
            certificates.path("client.key")
        ),
    );
    let conn = Connection::connect(&with_certificate).unwrap();
    let user: String = conn
        .with_client(|client| {
            client
                .query_one("SELECT current_user::text", &[])
                .map(|row| row.get(0))
        })
        .unwrap()
        .unwrap();
    assert_eq!(user, "certuser");
    assert!(pool_encrypted(&with_certificate, tls_port()).unwrap());

    let without = url(
        "127.0.0.1",
        "certuser",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let error = Connection::connect(&without).unwrap_err().to_string();
    assert!(error.contains("certificate"), "{error}");

    // A key that is not one.
    let bad_key = url(
        "127.0.0.1",
        "certuser",
        &format!(
            "sslmode=require&sslcert={}&sslkey={}",
            certificates.path("client.crt"),
            certificates.path("client.crt")
        ),
    );
    let error = Connection::connect(&bad_key).unwrap_err();
    assert!(matches!(error, Error::Tls { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("cannot read the private key of sslkey="),
        "{error}"
    );
}

#[test]
fn require_needs_a_server_with_tls_and_prefer_goes_without() {
    let plain = |query: &str| {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?{query}",
            plain_port()
        )
    };
    for query in ["sslmode=require", "sslmode=verify-full&sslrootcert=ROOT"] {
        let url = plain(&query.replace("ROOT", &certificates().path("ca.crt")));
        let error = Connection::connect(&url).unwrap_err().to_string();
        assert!(error.contains("server does not support TLS"), "{error}");
        let error = pool_encrypted(&url, plain_port()).unwrap_err().to_string();
        assert!(error.contains("server does not support TLS"), "{error}");
    }
    for query in ["", "sslmode=prefer", "sslmode=disable"] {
        let url = plain(query);
        assert!(!encrypted(&Connection::connect(&url).unwrap()), "{url}");
        assert!(!pool_encrypted(&url, plain_port()).unwrap(), "{url}");
    }
}

#[test]
fn tls_options_that_cannot_be_followed_name_the_option_and_the_file() {
    let certificates = certificates();
    let not_pem = certificates.path("server.ext");
    for (query, expected) in [
        (
            "sslmode=verify-full&sslrootcert=/nonexistent/root.crt",
            "sslrootcert=/nonexistent/root.crt",
        ),
        (
            &format!("sslmode=verify-ca&sslrootcert={not_pem}") as &str,
            "holds no certificate",
        ),
        (
            "sslmode=verify-everything",
            "`sslmode=verify-everything` is not a mode",
        ),
        (
            "sslmode=require&sslrootcert=system",
            "use `sslmode=verify-full`",
        ),
        (
            "sslmode=require&sslcrl=/tmp/crl.pem",
            "`sslcrl` is not supported",
        ),
    ] {
        let url = url("127.0.0.1", "postgres", query);
        let error = Connection::connect(&url).unwrap_err();
        assert!(matches!(error, Error::Tls { .. }), "{error:?}");
        assert!(error.to_string().contains(expected), "{error}");
        assert!(
            pool_encrypted(&url, tls_port())
                .unwrap_err()
                .to_string()
                .contains(expected)
        );
        let error = codegen::live::connect(&url, Duration::from_secs(10))
            .err()
            .unwrap();
        assert!(error.to_string().contains(expected), "{error}");
    }
}

/// The cancel request of a statement past its timeout goes over TLS too:
/// the statement stops on a server that takes TLS only.
#[test]
fn a_timed_out_statement_is_cancelled_over_tls() {
    use pg_sections::Table;
    use tests::bundled::vendor::{Vendor, vendor_profile};

    let ca = certificates().path("ca.crt");
    let url = url(
        "127.0.0.1",
        "postgres",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let conn = Connection::connect(&url).unwrap();
    // A table of the vendor section's name, created here: this cluster
    // runs no migrations.
    conn.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS vendor; CREATE TABLE IF NOT EXISTS vendor.vendor_profile (id int)",
    )
    .unwrap();
    let locker = Connection::connect(&url).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    locker
        .batch_execute("BEGIN; LOCK TABLE vendor.vendor_profile IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    runtime.block_on(async {
        let pool = pg_sections::Pool::connect(&url).await.unwrap();
        let db = pool
            .db::<Vendor>()
            .statement_timeout(Some(Duration::from_millis(200)));
        let outcome = vendor_profile::Table.select().count(&db).await;
        assert!(
            matches!(outcome, Err(Error::StatementTimeout { .. })),
            "{outcome:?}"
        );
        // The server stopped the statement: no one waits on the lock. The
        // runtime goes on meanwhile, as a service's does, and sends the
        // cancel over TLS.
        let (config, tls) = pg_sections::tls::parse(&url).unwrap();
        let (client, connection) = config.connect(tls).await.unwrap();
        tokio::spawn(connection);
        let start = std::time::Instant::now();
        loop {
            let waiting: i64 = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            if waiting == 0 {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "the statement still runs: its cancel did not reach the server"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    locker.batch_execute("ROLLBACK").unwrap();
}
