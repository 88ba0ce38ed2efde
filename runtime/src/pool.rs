//! The async runtime: a pool of connections on `tokio-postgres` (managed by
//! `deadpool`), the section handles over it, and transactions that hold one
//! pooled connection for their duration.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult, Timeouts};
use postgres_types::ToSql;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Statement};

use crate::checkout::{Connections, Object};
use crate::connection::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_STATEMENT_CACHE, StatementCache, check_parameters, is_stale,
};
use crate::db::Sealed;
use crate::error::{Error, Result, mask_password};
use crate::exec::{Answer, Executor, Kind, Params};
use crate::replicas::{
    AfterFailure, DEFAULT_MAX_REPLICA_LAG, DEFAULT_REPLICA_CHECK_INTERVAL, Readers, ReplicaStatus,
    after_failure,
};
use crate::tenant::TenantSchema;
use crate::unnamed::StatementMode;
use crate::{InSection, Mode, Runs, Section};

/// How many connections a pool opens at most by default.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// How long [`Pool::db`] handles wait for a free connection by default
/// before a query fails with [`Error::PoolTimeout`].
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// A pool of async connections to one database, which serves handles of
/// every section in it.
///
/// `Pool` is cheap to clone (clones share the connections) and
/// `Send + Sync + 'static`, as are the handles it gives ([`Db`]): keep
/// them in an axum or actix state. Each query takes a connection for its
/// duration and gives it back; each connection keeps its own cache of
/// prepared statements. [`Pool::transaction`] holds one connection for a
/// whole transaction, across sections.
///
/// ```no_run
/// # async fn run() -> pg_sections::Result<()> {
/// let pool = pg_sections::Pool::connect("postgres://app@localhost/shop").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Pool {
    /// The connections: deadpool's, and those given back ready.
    connections: Connections,
    /// The URL, password masked, for messages.
    url: Arc<str>,
    /// The URL as given, for [`Pool::migrate`]'s connection.
    target: Arc<str>,
    /// The statement timeout of the handles it gives.
    statement_timeout: Option<Duration>,
    /// Statements run on its connections.
    statements: Arc<AtomicU64>,
    /// Its replicas, which answer reads outside transactions.
    readers: Arc<Readers>,
    /// Reads go to the primary too ([`Pool::primary`]).
    primary_only: bool,
    /// The variable of its database, when [`Databases`](crate::Databases)
    /// made it: its handles and transactions refuse other databases'
    /// sections.
    pub(crate) database_url_env: Option<Arc<str>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.connections.counts();
        f.debug_struct("Pool")
            .field("url", &self.url)
            .field("size", &status.size)
            .field("max_size", &status.max_size)
            .field("replicas", &self.readers.status().len())
            .field("primary_only", &self.primary_only)
            .finish_non_exhaustive()
    }
}

/// How a [`Pool`] is set up: [`Pool::options`], then
/// [`PoolOptions::connect`].
#[derive(Clone)]
#[must_use = "options do nothing until `connect` is called"]
pub struct PoolOptions {
    url: String,
    max_size: usize,
    wait_timeout: Option<Duration>,
    statement_cache: usize,
    statement_timeout: Option<Duration>,
    replicas: Vec<String>,
    max_replica_lag: Duration,
    replica_check_interval: Duration,
    statement_mode: StatementMode,
}

impl std::fmt::Debug for PoolOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolOptions")
            .field("url", &mask_password(&self.url))
            .field("max_size", &self.max_size)
            .field("wait_timeout", &self.wait_timeout)
            .field("statement_cache", &self.statement_cache)
            .field("statement_timeout", &self.statement_timeout)
            .field(
                "replicas",
                &self
                    .replicas
                    .iter()
                    .map(|url| mask_password(url))
                    .collect::<Vec<_>>(),
            )
            .field("max_replica_lag", &self.max_replica_lag)
            .field("replica_check_interval", &self.replica_check_interval)
            .field("statement_mode", &self.statement_mode)
            .finish()
    }
}

impl PoolOptions {
    /// Opens at most `max_size` connections (at least 1); queries beyond
    /// that wait for a free one. Default: [`DEFAULT_POOL_SIZE`].
    pub fn max_size(mut self, max_size: usize) -> Self {
        self.max_size = max_size.max(1);
        self
    }

    /// How long a query waits for a free connection before it fails with
    /// [`Error::PoolTimeout`]; `None` waits for ever. Default:
    /// [`DEFAULT_WAIT_TIMEOUT`].
    pub fn wait_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.wait_timeout = timeout;
        self
    }

    /// How many prepared statements each connection keeps (0 turns
    /// caching off). Default: [`DEFAULT_STATEMENT_CACHE`].
    pub fn statement_cache(mut self, capacity: usize) -> Self {
        self.statement_cache = capacity;
        self
    }

    /// How the connections send statements: prepared once and cached
    /// (the default), or [`StatementMode::Unnamed`] behind PgBouncer in
    /// transaction mode. See [`StatementMode`].
    pub fn statement_mode(mut self, mode: StatementMode) -> Self {
        self.statement_mode = mode;
        self
    }

    /// The statement timeout of the pool's handles ([`Db::statement_timeout`]),
    /// unless a handle sets its own. Default: `None`, no limit.
    pub fn statement_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.statement_timeout = timeout;
        self
    }

    /// A streaming replica of the database (`pg_basebackup -R` or any
    /// standby of it), at `url`; call once per replica. Reads outside a
    /// transaction (a handle's `fetch_*`, `count`, `exists`, `paginate`
    /// and streams, without `FOR UPDATE` or `FOR SHARE`) go to the
    /// replicas in turn; writes, locking reads, everything in a
    /// [`Pool::transaction`], [`Pool::with_client`] and migrations go to
    /// the primary, as do the reads of a handle pinned to it
    /// ([`Db::primary`], [`Pool::primary`]) for read-your-writes.
    ///
    /// A replica that is unreachable, or behind by more than
    /// [`max_replica_lag`](Self::max_replica_lag), is skipped until a
    /// check finds it ready again; a read whose replica fails under it
    /// (its connection lost, or the read cancelled by a conflict with the
    /// replay) is answered by the primary. Each such read is counted
    /// ([`PoolStatus::primary_fallbacks`]), and [`Pool::replicas`] says
    /// what the last check of each found.
    pub fn replica(mut self, url: &str) -> Self {
        self.replicas.push(url.to_owned());
        self
    }

    /// How far behind the primary a replica may be and still answer
    /// reads. Default: [`DEFAULT_MAX_REPLICA_LAG`].
    ///
    /// The lag is zero when a replica has replayed everything it received,
    /// else the time since the primary committed the last transaction it
    /// replayed (`pg_last_xact_replay_timestamp()`).
    pub fn max_replica_lag(mut self, lag: Duration) -> Self {
        self.max_replica_lag = lag;
        self
    }

    /// How often each replica's health and lag are checked: by the first
    /// read that finds the last check older than this (one query on the
    /// replica), while the other reads go by that last check. Default:
    /// [`DEFAULT_REPLICA_CHECK_INTERVAL`].
    pub fn replica_check_interval(mut self, interval: Duration) -> Self {
        self.replica_check_interval = interval;
        self
    }

    /// Builds the pool and opens its first connection, so that a wrong URL
    /// or a server that is down is an error here rather than at the first
    /// query.
    ///
    /// Each connection (TCP connect, startup and authentication) is
    /// bounded by the URL's `connect_timeout` (seconds), or by
    /// [`DEFAULT_CONNECT_TIMEOUT`] when it gives none or 0.
    ///
    /// # Errors
    /// [`Error::Connect`] naming the URL (password masked) when it does not
    /// parse, the server refuses or its certificate is refused;
    /// [`Error::Tls`] when its TLS options cannot be followed;
    /// [`Error::ConnectTimeout`] when the server did not answer in time.
    pub async fn connect(self) -> Result<Pool> {
        let statements = Arc::new(AtomicU64::new(0));
        let (connections, url, _) = self.connections(&self.url, &statements)?;
        let mut readers = Readers::new(self.max_replica_lag, self.replica_check_interval);
        for (n, replica) in self.replicas.iter().enumerate() {
            // A replica that is down now is skipped by the reads until it
            // is back; one whose URL cannot be followed is an error now,
            // which says which replica it is when the URL cannot be shown.
            let (connections, url, check_timeout) = self
                .connections(replica, &statements)
                .map_err(|error| match error {
                    Error::Connect { url, source }
                        if !url.contains("://") && !url.contains('=') =>
                    {
                        Error::Connect {
                            url: format!("replica {} {url}", n + 1),
                            source,
                        }
                    }
                    other => other,
                })?;
            readers.add(connections, url.into(), check_timeout);
        }
        let pool = Pool {
            connections,
            url: url.into(),
            target: self.url.as_str().into(),
            statement_timeout: self.statement_timeout,
            statements,
            readers: Arc::new(readers),
            primary_only: false,
            database_url_env: None,
        };
        // Open the first connection now, and keep it in the pool.
        drop(pool.get().await?);
        Ok(pool)
    }

    /// The connections to `url` (the primary or a replica), with these
    /// options: none opened yet. The URL, password masked, and its connect
    /// timeout.
    fn connections(
        &self,
        url: &str,
        statements: &Arc<AtomicU64>,
    ) -> Result<(Connections, String, Duration)> {
        let masked = mask_password(url);
        let (mut config, tls) = crate::tls::parse(url)?;
        let timeout = config
            .get_connect_timeout()
            .copied()
            .filter(|timeout| !timeout.is_zero())
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        config.connect_timeout(timeout);
        // Each host of a multi-host URL gets the whole timeout, as in libpq.
        let hosts = u32::try_from(config.get_hosts().len().max(1)).unwrap_or(u32::MAX);
        let manager = Manager {
            statements: Arc::clone(statements),
            attempt_limit: timeout.saturating_mul(hosts),
            config,
            tls,
            url: masked.clone(),
            timeout,
            statement_cache: self.statement_cache,
            mode: self.statement_mode,
        };
        let connections = managed::Pool::builder(manager)
            .max_size(self.max_size)
            .timeouts(Timeouts {
                wait: self.wait_timeout,
                create: None,
                // `Manager::recycle` bounds its own rollback: a timer
                // around every recycle would cost each checkout one.
                recycle: None,
            })
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|error| Error::Pool {
                message: error.to_string(),
            })?;
        Ok((Connections::new(connections), masked, timeout))
    }
}

