//! A real Postgres for the integration tests: one fresh, empty database per
//! test.
//!
//! This module owns the Postgres server that the tests talk to and the
//! databases they create on it:
//!
//! * If the environment variable `DATABASE_URL` is set (and not empty), that
//!   server is used: it is the maintenance connection on which each test's
//!   database is created and dropped.
//! * Otherwise the first call in a test process starts one throwaway cluster
//!   that every test of the process shares: `initdb` into a new temporary
//!   directory, then `pg_ctl start` on a free port of 127.0.0.1 with
//!   durability turned off (`fsync`, `synchronous_commit` and
//!   `full_page_writes` off) and `max_connections = 200`. When running as
//!   root, `initdb` and `pg_ctl` run as the `postgres` user through
//!   `runuser`, since Postgres refuses to run as root.
//!
//! Rust never runs the destructors of statics, so the throwaway cluster is not
//! torn down by a destructor: as soon as its directory exists, a detached
//! shell (the *reaper*) is started that waits for the test process to end, in
//! whatever way it ends (tests passing, failing or panicking, or the process
//! being killed), then stops the server with `pg_ctl stop -m immediate` and
//! removes the directory. The reaper's standard streams go to `/dev/null`, so
//! it never holds `cargo test`'s pipes open.
//!
//! Each [`TestDb`] drops its database when it goes out of scope.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use postgres::{Client, NoTls};

/// The environment variable naming an existing server to use instead of a
/// throwaway cluster.
const DATABASE_URL: &str = "DATABASE_URL";

/// The user that owns the throwaway cluster's files when the tests run as
/// root, and the superuser that `initdb` creates.
const POSTGRES_USER: &str = "postgres";

/// How many times the throwaway cluster is started on a new port when the
/// port picked turned out to be taken by someone else in the meantime.
const START_ATTEMPTS: usize = 3;

/// Seconds that `pg_ctl start -w` waits for the server to accept connections.
const START_TIMEOUT_SECS: &str = "60";

/// Settings of the throwaway cluster, appended to its `postgresql.conf`
/// (the port and the socket directory are added per cluster).
const SETTINGS: &str = "\
# Added by the pg-sections test harness: a throwaway cluster.
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
";

/// The reaper, run as `sh -c REAPER sh PID PG_CTL DATA_DIR DIR RUNUSER USER`:
/// it forks itself into the background (so the test process need not wait
/// for it and no zombie is left behind), waits while `PID` lives, then stops
/// the cluster and removes its directory. `RUNUSER` and `USER` are empty
/// unless `pg_ctl` must run as another user.
const REAPER: &str = r#"(
while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
if [ -n "$5" ]; then
    "$5" -u "$6" -- "$2" stop -D "$3" -m immediate
else
    "$2" stop -D "$3" -m immediate
fi
rm -rf "$4"
) </dev/null >/dev/null 2>&1 &"#;

/// The server of this test process, set up by the first test that needs it.
///
/// It holds the error message instead when the setup failed, so that every
/// test fails with that message rather than each trying again.
static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// Numbers the databases created by this process.
static NEXT_DATABASE: AtomicU64 = AtomicU64::new(1);

/// A fresh, empty database that exists for one test.
///
/// Create one with [`database`]. Dropping it drops the database
/// (`DROP DATABASE ... WITH (FORCE)`, which also ends any connection still
/// open to it); errors while dropping are ignored.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    url: String,
    server: &'static Server,
}

impl TestDb {
    /// The name of the database, unique on the server.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection string for the database, accepted by
    /// `postgres::Config::from_str` and by libpq.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new connection to the database.
    ///
    /// # Panics
    ///
    /// If the connection cannot be made.
    #[must_use]
    pub fn connect(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap_or_else(|error| {
            panic!(
                "cannot connect to the test database {} at {}: {error}",
                self.name, self.url
            )
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.server.maintenance_url, NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            ));
        }
    }
}

/// Creates a fresh, empty database for one test and returns it.
///
/// The database is created on the server of `DATABASE_URL` when that is set,
/// and otherwise on this process's throwaway cluster, which the first call
/// starts. Safe to call from many test threads at once: every call gets a
/// database of its own.
///
/// # Panics
///
/// If the server cannot be set up (for instance because Postgres is not
/// installed; the message says what went wrong, with the server's log when
/// it would not start), or the database cannot be created.
#[must_use]
pub fn database() -> TestDb {
    try_database().unwrap_or_else(|message| panic!("{message}"))
}

