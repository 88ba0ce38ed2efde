//! The throwaway cluster: `initdb` into a new temporary directory, then
//! `pg_ctl start` on a free port of 127.0.0.1 with durability turned off
//! (`fsync`, `synchronous_commit` and `full_page_writes` off) and
//! `max_connections = 200`. When running as root, `initdb` and `pg_ctl` run
//! as the `postgres` user through `runuser`, since PostgreSQL refuses to run
//! as root.
//!
//! Rust never runs the destructors of statics, so the cluster is not torn
//! down by a destructor: as soon as its directory exists, a detached shell
//! (the *reaper*) is started that waits for the process to end, in whatever
//! way it ends (tests passing, failing or panicking, or the process being
//! killed), then stops the server with `pg_ctl stop -m immediate` and
//! removes the directory. The reaper's standard streams go to `/dev/null`,
//! so it never holds `cargo test`'s pipes open.

/// The superuser that `initdb` creates, and the user that owns the
/// cluster's files when the process runs as root.
pub(super) const SUPERUSER: &str = "postgres";

/// What a cluster gets beyond the defaults: settings appended to its
/// `postgresql.conf`, and files written into its data directory (readable
/// by the server only; `pg_hba.conf` replaces the one `initdb` wrote).
#[derive(Debug, Default)]
pub struct Extra<'a> {
    /// Lines for `postgresql.conf`.
    pub settings: &'a str,
    /// Files of the data directory: name, contents.
    pub files: &'a [(&'a str, &'a [u8])],
}

/// Starts this process's throwaway cluster.
#[cfg(not(unix))]
pub(super) fn start(_: &Extra<'_>) -> Result<super::server::Server, String> {
    Err(format!(
        "a throwaway PostgreSQL cluster needs a Unix system; set {} \
         to the URL of a server to use (e.g. postgres://postgres@localhost:5432/postgres)",
        super::server::DATABASE_URL
    ))
}

/// A streaming replica of the cluster on a port of 127.0.0.1.
#[cfg(not(unix))]
pub(super) fn start_replica(_: u16) -> Result<Standby, String> {
    Err("a throwaway PostgreSQL replica needs a Unix system".to_owned())
}

/// A replica (none without Unix).
#[cfg(not(unix))]
#[derive(Debug)]
pub enum Standby {}

/// A PgBouncer in front of the cluster on a port of 127.0.0.1.
#[cfg(not(unix))]
pub(super) fn start_pgbouncer(_: u16, _: &str) -> Result<Bouncer, String> {
    Err("a throwaway PgBouncer needs a Unix system".to_owned())
}

/// A PgBouncer (none without Unix).
#[cfg(not(unix))]
#[derive(Debug)]
pub enum Bouncer {}

#[cfg(unix)]
pub use unix::{Bouncer, Standby};
#[cfg(unix)]
pub(super) use unix::{start, start_pgbouncer, start_replica};

#[cfg(unix)]
mod unix {
    use std::env;
    use std::fmt::Write as _;
    use std::fs;
    use std::net::{Ipv4Addr, TcpListener};
    use std::os::unix::fs::DirBuilderExt;
    use std::os::unix::process::CommandExt;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output, Stdio};

    use super::super::server::{self, DATABASE_URL, Server, Urls, cluster_url, process_tag};
    use super::{Extra, SUPERUSER};

    /// How many times the cluster is started on a new port when the port
    /// picked turned out to be taken by someone else in the meantime.
    const START_ATTEMPTS: usize = 3;

    /// Seconds that `pg_ctl start -w` waits for the server to accept
    /// connections.
    const START_TIMEOUT_SECS: &str = "60";

    /// Settings of the cluster, appended to its `postgresql.conf` (the
    /// socket directory is added per cluster, the port given at start).
    const SETTINGS: &str = "\
# Added by pg_sections::testing: a throwaway cluster.
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
";

    /// The reaper, run as `sh -c REAPER sh PID PG_CTL DATA_DIR DIR RUNUSER
    /// USER`: it forks itself into the background (so the process need not
    /// wait for it and no zombie is left behind), waits while `PID` lives,
    /// then stops the cluster and removes its directory. `RUNUSER` and
    /// `USER` are empty unless `pg_ctl` must run as another user.
    const REAPER: &str = r#"(
while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
if [ -n "$5" ]; then
    "$5" -u "$6" -- "$2" stop -D "$3" -m immediate
else
    "$2" stop -D "$3" -m immediate