impl Pool {
    /// A pool of [`DEFAULT_POOL_SIZE`] connections to `url`
    /// (`postgres://user:pass@host:port/db` or the `key=value` form), with
    /// the TLS its `sslmode` asks for ([`tls`](crate::tls)); see
    /// [`PoolOptions::connect`].
    ///
    /// # Errors
    /// As [`PoolOptions::connect`].
    pub async fn connect(url: &str) -> Result<Self> {
        Self::options(url).connect().await
    }

    /// Options for a pool to `url`, to set before connecting.
    pub fn options(url: &str) -> PoolOptions {
        PoolOptions {
            url: url.to_owned(),
            max_size: DEFAULT_POOL_SIZE,
            wait_timeout: Some(DEFAULT_WAIT_TIMEOUT),
            statement_cache: DEFAULT_STATEMENT_CACHE,
            statement_timeout: None,
            replicas: Vec::new(),
            max_replica_lag: DEFAULT_MAX_REPLICA_LAG,
            replica_check_interval: DEFAULT_REPLICA_CHECK_INTERVAL,
            statement_mode: StatementMode::default(),
        }
    }

    /// This pool with every read on the primary: its handles read their
    /// own writes at once, which a replica may not have replayed yet.
    /// Shares the connections (and the replicas' counts) with `self`.
    #[must_use]
    pub fn primary(&self) -> Pool {
        Pool {
            primary_only: true,
            ..self.clone()
        }
    }

    /// Each replica ([`PoolOptions::replica`]), in the order given: its
    /// URL, what its last check found, the reads it answered.
    #[must_use]
    pub fn replicas(&self) -> Vec<ReplicaStatus> {
        self.readers.status()
    }

    /// A handle for section `S` over this pool.
    #[must_use]
    pub fn db<S: Section>(&self) -> Db<S> {
        self.handle(None)
    }

    /// A handle of tenant `name` of section `S`, a tenant template
    /// (`tenant = true` in `sections.toml`): its queries run on the schema
    /// `<schema>_<name>` (`tenant_acme`), which `cargo sections tenant new
    /// acme` creates. Each tenant's statements are cached apart; nothing
    /// is set on the connection (no `search_path`), so it works behind
    /// PgBouncer in transaction mode too.
    ///
    /// # Errors
    /// [`Error::Tenant`] when `S` is no template, or `name` is not
    /// lowercase ASCII letters, digits and `_` (at least one) or makes a
    /// schema name longer than PostgreSQL keeps (63 bytes).
    pub fn tenant<S: Section>(&self, name: &str) -> Result<Db<S>> {
        let tenant = TenantSchema::new(S::NAME, S::SCHEMA, S::TENANT, name)?;
        Ok(self.handle(Some(Arc::new(tenant))))
    }

    /// A handle of section `S`, of `tenant` when given.
    fn handle<S: Section>(&self, tenant: Option<Arc<TenantSchema>>) -> Db<S> {
        Db {
            source: Source::Pool(self.clone())
                .unless_elsewhere::<S>(self.database_url_env.as_ref(), "pool")
                .unless_template::<S>(tenant.as_ref()),
            statement_timeout: self.statement_timeout,
            tenant,
            section: PhantomData,
        }
    }