/// Like [`database`], but says what went wrong instead of panicking: for
/// programs (the example binary) that report errors to a user rather than
/// to a test harness.
///
/// # Errors
///
/// The message [`database`] would panic with.
pub fn try_database() -> Result<TestDb, String> {
    let server = try_server()?;
    let name = format!(
        "test_{}_{}",
        process_tag(),
        NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
    );
    let mut client = server.maintenance_client()?;
    // template0, as no one can be connected to it: CREATE DATABASE fails while
    // someone is connected to its template.
    client
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE template0",
            quote_ident(&name)
        ))
        .map_err(|error| {
            format!(
                "cannot create the test database {name} on {}: {error}",
                server.maintenance_url
            )
        })?;
    Ok(TestDb {
        url: server.url_of(&name),
        name,
        server,
    })
}

/// The connection string of the maintenance database: `DATABASE_URL` as it
/// is when that is set, otherwise the `postgres` database of this process's
/// throwaway cluster (which this starts if need be).
///
/// Tests that need a fresh database should use [`database`] instead.
///
/// # Panics
///
/// If the server cannot be set up, as for [`database`].
#[must_use]
pub fn server_url() -> String {
    server().maintenance_url.clone()
}

/// The server of this test process: the one of `DATABASE_URL` or the
/// throwaway cluster.
fn server() -> &'static Server {
    try_server().unwrap_or_else(|message| panic!("{message}"))
}

/// The server of this test process, or why it could not be set up.
fn try_server() -> Result<&'static Server, String> {
    SERVER
        .get_or_init(Server::set_up)
        .as_ref()
        .map_err(Clone::clone)
}

/// A Postgres server that the tests create their databases on.
#[derive(Debug)]
struct Server {
    /// Where to connect to create and drop databases.
    maintenance_url: String,
    /// How the URL of a database is made.
    urls: Urls,
}

/// How the URL of a database on a [`Server`] is made.
#[derive(Debug)]
enum Urls {
    /// The database's name replaces the one of `DATABASE_URL`.
    External,
    /// The throwaway cluster listening on this port of 127.0.0.1.
    Cluster { port: u16 },
}

impl Server {
    /// Uses the server of `DATABASE_URL`, or starts a throwaway cluster.
    fn set_up() -> Result<Server, String> {
        match env::var(DATABASE_URL) {
            Ok(url) if !url.trim().is_empty() => Ok(Server {
                maintenance_url: url,
                urls: Urls::External,
            }),
            _ => start_cluster(),
        }
    }

    /// The URL of the database `name` on this server.
    fn url_of(&self, name: &str) -> String {
        match self.urls {
            Urls::External => with_dbname(&self.maintenance_url, name),
            Urls::Cluster { port } => cluster_url(port, name),
        }
    }

    /// A new connection to the maintenance database.
    fn maintenance_client(&self) -> Result<Client, String> {
        Client::connect(&self.maintenance_url, NoTls).map_err(|error| {
            format!(
                "cannot connect to the PostgreSQL server at {}: {}",
                self.maintenance_url,
                with_sources(&error)
            )
        })
    }
}

/// The URL of the database `name` of the throwaway cluster on `port`.
fn cluster_url(port: u16, name: &str) -> String {
    format!("postgres://{POSTGRES_USER}@127.0.0.1:{port}/{name}")
}

/// The connection string `url` (a `postgres://` or `postgresql://` URL, or
/// libpq's `key=value` form) with its database replaced by `name`, which
/// needs neither quoting nor percent-encoding.
fn with_dbname(url: &str, name: &str) -> String {
    let Some(scheme_end) = ["postgres://", "postgresql://"]
        .iter()
        .find_map(|scheme| url.starts_with(scheme).then_some(scheme.len()))
    else {
        // In the key=value form, the last value given for a key wins.
        return format!("{url} dbname={name}");
    };
    let query = url.find('?').unwrap_or(url.len());
    // The path starts at the first '/' after the user info, whose password
    // may itself hold a '/'.
    let hosts = url[..query].rfind('@').map_or(scheme_end, |at| at + 1);
    let path = url[hosts..query]
        .find('/')
        .map_or(query, |slash| hosts + slash);
    format!("{}/{name}{}", &url[..path], &url[query..])
}

/// `error` followed by its sources (`error connecting to server: Connection
/// refused`), since the driver's own message leaves out the cause.
fn with_sources(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_message = cause.to_string();
        if !message.contains(&cause_message) {
            message.push_str(": ");
            message.push_str(&cause_message);
        }
        source = cause.source();
    }
    message
}

/// `name` as a quoted SQL identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A tag that tells this process's databases and files from those of any
/// other process, even one with the same pid (in another container, or a
/// crashed earlier run).
fn process_tag() -> &'static str {
    static TAG: OnceLock<String> = OnceLock::new();
    TAG.get_or_init(|| {
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        format!("{}_{:06x}", std::process::id(), random & 0xff_ffff)
    })
}