fi
rm -rf "$4"
) </dev/null >/dev/null 2>&1 &"#;

    /// The cluster's files: everything lives in one directory.
    struct ClusterDir {
        /// The directory, removed by the reaper.
        root: PathBuf,
        /// The data directory, in `root`.
        data: PathBuf,
        /// The server's log, in `root`.
        log: PathBuf,
    }

    /// How to run the PostgreSQL programs.
    struct Programs {
        initdb: PathBuf,
        pg_ctl: PathBuf,
        pg_basebackup: PathBuf,
        /// Whom to run them as, when the process runs as root.
        run_as: Option<RunAs>,
    }

    /// Another user to run the PostgreSQL programs as, since PostgreSQL
    /// refuses to run as root.
    struct RunAs {
        /// The `runuser` program, which runs a program as another user.
        runuser: PathBuf,
        user: &'static str,
    }

    impl Programs {
        /// A command that runs `program`, as [`Programs::run_as`] if set,
        /// in `dir`, with no standard input.
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
    pub(in super::super) fn start(extra: &Extra<'_>) -> Result<Server, String> {
        let programs = programs()?;
        let dir = make_cluster_dir(&programs)?;
        spawn_reaper(&programs, &dir)?;
        init_cluster(&programs, &dir, extra)?;
        let port = start_on_a_free_port(&programs, &dir)?;
        Ok(Server {
            maintenance_url: cluster_url(port, "postgres"),
            urls: Urls::Cluster { port },
        })
    }

    /// A streaming replica of the throwaway cluster on `primary_port` of
    /// 127.0.0.1: `pg_basebackup -R` of it (with a replication slot of its
    /// own on the primary) into a directory of its own
    /// (removed when the process ends, as a cluster's is), started on a
    /// free port.
    pub(in super::super) fn start_replica(primary_port: u16) -> Result<Standby, String> {
        let programs = programs()?;
        let dir = make_cluster_dir(&programs)?;
        spawn_reaper(&programs, &dir)?;
        let slot = format!(
            "pg_sections_{}",
            dir.root
                .file_name()
                .map(|name| {
                    name.to_string_lossy()
                        .to_ascii_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                })
                .unwrap_or_default()
        );
        // A slot of its own on the primary, which keeps the WAL the
        // replica has not received (a replica stopped and started again
        // needs it from its last restart point). Made here, holding WAL
        // from now on, not by `pg_basebackup --create-slot`, which makes it
        // only after the backup's checkpoint: a checkpoint in between (a
        // second replica's backup) could remove the WAL the backup starts
        // from ("requested WAL segment … has already been removed").
        // On a thread of its own: the blocking client cannot run on the
        // thread of an async test's runtime.
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut primary = server::connect(&cluster_url(primary_port, "postgres"))?;
                    primary.execute(
                        "SELECT pg_create_physical_replication_slot($1, true)",
                        &[&slot],
                    )?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
                .join()
                .unwrap_or_else(|_| Err("the thread making it panicked".into()))
        })
        .map_err(|error| {
            format!(
                "cannot make the replication slot {slot} on the cluster on port \
                     {primary_port}: {error}"
            )
        })?;
        let (copied, output) = run(programs
            .command(&programs.pg_basebackup, &dir.root)
            .args(["-h", "127.0.0.1", "-p", &primary_port.to_string()])
            .args(["-U", SUPERUSER, "-X", "stream", "-R", "--no-sync"])
            // A checkpoint at once, not spread over minutes.
            .args(["--checkpoint", "fast"])
            .args(["--slot", &slot, "-D"])
            .arg(&dir.data))?;
        if !copied {
            return Err(format!(
                "pg_basebackup of the cluster on port {primary_port} into {} failed:\n{output}",
                dir.data.display()
            ));
        }
        // The primary's settings came with its files: the replica's own
        // socket directory replaces the primary's.
        let config = dir.data.join("postgresql.conf");
        let socket = format!(
            "\nunix_socket_directories = '{}'\n",
            dir.root.display().to_string().replace('\'', "''")
        );
        fs::OpenOptions::new()
            .append(true)
            .open(&config)
            .and_then(|mut file| std::io::Write::write_all(&mut file, socket.as_bytes()))
            .map_err(|error| format!("cannot add the settings to {}: {error}", config.display()))?;
        let port = start_on_a_free_port(&programs, &dir)?;
        Ok(Standby {
            maintenance_url: cluster_url(port, "postgres"),
            port,
            programs,
            dir,
        })
    }

    /// The reaper of a PgBouncer, run as `sh -c BOUNCER_REAPER sh PID
    /// BOUNCER DIR`: once `PID` has ended, it stops the PgBouncer process
    /// `BOUNCER` and removes its directory.
    const BOUNCER_REAPER: &str = r#"(