    /// Runs `f` in a transaction on one connection of the pool: commits
    /// when it returns `Ok`, rolls back when it returns `Err`. The
    /// [`Transaction`] it gets opens handles of any section
    /// ([`Transaction::db`]), so one transaction can span the sections of
    /// this database.
    ///
    /// When a statement inside failed, the server aborted the transaction:
    /// even if `f` ignored that error and returned `Ok`, the work is rolled
    /// back and the result is [`Error::TransactionAborted`].
    ///
    /// When the future is dropped before it ends (a request cancelled, a
    /// timeout), nothing is committed: the connection is closed, so the
    /// server rolls it back and frees its locks at once. Handles of the
    /// transaction kept elsewhere (a spawned task's) are closed with it
    /// ([`Error::TransactionClosed`]), and a statement of theirs still
    /// running is cancelled.
    ///
    /// ```no_run
    /// # async fn run(pool: pg_sections::Pool) -> pg_sections::Result<()> {
    /// let moved = pool
    ///     .transaction(async |tx| {
    ///         // tx.db::<Vendor>() and tx.db::<Customer>() share it
    ///         Ok::<_, pg_sections::Error>(1)
    ///     })
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// `f`'s error; [`Error::TransactionAborted`] when `f` returned `Ok`
    /// after a statement in the transaction failed; the database's error
    /// when `BEGIN` or `COMMIT` fails; the pool's errors.
    pub async fn transaction<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(Transaction) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let mut conn = self.get().await?;
        // Marked first: dropped while `BEGIN` is in flight, the connection
        // is still rolled back before it serves again.
        conn.in_transaction = true;
        conn.control("BEGIN").await?;
        let state = Arc::new(TransactionState {
            canceller: Arc::clone(&conn.canceller),
            abandoned: Arc::new(AtomicBool::new(false)),
            nested_open: AtomicBool::new(false),
            conn: Arc::new(tokio::sync::RwLock::new(Some(conn))),
            streams: Arc::new(AtomicUsize::new(0)),
            aborted: std::sync::Mutex::new(None),
            statement_timeout: self.statement_timeout,
            ended: AtomicBool::new(false),
            depth: 0,
            parent: None,
            database_url_env: self.database_url_env.clone(),
        });
        let abandoned = Abandoned(Some(Arc::clone(&state)));
        let outcome = f(Transaction {
            state: Arc::clone(&state),
        })
        .await;
        abandoned.finished();
        // Handles of the transaction (and of its nested ones) kept past
        // its end find it closed.
        state.ended.store(true, Ordering::Release);
        let Some(mut conn) = state.conn.write().await.take() else {
            return Err(Error::TransactionClosed.into());
        };
        let ended = match (&outcome, state.take_abort(&conn, "the transaction")) {
            (Ok(_), None) => conn.control("COMMIT").await,
            (Ok(_), Some(cause)) => conn
                .control("ROLLBACK")
                .await
                .and(Err(Error::TransactionAborted { cause })),
            (Err(_), _) => conn.control("ROLLBACK").await,
        };
        if ended.is_ok() {
            conn.in_transaction = false;
        }
        match outcome {
            Ok(value) => ended.map(|()| value).map_err(E::from),
            // `f`'s error comes first; a failed rollback leaves the
            // connection to the pool, which discards it.
            Err(error) => Err(error),
        }
    }

    /// Applies the pending `migrations` (those a build embedded with
    /// [`include_migrations!`](crate::include_migrations)) to the pool's
    /// database, as [`Connection::migrate`](crate::blocking::Connection::migrate)
    /// does: each in a transaction of its own, under an advisory lock, so
    /// replicas starting at once apply each migration once. What ran.
    ///
    /// The migrator is blocking: it runs on a connection of its own, on a
    /// thread of its own, so awaiting it never blocks the runtime.
    ///
    /// ```no_run
    /// static MIGRATIONS: pg_sections::migrate::Migrations =
    ///     pg_sections::migrate::Migrations::embedded(&[]);
    ///
    /// # async fn run() -> pg_sections::Result<()> {
    /// let pool = pg_sections::Pool::connect("postgres://app@localhost/shop").await?;
    /// pool.migrate(&MIGRATIONS).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`Connection::migrate`](crate::blocking::Connection::migrate).
    pub async fn migrate(
        &self,
        migrations: &'static crate::migrate::Migrations,
    ) -> Result<Vec<crate::migrate::Applied>> {
        self.migrate_with(migrations, crate::migrate::Options::new())
            .await
    }

    /// [`Pool::migrate`] with [`Options`](crate::migrate::Options).
    ///
    /// # Errors
    /// As [`Pool::migrate`].
    pub async fn migrate_with(
        &self,
        migrations: &'static crate::migrate::Migrations,
        options: crate::migrate::Options,
    ) -> Result<Vec<crate::migrate::Applied>> {
        self.on_a_connection_of_its_own("the migrations", move |conn| {
            conn.migrate_with(migrations, &options)
        })
        .await
    }

    /// Applies the sections' seeds that `migrations` embeds and that are
    /// new or changed (see [`crate::seed`]), once all its migrations are
    /// applied: on a connection and a thread of its own, as
    /// [`Pool::migrate`].
    ///
    /// # Errors
    /// As [`Connection::seed`](crate::blocking::Connection::seed).
    pub async fn seed(
        &self,
        migrations: &'static crate::migrate::Migrations,
    ) -> Result<Vec<crate::seed::Seeded>> {
        self.on_a_connection_of_its_own("the seeds", move |conn| conn.seed(migrations))
            .await
    }

    /// Runs `work` on a blocking connection of its own, on a thread of its
    /// own (`what` names the work in errors).
    async fn on_a_connection_of_its_own<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&crate::blocking::Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let target = Arc::clone(&self.target);
        let (sender, receiver) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("pg-sections migrate".to_owned())
            .spawn(move || {
                let done =
                    crate::blocking::Connection::connect(&target).and_then(|conn| work(&conn));
                // The receiver is gone when the caller stopped waiting.
                let _ = sender.send(done);
            })
            .map_err(|error| Error::Pool {
                message: format!("cannot start the thread that runs {what}: {error}"),
            })?;
        receiver.await.unwrap_or_else(|_| {
            Err(Error::Pool {
                message: format!("the thread that ran {what} ended without an answer"),
            })
        })
    }

    /// Gives `f` the `tokio-postgres` client of one of the pool's
    /// connections, for what the builder does not cover (`COPY`, a
    /// statement of your own). Raw SQL is outside the section rules: it
    /// reaches any table. The pool's connections do not deliver
    /// notifications: `LISTEN` needs a connection of your own.
    ///
    /// The connection goes back to the pool after `f`, so `f` must leave
    /// it as it found it: a transaction `f` began and did not end is
    /// rolled back and the call fails with [`Error::TransactionLeftOpen`]
    /// (run transactions with [`Pool::transaction`], or
    /// [`Transaction::with_client`] inside one). Session settings `f`
    /// changes (`SET`, not `SET LOCAL`) stay on that connection. When the
    /// future is dropped before `f` ends, whatever `f` was running is
    /// cancelled and the connection is not used again.
    ///
    /// ```no_run
    /// # async fn run(pool: pg_sections::Pool) -> Result<(), Box<dyn std::error::Error>> {
    /// let size = pool
    ///     .with_client(async |client| {
    ///         let row = client
    ///             .query_one("SELECT pg_database_size(current_database())", &[])
    ///             .await?;
    ///         Ok::<i64, pg_sections::tokio_postgres::Error>(row.get(0))
    ///     })
    ///     .await??;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::TransactionLeftOpen`]; the pool's errors; the database's
    /// error when the connection's state cannot be read after `f`. What
    /// `f` returns is its own: a `Result` of it comes back inside `Ok`.
    pub async fn with_client<T, F>(&self, f: F) -> Result<T>
    where
        F: for<'c> AsyncFnOnce(&'c Client) -> T,
    {
        let mut conn = self.get().await?;
        let guard = CancelOnDrop(Some(Arc::clone(&conn.canceller)));
        let value = f(&conn.client).await;
        guard.disarm();
        conn.leave_no_transaction().await?;
        Ok(value)
    }

    /// How many connections the pool holds, how many are idle, and how
    /// many statements they have run.
    #[must_use]
    pub fn status(&self) -> PoolStatus {
        let status = self.connections.counts();
        PoolStatus {
            max_size: status.max_size,
            size: status.size,
            idle: status.idle,
            waiting: status.waiting,
            statements: self.statements.load(Ordering::Relaxed),
            replica_reads: self.readers.replica_reads(),
            primary_fallbacks: self.readers.fallbacks.load(Ordering::Relaxed),
        }
    }

    /// Runs a read on a replica: the answer, or `None` when the primary
    /// must answer (no replica, pinned to the primary, or none ready or
    /// left after failures, counted as a fallback).
    async fn read<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        timeout: Option<Duration>,
    ) -> Option<Result<A>> {
        if self.primary_only || !self.readers.any() {
            return None;
        }
        while let Some(replica) = self.readers.pick().await {
            let outcome = run_relearning(
                &replica.connections,
                &replica.url,
                table,
                sql,
                params,
                timeout,
            )
            .await;
            match outcome.as_ref().map_err(after_failure) {
                Err(AfterFailure::Lost) => {
                    replica.lost(outcome.as_ref().err()?);
                }
                Err(AfterFailure::Conflict) => break,
                Ok(_) | Err(AfterFailure::Keep) => {
                    replica.answered();
                    return Some(outcome);
                }
            }
        }
        self.readers.fallbacks.fetch_add(1, Ordering::Relaxed);
        None
    }

    /// A connection for a read that runs on it alone (a stream's): a
    /// replica's when one is ready and reachable, else the primary's
    /// (counted as a fallback when a replica could have served it).
    async fn reader(&self, read: bool) -> Result<Object> {
        if read && !self.primary_only && self.readers.any() {
            while let Some(replica) = self.readers.pick().await {
                match replica.connections.get(&replica.url).await {
                    Ok(conn) => {
                        replica.answered();
                        return Ok(conn);
                    }
                    Err(error) => replica.lost(&error),
                }
            }
            self.readers.fallbacks.fetch_add(1, Ordering::Relaxed);
        }
        self.get().await
    }

    /// A connection to the primary.
    async fn get(&self) -> Result<Object> {
        self.connections.get(&self.url).await
    }
}

/// Runs one statement outside a transaction on a connection of
/// `connections` (to `url`, for messages), and once more on a fresh one
/// when the first had to learn a type created after it opened (nothing of
/// it ran; that connection is discarded).
async fn run_relearning<A: Answer>(
    connections: &Connections,
    url: &str,
    table: &'static str,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    timeout: Option<Duration>,
) -> Result<A> {
    let conn = connections.checkout(url).await?;
    let mut outcome = conn.run(table, sql, params, true, timeout).await;
    if outcome.is_err() && conn.relearn.load(Ordering::Acquire) {
        drop(conn);
        let conn = connections.checkout(url).await?;
        outcome = conn.run(table, sql, params, true, timeout).await;
        connections.give_back(conn);
        return outcome;
    }
    connections.give_back(conn);
    outcome
}

/// The counts of a [`Pool`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// The most connections it opens.
    pub max_size: usize,
    /// Connections open now.
    pub size: usize,
    /// Open connections no query holds.
    pub idle: usize,
    /// Queries waiting for a connection.
    pub waiting: usize,
    /// Statements its connections have run so far: each query (each of a
    /// batch), and the `DECLARE` and each `FETCH` of a stream; not
    /// `BEGIN`, `COMMIT` and the like. Two readings bracket a piece of
    /// work to count its round trips, as a test against N+1 queries does.
    /// Replicas' statements count too.
    pub statements: u64,
    /// Reads the replicas answered ([`PoolOptions::replica`]).
    pub replica_reads: u64,
    /// Reads a replica would have answered, which the primary answered
    /// because no replica could: each down or too far behind, or the
    /// read's replica failing under it. Zero without replicas.
    pub primary_fallbacks: u64,
}

/// A transaction of [`Pool::transaction`]: one connection, held until the
/// transaction ends, on which it opens handles of any section.
///
/// Statements awaited together (`join!`, `try_join!`) pipeline on the
/// connection: each is sent without waiting for the answer to the one
/// before, so independent reads share round trips, in order.
#[derive(Clone)]
pub struct Transaction {
    state: Arc<TransactionState>,
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction").finish_non_exhaustive()
    }
}