/// The throwaway cluster's files: everything lives in one directory.
struct ClusterDir {
    /// The directory, removed by the reaper.
    root: PathBuf,
    /// The data directory, in `root`.
    data: PathBuf,
    /// The server's log, in `root`.
    log: PathBuf,
}

/// How to run the Postgres programs.
struct Programs {
    initdb: PathBuf,
    pg_ctl: PathBuf,
    /// Whom to run them as, when the tests run as root.
    run_as: Option<RunAs>,
}

/// Another user to run the Postgres programs as, since Postgres refuses to
/// run as root.
struct RunAs {
    /// The `runuser` program, which runs a program as another user.
    runuser: PathBuf,
    user: &'static str,
}

impl Programs {
    /// A command that runs `program`, as [`Programs::run_as`] if set, in
    /// `dir`, with no standard input.
    fn command(&self, program: &Path, dir: &Path) -> Command {
        let mut command = match &self.run_as {
            Some(RunAs { runuser, user }) => {
                let mut command = Command::new(runuser);
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        };
        command.current_dir(dir).stdin(Stdio::null());
        command
    }
}

/// Starts this process's throwaway cluster.
fn start_cluster() -> Result<Server, String> {
    let Some(bin) = find_bin_dir() else {
        return Err(format!(
            "PostgreSQL's initdb and pg_ctl were found neither on PATH nor in \
             /usr/lib/postgresql/<version>/bin, and a throwaway server needs them. \
             Install PostgreSQL (e.g. `apt-get install postgresql`), or set \
             {DATABASE_URL} to the URL of a server to use \
             (e.g. postgres://postgres@localhost:5432/postgres)"
        ));
    };
    let run_as = if running_as_root() {
        let Some(runuser) = find_program("runuser", &["/usr/sbin", "/sbin"]) else {
            return Err(format!(
                "running as root, the throwaway PostgreSQL cluster must run as the \
                 user {POSTGRES_USER} through runuser, which was found neither on PATH nor in \
                 /usr/sbin or /sbin. Install it (e.g. `apt-get install util-linux`), run the \
                 tests as another user, or set {DATABASE_URL} to the URL of a server to use"
            ));
        };
        Some(RunAs {
            runuser,
            user: POSTGRES_USER,
        })
    } else {
        None
    };
    let programs = Programs {
        initdb: bin.join("initdb"),
        pg_ctl: bin.join("pg_ctl"),
        run_as,
    };
    let dir = make_cluster_dir(&programs)?;
    spawn_reaper(&programs, &dir)?;
    init_cluster(&programs, &dir)?;

    let mut attempt = 1;
    let port = loop {
        let port = free_port()?;
        let (started, output) = run(programs
            .command(&programs.pg_ctl, &dir.root)
            .args(["start", "-w", "-t", START_TIMEOUT_SECS, "-D"])
            .arg(&dir.data)
            .arg("-l")
            .arg(&dir.log)
            .args(["-o", &format!("-p {port}")]))?;
        if started {
            break port;
        }
        let log = fs::read_to_string(&dir.log).unwrap_or_default();
        if attempt < START_ATTEMPTS && log.contains("already in use") {
            // Someone took the port after free_port let go of it.
            attempt += 1;
            continue;
        }
        return Err(format!(
            "the throwaway PostgreSQL cluster in {} would not start on port {port}.\n\
             pg_ctl said:\n{output}\nThe server's log ({}):\n{log}",
            dir.data.display(),
            dir.log.display(),
        ));
    };
    Ok(Server {
        maintenance_url: cluster_url(port, "postgres"),
        urls: Urls::Cluster { port },
    })
}

/// The directory holding both `initdb` and `pg_ctl`: the first on `PATH`,
/// else that of the highest Postgres version in `/usr/lib/postgresql`
/// (where Debian and Ubuntu install them, off `PATH`).
fn find_bin_dir() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(found) = env::var_os("PATH")
        .iter()
        .flat_map(env::split_paths)
        .find(|dir| has_both(dir))
    {
        return Some(found);
    }
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let version = name
                .to_str()?
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort();
    versions
        .into_iter()
        .rev()
        .map(|(_, dir)| dir)
        .find(|dir| has_both(dir))
}

/// `name` on `PATH`, else in the first of `dirs` that has it.
fn find_program(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    env::var_os("PATH")
        .iter()
        .flat_map(env::split_paths)
        .chain(dirs.iter().map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|program| program.is_file())
}

/// Whether this process runs as root (effective user id 0).
fn running_as_root() -> bool {
    // The second field of the Uid line is the effective user id.
    let from_proc = fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
        });
    from_proc.unwrap_or_else(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
    })
}