while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
kill "$2"
sleep 1
rm -rf "$3"
) </dev/null >/dev/null 2>&1 &"#;

    /// A PgBouncer in front of the server on `server_port` of 127.0.0.1,
    /// listening on a free port of it, with `settings` added to its
    /// `[pgbouncer]` section (`pool_mode`, `default_pool_size`, …).
    pub(in super::super) fn start_pgbouncer(
        server_port: u16,
        settings: &str,
    ) -> Result<Bouncer, String> {
        let Some(pgbouncer) = find_program("pgbouncer", &["/usr/sbin", "/usr/bin"]) else {
            return Err(
                "pgbouncer was found neither on PATH nor in /usr/sbin or /usr/bin: install it \
                 (e.g. `apt-get install pgbouncer`)"
                    .to_owned(),
            );
        };
        let programs = programs()?;
        let dir = make_cluster_dir(&programs)?;
        let port = free_port()?;
        let ini = dir.root.join("pgbouncer.ini");
        let quoted = |path: &Path| path.display().to_string();
        let config = format!(
            "[databases]\n\
             * = host=127.0.0.1 port={server_port}\n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {port}\n\
             unix_socket_dir =\n\
             auth_type = trust\n\
             auth_file = {auth}\n\
             logfile = {log}\n\
             pidfile = {pid}\n\
             ignore_startup_parameters = extra_float_digits\n\
             {settings}\n",
            auth = quoted(&dir.root.join("userlist.txt")),
            log = quoted(&dir.log),
            pid = quoted(&dir.root.join("pgbouncer.pid")),
        );
        fs::write(&ini, config)
            .and_then(|()| {
                fs::write(
                    dir.root.join("userlist.txt"),
                    format!("\"{SUPERUSER}\" \"\"\n"),
                )
            })
            .map_err(|error| format!("cannot write {}: {error}", ini.display()))?;
        let mut command = Command::new(&pgbouncer);
        if programs.run_as.is_some() {
            // PgBouncer refuses to run as root; it changes user itself.
            command.args(["-u", SUPERUSER]);
        }
        let child = command
            .arg(&ini)
            .current_dir(&dir.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot run {}: {error}", pgbouncer.display()))?;
        let reaped = Command::new("sh")
            .arg("-c")
            .arg(BOUNCER_REAPER)
            .arg("sh")
            .arg(std::process::id().to_string())
            .arg(child.id().to_string())
            .arg(&dir.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .status();
        if !reaped.is_ok_and(|status| status.success()) {
            return Err("cannot start the shell that stops PgBouncer at the end".to_owned());
        }
        let bouncer = Bouncer {
            port,
            child: std::sync::Mutex::new(child),
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            let ended = bouncer
                .child
                .lock()
                .map_err(|_| "poisoned".to_owned())?
                .try_wait()
                .ok()
                .flatten();
            if ended.is_some() || std::time::Instant::now() > deadline {
                let log = fs::read_to_string(&dir.log).unwrap_or_default();
                return Err(format!(
                    "pgbouncer did not listen on 127.0.0.1:{port} ({ended:?}). Its log:\n{log}"
                ));
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Ok(bouncer)
    }

    /// A PgBouncer [`start_pgbouncer`] started: stopped when dropped, or
    /// when the process ends.
    #[derive(Debug)]
    pub struct Bouncer {
        /// Its port on 127.0.0.1.
        pub port: u16,
        child: std::sync::Mutex<std::process::Child>,
    }

    impl Drop for Bouncer {
        fn drop(&mut self) {
            if let Ok(child) = self.child.get_mut() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }

    /// A replica [`start_replica`] started, which a test can stop and
    /// start again on the same port.
    pub struct Standby {
        /// `postgres://postgres@127.0.0.1:PORT/postgres`.
        pub maintenance_url: String,
        port: u16,
        programs: Programs,
        dir: ClusterDir,
    }

    impl std::fmt::Debug for Standby {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Standby")
                .field("maintenance_url", &self.maintenance_url)
                .finish_non_exhaustive()
        }
    }

    impl Standby {
        /// Stops the server at once (`pg_ctl stop -m immediate`), as a
        /// crash would.
        ///
        /// # Errors
        /// What `pg_ctl` said when it failed.
        pub fn stop(&self) -> Result<(), String> {
            let (stopped, output) = run(self
                .programs
                .command(&self.programs.pg_ctl, &self.dir.root)
                .args(["stop", "-m", "immediate", "-D"])
                .arg(&self.dir.data))?;
            if stopped {
                Ok(())
            } else {
                Err(format!("pg_ctl stop of the replica failed:\n{output}"))
            }
        }

        /// Starts the server again on its port.
        ///
        /// # Errors
        /// What `pg_ctl` said when it failed, and the server's log.
        pub fn start(&self) -> Result<(), String> {
            let (started, output) = run(&mut pg_ctl_start(&self.programs, &self.dir, self.port))?;
            if started {
                Ok(())
            } else {
                let log = fs::read_to_string(&self.dir.log).unwrap_or_default();
                Err(format!(
                    "pg_ctl start of the replica failed:\n{output}\nIts log:\n{log}"
                ))
            }
        }
    }

    /// How to run `initdb`, `pg_ctl` and `pg_basebackup`: where they are,
    /// and as whom.
    fn programs() -> Result<Programs, String> {
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
                     user {SUPERUSER} through runuser, which was found neither on PATH nor in \
                     /usr/sbin or /sbin. Install it (e.g. `apt-get install util-linux`), run \
                     as another user, or set {DATABASE_URL} to the URL of a server to use"
                ));
            };
            Some(RunAs {
                runuser,
                user: SUPERUSER,
            })
        } else {
            None
        };
        Ok(Programs {
            initdb: bin.join("initdb"),
            pg_ctl: bin.join("pg_ctl"),
            pg_basebackup: bin.join("pg_basebackup"),
            run_as,
        })
    }

    /// `pg_ctl start` of the cluster in `dir` on `port`, waiting until it
    /// accepts connections.
    fn pg_ctl_start(programs: &Programs, dir: &ClusterDir, port: u16) -> Command {
        let mut command = programs.command(&programs.pg_ctl, &dir.root);
        command
            .args(["start", "-w", "-t", START_TIMEOUT_SECS, "-D"])
            .arg(&dir.data)
            .arg("-l")
            .arg(&dir.log)
            .args(["-o", &format!("-p {port}")]);
        command
    }

    /// Starts the cluster in `dir` on a free port (another one when someone
    /// took it meanwhile): the port.
    fn start_on_a_free_port(programs: &Programs, dir: &ClusterDir) -> Result<u16, String> {
        let mut attempt = 1;
        loop {
            let port = free_port()?;
            let (started, output) = run(&mut pg_ctl_start(programs, dir, port))?;
            if started {
                return Ok(port);
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
        }
    }

    /// The directory holding both `initdb` and `pg_ctl`: the first on `PATH`
    /// (where the links found there lead),
    /// else that of the highest Postgres version in `/usr/lib/postgresql`
    /// (where Debian and Ubuntu install them, off `PATH`).
    fn find_bin_dir() -> Option<PathBuf> {
        let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
        if let Some(found) = env::var_os("PATH")
            .iter()
            .flat_map(env::split_paths)
            .find(|dir| has_both(dir))
        {
            // The folder of the programs themselves, beside the others of
            // the installation (`pg_basebackup`), not of a link to them.
            return Some(
                fs::canonicalize(found.join("initdb"))
                    .ok()
                    .and_then(|initdb| initdb.parent().map(Path::to_path_buf))
                    .filter(|dir| has_both(dir))
                    .unwrap_or(found),
            );
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
        // A process may start several clusters (`start_cluster`).
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let nth = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let root = env::temp_dir().join(match nth {
            0 => format!("pg-sections-test-{}", process_tag()),
            n => format!("pg-sections-test-{}-{n}", process_tag()),
        });
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

    /// Runs `initdb` for the cluster in `dir` and adds the settings and
    /// files.
    fn init_cluster(
        programs: &Programs,
        dir: &ClusterDir,
        extra: &Extra<'_>,
    ) -> Result<(), String> {
        let (initialized, output) = run(programs
            .command(&programs.initdb, &dir.root)
            .args(["-A", "trust", "-U", SUPERUSER, "--no-sync", "-E", "UTF8"])
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
        settings.push_str(extra.settings);
        fs::OpenOptions::new()
            .append(true)
            .open(&config)
            .and_then(|mut file| std::io::Write::write_all(&mut file, settings.as_bytes()))
            .map_err(|error| format!("cannot add the settings to {}: {error}", config.display()))?;
        for (name, contents) in extra.files {
            write_server_file(&dir.data, name, contents)?;
        }
        Ok(())
    }

    /// Writes `contents` to `name` in the data directory `data`, owned by
    /// the server's user (the data directory's) and readable by it only,
    /// as PostgreSQL requires of a key file.
    fn write_server_file(data: &Path, name: &str, contents: &[u8]) -> Result<(), String> {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let path = data.join(name);
        let written = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, contents))
            .and_then(|()| fs::metadata(data))
            .and_then(|owner| {
                std::os::unix::fs::chown(&path, Some(owner.uid()), Some(owner.gid()))
            });
        written.map_err(|error| format!("cannot write {}: {error}", path.display()))
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
}