impl Transaction {
    /// Runs `f` in a transaction nested in this one (a savepoint): commits
    /// into this transaction when it returns `Ok`, rolls back to the
    /// savepoint when it returns `Err`, and this transaction goes on
    /// either way. Run a statement whose failure you expect in one, and
    /// the outer work survives it.
    ///
    /// As with [`Pool::transaction`], a statement that failed inside makes
    /// `f`'s `Ok` an [`Error::TransactionAborted`] (rolled back to the
    /// savepoint). Dropped before it ends, it rolls this transaction back
    /// too: what the savepoint holds is not known. While it runs, every
    /// statement on the connection (this transaction's handles' too) runs
    /// inside it.
    ///
    /// # Errors
    /// `f`'s error; [`Error::TransactionAborted`] as above; the database's
    /// error when a savepoint cannot be set, released or rolled back to
    /// (this transaction is then aborted too); [`Error::TransactionClosed`]
    /// when this transaction has ended.
    pub async fn transaction<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(Transaction) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let outer = &self.state;
        let depth = outer.depth + 1;
        let savepoint = format!("pg_sections_nested_{depth}");
        if outer.is_closed() {
            return Err(Error::TransactionClosed.into());
        }
        if outer
            .nested_open
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Err(Error::NestedTransactionOpen.into());
        }
        let _nested = NestedOpen(outer);
        {
            let mut conn = outer.exclusive().await?;
            let conn = outer.open(&mut conn)?;
            conn.control(&format!("SAVEPOINT {savepoint}"))
                .await
                .inspect_err(|error| outer.note_failure("", "SAVEPOINT", error))?;
        }
        let inner = Arc::new(TransactionState {
            conn: Arc::clone(&outer.conn),
            canceller: Arc::clone(&outer.canceller),
            abandoned: Arc::clone(&outer.abandoned),
            nested_open: AtomicBool::new(false),
            streams: Arc::clone(&outer.streams),
            aborted: std::sync::Mutex::new(None),
            statement_timeout: outer.statement_timeout,
            ended: AtomicBool::new(false),
            depth,
            parent: Some(Arc::clone(outer)),
            database_url_env: outer.database_url_env.clone(),
        });
        let abandoned = NestedAbandoned(Some((Arc::clone(outer), Arc::clone(&inner))));
        let outcome = f(Transaction {
            state: Arc::clone(&inner),
        })
        .await;
        abandoned.finished();
        inner.ended.store(true, Ordering::Release);
        if inner.nested_open.load(Ordering::Acquire) {
            // A transaction nested in this one runs on (a spawned task's):
            // releasing this savepoint takes its savepoint too, so what it
            // does can no longer be undone on its own.
            outer.abort_all(
                "a nested transaction was still running when the transaction around it ended",
            );
        }
        let mut conn = outer.conn.write().await;
        let conn = match outer.open(&mut conn) {
            Ok(conn) => conn,
            Err(error) => {
                // The level around this one ended first, its savepoint and
                // this one's with it: what this one did cannot be undone.
                outer.abort_all(
                    "a nested transaction outlived the transaction around it, so its work could not be rolled back to its savepoint",
                );
                return Err(error.into());
            }
        };
        let aborted = inner.take_abort(conn, "the nested transaction");
        let rollback = format!("ROLLBACK TO SAVEPOINT {savepoint}; RELEASE SAVEPOINT {savepoint}");
        let ended = match (&outcome, aborted) {
            (Ok(_), None) => {
                conn.control(&format!("RELEASE SAVEPOINT {savepoint}"))
                    .await
            }
            (Ok(_), Some(cause)) => conn
                .control(&rollback)
                .await
                .and(Err(Error::TransactionAborted { cause })),
            (Err(_), _) => conn.control(&rollback).await,
        };
        if let Err(error) = &ended {
            outer.note_failure("", "RELEASE SAVEPOINT", error);
        }
        match outcome {
            Ok(value) => ended.map(|()| value).map_err(E::from),
            Err(error) => Err(error),
        }
    }

    /// Gives `f` the `tokio-postgres` client of this transaction's
    /// connection, for what the builder does not cover; what `f` runs is
    /// part of the transaction. Raw SQL is outside the section rules: it
    /// reaches any table. `f` has the connection to itself: the
    /// transaction's other statements wait for it.
    ///
    /// The runtime cannot see the errors of statements `f` runs, so it
    /// reads the transaction's state after `f`: a statement of `f` that
    /// failed aborted the transaction, which then ends as
    /// [`Error::TransactionAborted`] however `f` went on. Do not begin or
    /// end transactions in `f` (use [`Transaction::transaction`] for a
    /// savepoint).
    ///
    /// # Errors
    /// [`Error::TransactionEnded`] when `f` ended the transaction (a
    /// `COMMIT`, `ROLLBACK` or `BEGIN` of its own; the transaction is then
    /// rolled back at its end, and what was committed stays);
    /// [`Error::TransactionClosed`] when the transaction has ended; the
    /// database's error when the transaction is aborted already. What `f`
    /// returns is its own: a `Result` of it comes back inside `Ok`.
    pub async fn with_client<T, F>(&self, f: F) -> Result<T>
    where
        F: for<'c> AsyncFnOnce(&'c Client) -> T,
    {
        const MARK: &str = "SELECT set_config('pg_sections.transaction', $1, true)";
        const READ: &str = "SELECT current_setting('pg_sections.transaction', true)";
        let state = &self.state;
        // Alone on the connection: what `f` runs may change the
        // transaction under any statement beside it.
        let mut conn = state.exclusive().await?;
        let conn = state.open(&mut conn)?;
        let token = format!(
            "{}.{}",
            std::process::id(),
            MARKS.fetch_add(1, Ordering::Relaxed)
        );
        conn.client
            .query(MARK, &[&token])
            .await
            .map_err(|error| Error::database("", MARK, error))
            .inspect_err(|error| state.note_failure("", MARK, error))?;
        let guard = CancelOnDrop(Some(Arc::clone(&conn.canceller)));
        let value = f(&conn.client).await;
        guard.disarm();
        state.unless_abandoned(Ok(()))?;
        match conn.client.query_one(READ, &[]).await {
            Ok(row) if row.get::<_, Option<String>>(0).as_deref() == Some(token.as_str()) => {
                Ok(value)
            }
            Ok(_) => {
                state.abort(
                    "raw SQL run through `with_client` ended the transaction (a COMMIT, ROLLBACK or BEGIN of its own)"
                        .to_owned(),
                );
                Err(Error::TransactionEnded)
            }
            Err(error) if error.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION) => {
                state.abort(
                    "a statement run through `with_client` failed (its error went to the closure, not to the runtime)"
                        .to_owned(),
                );
                Ok(value)
            }
            Err(error) => {
                let error = Error::database("", READ, error);
                state.note_failure("", READ, &error);
                Err(error)
            }
        }
    }

    /// A handle for section `S` whose queries run in this transaction.
    #[must_use]
    pub fn db<S: Section>(&self) -> Db<S> {
        self.handle(None)
    }

    /// A handle of tenant `name` of section `S` in this transaction, as
    /// [`Pool::tenant`] gives one.
    ///
    /// # Errors
    /// As [`Pool::tenant`].
    pub fn tenant<S: Section>(&self, name: &str) -> Result<Db<S>> {
        let tenant = TenantSchema::new(S::NAME, S::SCHEMA, S::TENANT, name)?;
        Ok(self.handle(Some(Arc::new(tenant))))
    }

    /// A handle of section `S` in this transaction, of `tenant` when given.
    fn handle<S: Section>(&self, tenant: Option<Arc<TenantSchema>>) -> Db<S> {
        Db {
            source: Source::Transaction(Arc::clone(&self.state))
                .unless_elsewhere::<S>(self.state.database_url_env.as_ref(), "transaction")
                .unless_template::<S>(tenant.as_ref()),
            statement_timeout: self.state.statement_timeout,
            tenant,
            section: PhantomData,
        }
    }
}

/// The transaction of a [`Pool::transaction`] whose future was dropped
/// before `f` ended: its connection is closed at once, so the server rolls
/// it back and releases its locks now, not when the pool next hands the
/// connection out.
struct Abandoned(Option<Arc<TransactionState>>);

impl Abandoned {
    /// `f` ended: the transaction is ended in the open.
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        let Some(state) = self.0.take() else {
            return;
        };
        // Handles kept elsewhere (a spawned task's) find it closed, at
        // every level, rather than run on in a transaction that is over.
        state.abandoned.store(true, Ordering::Release);
        state.ended.store(true, Ordering::Release);
        match state.conn.try_write() {
            Ok(mut conn) => {
                if let Some(conn) = conn.take() {
                    drop(managed::Object::take(conn));
                }
            }
            // A statement of such a handle is running: it is cancelled,
            // so it fails rather than report work that will not be
            // committed, and the connection is discarded once it lets go.
            Err(_) => Arc::clone(&state.canceller).cancel(),
        }
    }
}