/// Makes the new, empty directory of the cluster, owned by the user that
/// runs the server.
fn make_cluster_dir(programs: &Programs) -> Result<ClusterDir, String> {
    let root = env::temp_dir().join(format!("pg-sections-test-{}", process_tag()));
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&root)
        .map_err(|error| format!("cannot create the directory {}: {error}", root.display()))?;
    if let Some(RunAs { user, .. }) = programs.run_as {
        let (owned, output) = run(Command::new("chown").arg(user).arg(&root))?;
        if !owned {
            let _ = fs::remove_dir(&root);
            return Err(format!(
                "running as root, the throwaway PostgreSQL cluster must run as the \
                 user {user}, but {} could not be given to that user (does it exist?):\n{output}",
                root.display()
            ));
        }
    }
    Ok(ClusterDir {
        data: root.join("data"),
        log: root.join("server.log"),
        root,
    })
}

/// Starts the reaper (see [`REAPER`]) for the cluster in `dir`.
fn spawn_reaper(programs: &Programs, dir: &ClusterDir) -> Result<(), String> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(REAPER)
        .arg("sh")
        .arg(std::process::id().to_string())
        .arg(&programs.pg_ctl)
        .arg(&dir.data)
        .arg(&dir.root)
        .args(match &programs.run_as {
            Some(RunAs { runuser, user }) => [runuser.as_os_str(), user.as_ref()],
            None => ["".as_ref(), "".as_ref()],
        })
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Out of the terminal's process group, so that Ctrl-C on the tests
        // does not stop the reaper before it has cleaned up.
        .process_group(0)
        .status();
    match status {
        Ok(status) if status.success() => Ok(()),
        outcome => {
            let _ = fs::remove_dir_all(&dir.root);
            Err(format!(
                "cannot start the shell that removes the throwaway PostgreSQL cluster \
                 at the end of the tests: {outcome:?}"
            ))
        }
    }
}

/// Runs `initdb` for the cluster in `dir` and adds the settings.
fn init_cluster(programs: &Programs, dir: &ClusterDir) -> Result<(), String> {
    let (initialized, output) = run(programs
        .command(&programs.initdb, &dir.root)
        .args([
            "-A",
            "trust",
            "-U",
            POSTGRES_USER,
            "--no-sync",
            "-E",
            "UTF8",
        ])
        // The C locale exists everywhere, and sorts the same everywhere.
        .arg("--no-locale")
        .arg("-D")
        .arg(&dir.data))?;
    if !initialized {
        return Err(format!(
            "initdb of the throwaway PostgreSQL cluster in {} failed:\n{output}",
            dir.data.display()
        ));
    }
    let config = dir.data.join("postgresql.conf");
    let mut settings = SETTINGS.to_owned();
    let _ = writeln!(
        settings,
        "unix_socket_directories = '{}'",
        dir.root.display().to_string().replace('\'', "''")
    );
    fs::OpenOptions::new()
        .append(true)
        .open(&config)
        .and_then(|mut file| std::io::Write::write_all(&mut file, settings.as_bytes()))
        .map_err(|error| format!("cannot add the settings to {}: {error}", config.display()))
}

/// A TCP port of 127.0.0.1 that is free now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| format!("cannot find a free TCP port on 127.0.0.1: {error}"))
}

/// Runs `command` to its end: whether it succeeded, and its output.
fn run(command: &mut Command) -> Result<(bool, String), String> {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().map_err(|error| {
        format!(
            "cannot run {}: {error}",
            Path::new(command.get_program()).display()
        )
    })?;
    let output = format!(
        "{status}\n{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    Ok((status.success(), output))
}

#[cfg(test)]
mod tests {
    use super::with_dbname;

    #[test]
    fn replaces_the_database_of_a_url() {
        let cases = [
            ("postgres://u:p@h:5432/app", "postgres://u:p@h:5432/t_1"),
            ("postgres://u:p@h:5432", "postgres://u:p@h:5432/t_1"),
            (
                "postgresql://h/app?sslmode=disable",
                "postgresql://h/t_1?sslmode=disable",
            ),
            (
                "postgres://h?sslmode=disable",
                "postgres://h/t_1?sslmode=disable",
            ),
            (
                "postgres://u:a/b@h1,h2:5433/app",
                "postgres://u:a/b@h1,h2:5433/t_1",
            ),
            (
                "postgres://postgres@%2Ftmp%2Fxyz:54329/app?application_name=x",
                "postgres://postgres@%2Ftmp%2Fxyz:54329/t_1?application_name=x",
            ),
            (
                "host=/tmp port=5432 dbname=app",
                "host=/tmp port=5432 dbname=app dbname=t_1",
            ),
        ];
        for (url, expected) in cases {
            let replaced = with_dbname(url, "t_1");
            assert_eq!(replaced, expected);
            let config: postgres::Config = replaced.parse().unwrap();
            assert_eq!(config.get_dbname(), Some("t_1"), "{replaced}");
        }
    }
}