/// Marks a level's nested transaction open until it ends, however it
/// ends.
struct NestedOpen<'a>(&'a TransactionState);

impl Drop for NestedOpen<'_> {
    fn drop(&mut self) {
        self.0.nested_open.store(false, Ordering::Release);
    }
}

/// A nested transaction whose future was dropped before `f` ended: its
/// handles close, and the transaction around it is rolled back at its end,
/// since what the savepoint holds is not known.
struct NestedAbandoned(Option<(Arc<TransactionState>, Arc<TransactionState>)>);

impl NestedAbandoned {
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for NestedAbandoned {
    fn drop(&mut self) {
        if let Some((outer, inner)) = self.0.take() {
            inner.ended.store(true, Ordering::Release);
            outer.abort(
                "a nested transaction was abandoned before it ended (its future dropped)"
                    .to_owned(),
            );
        }
    }
}

pub(crate) struct TransactionState {
    /// The connection, until the transaction ends; shared by its nested
    /// transactions. Statements share it (read), so independent ones
    /// pipeline on it; whatever must run alone (a savepoint and what it
    /// holds, the transaction's end) takes it whole (write).
    conn: Arc<tokio::sync::RwLock<Option<Object>>>,
    /// Streams open on the connection, each holding a share of it until it
    /// is dropped; shared by the nested transactions.
    streams: Arc<AtomicUsize>,
    /// What cancels the statement running on the connection.
    canceller: Arc<Canceller>,
    /// The whole transaction was abandoned (its future dropped): it will
    /// not commit, so a statement that ends after that reports so rather
    /// than its result. Shared by the nested transactions.
    abandoned: Arc<AtomicBool>,
    /// A transaction nested in this level is open: savepoints nest, so a
    /// second one beside it is refused.
    nested_open: AtomicBool,
    /// The first failure that aborted the transaction (or, nested, rolled
    /// it back to its savepoint).
    aborted: std::sync::Mutex<Option<String>>,
    /// The statement timeout of its handles.
    statement_timeout: Option<Duration>,
    /// This level ended: its handles are closed.
    ended: AtomicBool,
    /// 0 for the transaction, `n` for a transaction nested `n` deep.
    depth: usize,
    /// The level this one is nested in: when it ends, this one's
    /// savepoint is gone with it, so this one is closed too.
    parent: Option<Arc<TransactionState>>,
    /// Its pool's database variable ([`Pool::database_url_env`]).
    database_url_env: Option<Arc<str>>,
}

/// An async handle that runs only queries of section `S`, over a [`Pool`]
/// or in a [`Transaction`].
///
/// The rule is the blocking handle's: every query carries its table, and
/// running it requires the table to belong to `S`. Queries give futures:
/// `query.fetch_all(&db).await`. Handles are cheap to clone and
/// `Send + Sync + 'static`.
pub struct Db<S: Section> {
    source: Source,
    statement_timeout: Option<Duration>,
    /// The tenant whose schema it runs on, for a tenant template's handle.
    tenant: Option<Arc<TenantSchema>>,
    section: PhantomData<fn() -> S>,
}

impl<S: Section> Clone for Db<S> {
    fn clone(&self) -> Self {
        Self {
            source: self.source.clone(),
            statement_timeout: self.statement_timeout,
            tenant: self.tenant.clone(),
            section: PhantomData,
        }
    }
}

impl<S: Section> Db<S> {
    /// This handle with a limit on each statement it runs: a statement
    /// still running after `timeout` fails with
    /// [`Error::StatementTimeout`], the server is sent a cancel request for
    /// it, and its connection is discarded (in a transaction, the
    /// transaction fails with it). `None` lifts the limit. Handles start
    /// with their pool's ([`PoolOptions::statement_timeout`]).
    ///
    /// The time counts from when the statement is prepared (when its
    /// connection has not prepared it yet) or sent, not while the query
    /// waits for a free connection ([`PoolOptions::wait_timeout`] bounds
    /// that).
    #[must_use]
    pub fn statement_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.statement_timeout = timeout;
        self
    }

    /// This handle with its reads on the primary, for read-your-writes
    /// over a pool with replicas ([`PoolOptions::replica`]): a row it
    /// wrote is there for its next read, which a replica may not have
    /// replayed yet. A transaction's handles are on the primary already.
    #[must_use]
    pub fn primary(mut self) -> Self {
        if let Source::Pool(pool) = &self.source {
            self.source = Source::Pool(pool.primary());
        }
        self
    }
}

impl<S: Section> std::fmt::Debug for Db<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db<{}>", S::NAME)
    }
}

impl<S: Section> crate::SectionItem for Db<S> {
    type Section = S;
}

impl<S: Section, T: InSection<S>> Runs<T> for Db<S> {
    type Mode = Async;

    fn executor(&self, _: Sealed) -> Executor<'_> {
        Executor(Kind::Pooled {
            source: &self.source,
            timeout: self.statement_timeout,
            tenant: self.tenant.as_deref(),
        })
    }
}

/// Running a query gives a [`QueryFuture`] to `.await`: the mode of the
/// async [`Db`], which runs on a [`Pool`] or a [`Transaction`].
#[derive(Debug, Clone, Copy)]
pub enum Async {}

impl Mode for Async {
    type Output<'a, R: Send + 'a> = QueryFuture<'a, R>;

    fn drive<'a, R: Send + 'a>(
        work: impl Future<Output = Result<R>> + Send + 'a,
        _: Sealed,
    ) -> QueryFuture<'a, R> {
        QueryFuture(Box::pin(work))
    }
}

/// A query running on an async handle: `.await` it for its result.
#[must_use = "a query does nothing until it is awaited"]
pub struct QueryFuture<'a, R>(Pin<Box<dyn Future<Output = Result<R>> + Send + 'a>>);

impl<R> Future for QueryFuture<'_, R> {
    type Output = Result<R>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<R>> {
        self.0.as_mut().poll(cx)
    }
}

impl<R> std::fmt::Debug for QueryFuture<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QueryFuture")
    }
}

/// Where an async handle's queries run.
#[derive(Clone)]
pub(crate) enum Source {
    Pool(Pool),
    Transaction(Arc<TransactionState>),
    /// Nowhere: every query of the handle is this refusal.
    Refused(Refusal),
}

/// Why a handle runs nothing.
#[derive(Clone)]
pub(crate) enum Refusal {
    /// Its section is in another database than the pool's or
    /// transaction's it came from.
    OtherDatabase {
        section: &'static str,
        section_database: &'static str,
        database: Arc<str>,
        of: &'static str,
    },
    /// Its section is a tenant template, whose schema never exists.
    Template { section: &'static str },
}

impl Source {
    /// This source, or a refusal when section `S` is in another database
    /// than `database` (when known).
    fn unless_elsewhere<S: Section>(self, database: Option<&Arc<str>>, of: &'static str) -> Self {
        match database {
            Some(database) if **database != *S::DATABASE_URL_ENV => {
                Self::Refused(Refusal::OtherDatabase {
                    section: S::NAME,
                    section_database: S::DATABASE_URL_ENV,
                    database: Arc::clone(database),
                    of,
                })
            }
            _ => self,
        }
    }

    /// This source, or a refusal when section `S` is a tenant template
    /// and the handle is of no tenant.
    fn unless_template<S: Section>(self, tenant: Option<&Arc<TenantSchema>>) -> Self {
        if S::TENANT && tenant.is_none() {
            Self::Refused(Refusal::Template { section: S::NAME })
        } else {
            self
        }
    }

    /// The error of a refused source (of no other).
    fn refusal(&self) -> Error {
        match self {
            Self::Refused(Refusal::OtherDatabase {
                section,
                section_database,
                database,
                of,
            }) => Error::OtherDatabase {
                section,
                section_database,
                database: database.to_string(),
                of,
            },
            Self::Refused(Refusal::Template { section }) => Error::TenantTemplate { section },
            Self::Pool(_) | Self::Transaction(_) => Error::Pool {
                message: "BUG: a handle's source refused without cause".to_owned(),
            },
        }
    }

    /// Runs one statement; on a replica when it is a `read` and the pool
    /// has one ready.
    pub(crate) async fn run<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        timeout: Option<Duration>,
        read: bool,
    ) -> Result<A> {
        check_parameters(table, params.len())?;
        match self {
            Self::Refused(_) => Err(self.refusal()),
            Self::Pool(pool) => {
                if read && let Some(answer) = pool.read(table, sql, params, timeout).await {
                    return answer;
                }
                run_relearning(&pool.connections, &pool.url, table, sql, params, timeout).await
            }
            Self::Transaction(state) => {
                let conn = state.conn.read().await;
                let conn = state.open_shared(conn.as_ref())?;
                let outcome = conn.run(table, sql, params, false, timeout).await;
                if let Err(error) = &outcome {
                    state.note_failure(table, sql, error);
                }
                state.unless_abandoned(outcome)
            }
        }
    }

    /// Runs several statements all-or-nothing: in a transaction of their
    /// own on a pooled connection, in a savepoint inside a transaction.
    pub(crate) async fn run_all<A: Answer>(
        &self,
        table: &'static str,
        statements: &[(String, Params<'_>)],
        timeout: Option<Duration>,
    ) -> Result<Vec<A>> {
        for (_, params) in statements {
            check_parameters(table, params.len())?;
        }
        match self {
            Self::Refused(_) => Err(self.refusal()),
            Self::Pool(pool) => {
                let mut conn = pool.get().await?;
                conn.in_transaction = true;
                conn.control("BEGIN").await?;
                let outcome = conn.run_each(table, statements, timeout).await;
                let ended = conn
                    .control(if outcome.is_ok() {
                        "COMMIT"
                    } else {
                        "ROLLBACK"
                    })
                    .await;
                if ended.is_ok() {
                    conn.in_transaction = false;
                }
                // A statement's error comes first; a connection that could
                // not roll back is discarded by the pool.
                let answers = outcome?;
                ended.map(|()| answers)
            }
            Self::Transaction(state) => {
                // Alone on the connection: a statement pipelined beside
                // these would run inside their savepoint.
                let mut conn = state.exclusive().await?;
                let conn = state.open(&mut conn)?;
                conn.control("SAVEPOINT pg_sections_statements").await?;
                let outcome = conn.run_each(table, statements, timeout).await;
                if let Err(error @ Error::StatementTimeout { .. }) = &outcome {
                    // Its cancel may land on whatever runs next: the
                    // transaction is lost, not brought back.
                    state.note_failure(table, "", error);
                    return outcome;
                }
                let undone = if outcome.is_err() {
                    conn.control("ROLLBACK TO SAVEPOINT pg_sections_statements")
                        .await
                } else {
                    Ok(())
                };
                let released = conn
                    .control("RELEASE SAVEPOINT pg_sections_statements")
                    .await;
                if let Err(error) = undone.and(released) {
                    // The transaction could not be brought back.
                    state.note_failure(table, "RELEASE SAVEPOINT pg_sections_statements", &error);
                    outcome?;
                    return Err(error);
                }
                state.unless_abandoned(outcome)
            }
        }
    }
}

impl TransactionState {
    /// The connection, while this level is open.
    fn open<'c>(&self, conn: &'c mut Option<Object>) -> Result<&'c mut PooledConnection> {
        if self.is_closed() {
            return Err(Error::TransactionClosed);
        }
        conn.as_deref_mut().ok_or(Error::TransactionClosed)
    }

    /// The outcome of a statement that just ended, unless the transaction
    /// was abandoned meanwhile: done, or not, in a transaction that will
    /// not commit, it reports the transaction closed.
    fn unless_abandoned<T>(&self, outcome: Result<T>) -> Result<T> {
        if self.abandoned.load(Ordering::Acquire) {
            Err(Error::TransactionClosed)
        } else {
            outcome
        }
    }

    /// This level, or a level it is nested in (up to the whole
    /// transaction), ended.
    fn is_closed(&self) -> bool {
        self.ended.load(Ordering::Acquire)
            || self
                .parent
                .as_ref()
                .is_some_and(|parent| parent.is_closed())
    }

    /// Records `cause` on this level and every level around it: work of
    /// unknown fate reached the whole transaction.
    fn abort_all(&self, cause: &str) {
        self.abort(cause.to_owned());
        if let Some(parent) = &self.parent {
            parent.abort_all(cause);
        }
    }

    /// The connection to itself, for what must run alone. Refused while a
    /// stream of the transaction is open: the stream holds its share until
    /// it is dropped, so waiting for it from the code that reads it would
    /// never end.
    async fn exclusive(&self) -> Result<tokio::sync::RwLockWriteGuard<'_, Option<Object>>> {
        if self.streams.load(Ordering::Acquire) > 0 {
            return Err(Error::StreamOpen);
        }
        Ok(self.conn.write().await)
    }

    /// The connection, while this level is open, shared with the other
    /// statements running on it.
    fn open_shared<'c>(&self, conn: Option<&'c Object>) -> Result<&'c PooledConnection> {
        if self.is_closed() {
            return Err(Error::TransactionClosed);
        }
        conn.map(|conn| &**conn).ok_or(Error::TransactionClosed)
    }

    /// Records the first statement that aborted the transaction.
    fn note_failure(&self, table: &'static str, sql: &str, error: &Error) {
        let cause = match error {
            Error::Database { source, .. } if source.code().is_some() => {
                crate::connection::describe(table, sql, source)
            }
            // Cancelled on the server, which aborts the transaction.
            Error::StatementTimeout { .. } => error.to_string(),
            _ => return,
        };
        self.abort(cause);
    }

    /// Records `cause` as what aborted the transaction, unless a cause
    /// came first.
    fn abort(&self, cause: String) {
        self.aborted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_or_insert(cause);
    }

    /// Why this level must not commit, as it ends on `conn`: the first
    /// failure recorded, or a statement whose future was dropped mid-flight
    /// (it may have failed, or been cancelled, and aborted `what` unseen).
    fn take_abort(&self, conn: &PooledConnection, what: &str) -> Option<String> {
        let recorded = self
            .aborted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        recorded.or_else(|| {
            conn.canceller
                .interrupted
                .load(Ordering::Acquire)
                .then(|| {
                    format!(
                        "a statement of {what} was abandoned before it ended (its future dropped) and cancelled"
                    )
                })
        })
    }
}

/// Opens and recycles the pool's connections.
pub(crate) struct Manager {
    config: tokio_postgres::Config,
    /// The TLS the URL asks for.
    tls: crate::tls::Tls,
    /// The URL, password masked.
    url: String,
    /// The connect timeout of each host.
    timeout: Duration,
    /// How long one connection attempt may take over every host.
    attempt_limit: Duration,
    statement_cache: usize,
    mode: StatementMode,
    /// Statements run on any of its connections.
    statements: Arc<AtomicU64>,
}

/// A pooled connection: the client, its statement cache, and whether a
/// transaction is open on it.
pub(crate) struct PooledConnection {
    pub(crate) client: Client,
    /// Locked only between awaits: statements pipelined on the connection
    /// share it.
    cache: std::sync::Mutex<StatementCache<Statement>>,
    /// How it sends statements.
    mode: StatementMode,
    /// In [`StatementMode::Unnamed`], the parameter types of each
    /// statement it ran (locked as `cache` is).
    types: std::sync::Mutex<StatementCache<Arc<[Type]>>>,
    /// Learning a statement's types failed for a type created after it
    /// opened: it serves no one again, and the statement, which did not
    /// run, may run on a fresh connection.
    relearn: AtomicBool,
    /// The pool's count of statements run.
    statements: Arc<AtomicU64>,
    /// A transaction began and has not ended: a pooled connection given
    /// back in that state (its future dropped) is rolled back before it
    /// serves again.
    in_transaction: bool,
    /// Cancels the running statement on the server when its future is
    /// dropped.
    canceller: Arc<Canceller>,
}

/// What cancels a connection's running statement on the server.
struct Canceller {
    token: tokio_postgres::CancelToken,
    tls: crate::tls::Tls,
    /// A statement was abandoned: the connection is not reused.
    interrupted: AtomicBool,
}

/// Armed while a statement runs: dropped armed (its future dropped, or
/// timed out), it marks the connection interrupted and sends the server a
/// cancel request.
struct CancelOnDrop(Option<Arc<Canceller>>);

impl CancelOnDrop {
    /// The statement ended: nothing to cancel.
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(canceller) = self.0.take() {
            canceller.cancel();
        }
    }
}

impl Canceller {
    /// Marks the connection interrupted (never reused) and sends the server
    /// a cancel request for whatever runs on it.
    fn cancel(self: Arc<Self>) {
        self.interrupted.store(true, Ordering::Release);
        // Outside a runtime (one shutting down) nothing can be sent; the
        // connection is dropped with the pool's object all the same.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                // A cancel that fails (the server gone) has nothing left
                // to cancel.
                let _ = self.token.cancel_query(self.tls.clone()).await;
            });
        }
    }
}

impl managed::Manager for Manager {
    type Type = PooledConnection;
    type Error = Error;

    async fn create(&self) -> Result<PooledConnection> {
        // Boxed: opening a connection (the TLS handshake, learning types)
        // makes a future of kilobytes, and every checkout's future would
        // carry it inline, moved and touched on each query.
        Box::pin(self.open()).await
    }

    async fn recycle(&self, conn: &mut PooledConnection, _: &Metrics) -> RecycleResult<Error> {
        if conn.client.is_closed() {
            return Err(RecycleError::message("the server closed the connection"));
        }
        if conn.canceller.interrupted.load(Ordering::Acquire) {
            // A statement was abandoned mid-flight and cancelled: the
            // cancel could still land on the next one, so the connection
            // serves no one again.
            return Err(RecycleError::message(
                "a statement on it was abandoned and cancelled",
            ));
        }
        if conn.in_transaction {
            // Given back mid-transaction: rolled back, unless the server
            // stopped answering, and then discarded. Boxed, as `create`
            // is: the common path stays a few bytes.
            Box::pin(tokio::time::timeout(self.timeout, conn.control("ROLLBACK")))
                .await
                .map_err(|_| RecycleError::message("the rollback before reuse timed out"))?
                .map_err(RecycleError::Backend)?;
            conn.in_transaction = false;
        }
        Ok(())
    }
}

impl Manager {
    /// A new connection of the pool, its I/O task spawned.
    async fn open(&self) -> Result<PooledConnection> {
        // Boxed: the TLS handshake's future is large.
        let connect = Box::pin(self.config.connect(self.tls.clone()));
        let (client, connection) = match tokio::time::timeout(self.attempt_limit, connect).await {
            Ok(connected) => connected.map_err(|source| Error::Connect {
                url: self.url.clone(),
                source,
            })?,
            Err(_) => {
                return Err(Error::ConnectTimeout {
                    url: self.url.clone(),
                    timeout: self.timeout,
                });
            }
        };
        // The connection's I/O runs as a task of its own; it ends when the
        // client is dropped or the server closes the connection.
        tokio::spawn(async move {
            // Its error reaches the client's next call.
            let _ = connection.await;
        });
        if self.mode == StatementMode::Unnamed {
            crate::unnamed::learn_database_types(&client)
                .await
                .map_err(|error| {
                    Error::database("", "(learning the types of the database)", error)
                })?;
        }
        Ok(PooledConnection {
            canceller: Arc::new(Canceller {
                token: client.cancel_token(),
                tls: self.tls.clone(),
                interrupted: AtomicBool::new(false),
            }),
            client,
            cache: std::sync::Mutex::new(StatementCache::new(self.statement_cache)),
            mode: self.mode,
            types: std::sync::Mutex::new(StatementCache::new(self.statement_cache)),
            relearn: AtomicBool::new(false),
            statements: Arc::clone(&self.statements),
            in_transaction: false,
        })
    }
}

impl PooledConnection {
    /// Ready for the next query as it is: open, outside a transaction,
    /// nothing abandoned on it (a type learned too late counts: see
    /// `failure`). [`Manager::recycle`] deals with the rest.
    pub(crate) fn ready(&self) -> bool {
        !self.in_transaction
            && !self.canceller.interrupted.load(Ordering::Acquire)
            && !self.client.is_closed()
    }

    /// Runs `sql` with its statement prepared once per connection. A cached
    /// statement that went stale (its table altered, or gone from the
    /// server) is prepared again, and run once more when `retry` (outside a
    /// transaction, where the failed attempt had no effect).
    async fn attempt<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        retry: bool,
    ) -> Result<A> {
        if self.mode == StatementMode::Unnamed {
            return self.attempt_unnamed(table, sql, params, retry).await;
        }
        let failure = |error| Error::database(table, sql, error);
        let (statement, hit) = self.prepared(sql).await.map_err(failure)?;
        self.statements.fetch_add(1, Ordering::Relaxed);
        match A::pooled(&self.client, &statement, params).await {
            Ok(answer) => Ok(answer),
            Err(error) if hit && is_stale(&error) => {
                self.cache().evict(sql);
                if !retry {
                    return Err(failure(error));
                }
                let statement = self.client.prepare(sql).await.map_err(failure)?;
                self.cache().insert(sql, statement.clone());
                self.statements.fetch_add(1, Ordering::Relaxed);
                A::pooled(&self.client, &statement, params)
                    .await
                    .map_err(failure)
            }
            Err(error) => Err(failure(error)),
        }
    }

    /// [`PooledConnection::attempt`] in [`StatementMode::Unnamed`]: one
    /// round trip once the parameter types of `sql` are known (learned in a
    /// transaction of their own when `outside` one).
    async fn attempt_unnamed<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        outside: bool,
    ) -> Result<A> {
        let (types, hit) = self.parameter_types(sql, !outside).await.map_err(|error| {
            if crate::unnamed::learned_too_late(&error) {
                self.relearn.store(true, Ordering::Release);
            }
            self.failure(table, sql, error)
        })?;
        self.statements.fetch_add(1, Ordering::Relaxed);
        let bound: Vec<(&(dyn ToSql + Sync), Type)> =
            params.iter().copied().zip(types.iter().cloned()).collect();
        A::unnamed(&self.client, sql, &bound)
            .await
            .map_err(|error| {
                if hit {
                    // Learned again next time: the table may have changed.
                    self.types().evict(sql);
                }
                self.failure(table, sql, error)
            })
    }

    /// The parameter types of `sql` in [`StatementMode::Unnamed`], learned
    /// once per connection; whether they came from the cache.
    async fn parameter_types(
        &self,
        sql: &str,
        in_transaction: bool,
    ) -> std::result::Result<(Arc<[Type]>, bool), tokio_postgres::Error> {
        let cached = self.types().lookup(sql);
        if let Some(types) = cached {
            return Ok((types, true));
        }
        let types = crate::unnamed::parameter_types(&self.client, sql, in_transaction).await?;
        self.types().insert(sql, Arc::clone(&types));
        Ok((types, false))
    }

    /// The parameter types cache (never held across an await).
    fn types(&self) -> std::sync::MutexGuard<'_, StatementCache<Arc<[Type]>>> {
        self.types
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `error` of `sql` as the caller sees it; a connection that met a type
    /// created after it opened is discarded (see [`crate::unnamed`]).
    fn failure(&self, table: &'static str, sql: &str, error: tokio_postgres::Error) -> Error {
        if crate::unnamed::learned_too_late(&error) {
            self.canceller.interrupted.store(true, Ordering::Release);
        }
        Error::database(table, sql, error)
    }

    /// The statement of `sql`, prepared once per connection; whether it
    /// came from the cache.
    async fn prepared(
        &self,
        sql: &str,
    ) -> std::result::Result<(Statement, bool), tokio_postgres::Error> {
        let cached = self.cache().lookup(sql);
        if let Some(statement) = cached {
            return Ok((statement, true));
        }
        // Two statements pipelined may both prepare it: the later one
        // cached wins, and both are valid.
        let statement = self.client.prepare(sql).await?;
        self.cache().insert(sql, statement.clone());
        Ok((statement, false))
    }

    /// The statement cache, for a lookup or an insert (never held across
    /// an await).
    fn cache(&self) -> std::sync::MutexGuard<'_, StatementCache<Statement>> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `sql` as [`PooledConnection::attempt`] does, cancelled on the
    /// server when it runs longer than `timeout` or its future is dropped.
    async fn run<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        retry: bool,
        timeout: Option<Duration>,
    ) -> Result<A> {
        let guard = CancelOnDrop(Some(Arc::clone(&self.canceller)));
        let work = self.attempt(table, sql, params, retry);
        let outcome = match timeout {
            None => work.await,
            Some(limit) => tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
                Err(Error::StatementTimeout {
                    table,
                    sql: sql.to_owned(),
                    timeout: limit,
                })
            }),
        };
        if matches!(outcome, Err(Error::StatementTimeout { .. })) {
            // Cancels the abandoned statement.
            drop(guard);
        } else {
            guard.disarm();
        }
        outcome
    }

    /// Runs each statement in turn, inside the open transaction.
    async fn run_each<A: Answer>(
        &self,
        table: &'static str,
        statements: &[(String, Params<'_>)],
        timeout: Option<Duration>,
    ) -> Result<Vec<A>> {
        let mut answers = Vec::with_capacity(statements.len());
        for (sql, params) in statements {
            answers.push(self.run(table, sql, params, false, timeout).await?);
        }
        Ok(answers)
    }

    /// After raw SQL on a connection going back to the pool: rolls back a
    /// transaction it left open, as [`Error::TransactionLeftOpen`].
    async fn leave_no_transaction(&mut self) -> Result<()> {
        // Two statements, pipelined: in autocommit the local setting is
        // gone by the second; in an open transaction it is still there (or
        // both fail, the transaction aborted).
        const READ: &str = "SELECT current_setting('pg_sections.with_client', true)";
        // A value of this call's own: a session setting of that name left
        // by raw SQL cannot pass for it.
        let token = format!(
            "{}.{}",
            std::process::id(),
            MARKS.fetch_add(1, Ordering::Relaxed)
        );
        let probe = format!("SELECT set_config('pg_sections.with_client', '{token}', true)");
        let (probe, read) = futures_util::future::join(
            self.client.simple_query(&probe),
            self.client.simple_query(READ),
        )
        .await;
        let open = match (probe, read) {
            (Ok(_), Ok(rows)) => rows.iter().any(|message| {
                matches!(message, tokio_postgres::SimpleQueryMessage::Row(row) if row.get(0) == Some(token.as_str()))
            }),
            (Err(error), _) | (_, Err(error))
                if error.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION) =>
            {
                true
            }
            (Err(error), _) | (_, Err(error)) => {
                // The connection is in no state to serve again.
                self.canceller.interrupted.store(true, Ordering::Release);
                return Err(Error::database("", READ, error));
            }
        };
        if !open {
            return Ok(());
        }
        self.in_transaction = true;
        self.control("ROLLBACK").await?;
        self.in_transaction = false;
        Err(Error::TransactionLeftOpen)
    }

    /// Opens a stream's cursor: `declare`, over `sql` with `params`, in the
    /// transaction open on the connection.
    async fn declare(
        &self,
        table: &'static str,
        sql: &str,
        declare: &str,
        params: &Params<'_>,
    ) -> Result<()> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        let declared = match self.mode {
            StatementMode::Prepared => self.client.execute(declare, params).await,
            StatementMode::Unnamed => match self.parameter_types(sql, true).await {
                Ok((types, _)) => {
                    let bound: Vec<(&(dyn ToSql + Sync), Type)> =
                        params.iter().copied().zip(types.iter().cloned()).collect();
                    self.client.execute_typed(declare, &bound).await
                }
                Err(error) => Err(error),
            },
        };
        declared
            .map(drop)
            .map_err(|error| self.failure(table, sql, error))
    }

    /// Sends a transaction-control statement.
    async fn control(&mut self, sql: &str) -> Result<()> {
        self.client
            .batch_execute(sql)
            .await
            .map_err(|error| Error::database("", sql, error))
    }
}

/// The connection a [`Source::stream`] reads on: a pooled one in a
/// transaction of its own, or its transaction's, held for the stream's
/// life.
enum StreamConn<'a> {
    Pooled(Box<Object>),
    Transaction(
        tokio::sync::RwLockReadGuard<'a, Option<Object>>,
        &'a TransactionState,
    ),
}

impl Drop for StreamConn<'_> {
    fn drop(&mut self) {
        if let Self::Transaction(_, state) = self {
            state.streams.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl StreamConn<'_> {
    fn get(&self) -> &PooledConnection {
        match self {
            Self::Pooled(conn) => conn,
            // Checked to hold the connection when the stream opened.
            Self::Transaction(conn, _) => conn.as_ref().expect("the transaction's connection"),
        }
    }

    /// The transaction the stream reads in is over.
    fn closed(&self) -> bool {
        matches!(self, Self::Transaction(_, state) if state.is_closed())
    }

    /// Records a failure that aborted the transaction the stream reads in.
    fn note_failure(&self, table: &'static str, sql: &str, error: &Error) {
        if let Self::Transaction(_, state) = self {
            state.note_failure(table, sql, error);
        }
    }
}

/// Numbers the markers [`Transaction::with_client`] sets, unique in the
/// process.
static MARKS: AtomicU64 = AtomicU64::new(0);

/// Numbers the streams' cursors, unique in the process: a transaction may
/// hold the cursors of streams dropped before they ended.
static CURSORS: AtomicU64 = AtomicU64::new(0);

/// Where a stream is.
enum Stage<'a> {
    Open,
    Reading {
        conn: StreamConn<'a>,
        /// `FETCH FORWARD {batch} FROM {cursor}`.
        fetch: String,
        rows: std::collections::VecDeque<tokio_postgres::Row>,
        last: bool,
    },
    Done,
}

impl Source {
    /// The rows of `sql`, read `batch` at a time through a cursor: in a
    /// transaction of its own on a pooled connection (committed when the
    /// last row is read, rolled back when the stream is dropped before),
    /// or in the handle's transaction, whose connection it holds until it
    /// ends.
    pub(crate) fn stream<'a>(
        &'a self,
        table: &'static str,
        sql: String,
        params: Params<'a>,
        batch: usize,
        read: bool,
    ) -> impl futures_util::Stream<Item = Result<tokio_postgres::Row>> + Send + 'a {
        // `FETCH` takes a 32-bit count.
        let batch = i32::try_from(batch.max(1)).unwrap_or(i32::MAX);
        futures_util::stream::unfold(
            (Stage::Open, sql, params),
            move |(mut stage, sql, params)| async move {
                // A row already fetched, without a future for it.
                if let Stage::Reading { conn, .. } = &stage
                    && conn.closed()
                {
                    // Its transaction is over: rows read in it, fetched or
                    // not, may never be committed.
                    return Some((Err(Error::TransactionClosed), (Stage::Done, sql, params)));
                }
                if let Stage::Reading { rows, .. } = &mut stage
                    && let Some(row) = rows.pop_front()
                {
                    return Some((Ok(row), (stage, sql, params)));
                }
                // Connecting and fetching: a large future, boxed once a
                // batch so the stream stays small.
                match Box::pin(self.next_row(stage, table, &sql, &params, batch, read)).await {
                    Ok(Some((row, stage))) => Some((Ok(row), (stage, sql, params))),
                    Ok(None) => None,
                    Err(error) => Some((Err(error), (Stage::Done, sql, params))),
                }
            },
        )
    }

    async fn next_row<'a>(
        &'a self,
        mut stage: Stage<'a>,
        table: &'static str,
        sql: &str,
        params: &Params<'_>,
        batch: i32,
        read: bool,
    ) -> Result<Option<(tokio_postgres::Row, Stage<'a>)>> {
        loop {
            stage = match stage {
                Stage::Done => return Ok(None),
                Stage::Open => {
                    check_parameters(table, params.len())?;
                    let conn = match self {
                        Self::Refused(_) => return Err(self.refusal()),
                        Self::Pool(pool) => {
                            let mut conn = pool.reader(read).await?;
                            conn.in_transaction = true;
                            conn.control("BEGIN").await?;
                            StreamConn::Pooled(Box::new(conn))
                        }
                        Self::Transaction(transaction) => {
                            let conn = transaction.conn.read().await;
                            if conn.is_none() || transaction.is_closed() {
                                return Err(Error::TransactionClosed);
                            }
                            transaction.streams.fetch_add(1, Ordering::AcqRel);
                            StreamConn::Transaction(conn, transaction)
                        }
                    };
                    let cursor = format!(
                        "pg_sections_stream_{}",
                        CURSORS.fetch_add(1, Ordering::Relaxed)
                    );
                    let declare = format!("DECLARE {cursor} NO SCROLL CURSOR FOR {sql}");
                    // Not cached: the cursor's name makes each one new.
                    conn.get()
                        .declare(table, sql, &declare, params)
                        .await
                        .inspect_err(|error| conn.note_failure(table, sql, error))?;
                    Stage::Reading {
                        conn,
                        fetch: format!("FETCH FORWARD {batch} FROM {cursor}"),
                        rows: std::collections::VecDeque::new(),
                        last: false,
                    }
                }
                Stage::Reading {
                    mut conn,
                    fetch,
                    mut rows,
                    last,
                } => {
                    if let Some(row) = rows.pop_front() {
                        return Ok(Some((
                            row,
                            Stage::Reading {
                                conn,
                                fetch,
                                rows,
                                last,
                            },
                        )));
                    }
                    if last {
                        if let StreamConn::Pooled(conn) = &mut conn {
                            conn.control("COMMIT").await?;
                            conn.in_transaction = false;
                        }
                        return Ok(None);
                    }
                    conn.get().statements.fetch_add(1, Ordering::Relaxed);
                    let fetched = match conn.get().mode {
                        StatementMode::Prepared => conn.get().client.query(&fetch, &[]).await,
                        StatementMode::Unnamed => conn.get().client.query_typed(&fetch, &[]).await,
                    }
                    .map_err(|error| conn.get().failure(table, sql, error))
                    .inspect_err(|error| conn.note_failure(table, sql, error))?;
                    let last = fetched.len() < usize::try_from(batch).unwrap_or(usize::MAX);
                    Stage::Reading {
                        conn,
                        fetch,
                        rows: fetched.into(),
                        last,
                    }
                }
            };
        }
    }
}
