//! A connection: one `postgres::Client`, its prepared-statement cache and
//! its transaction state (levels, the streams' transaction, whether the
//! open transaction was aborted), shared by every section handle opened on
//! it. Every statement the runtime sends goes through [`Inner::run`], which
//! runs it as its [`Scope`] requires.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Row, Statement};
use postgres_types::ToSql;

use crate::Section;
use crate::db::Db;
use crate::error::{Error, Result, mask_password};

/// How many prepared statements a connection keeps by default.
pub const DEFAULT_STATEMENT_CACHE: usize = 256;

/// A database connection that section handles ([`Db`]) share.
///
/// Cloning is cheap and yields another handle to the same connection. Every
/// query prepares its statement once per connection (keyed by SQL text, in
/// a bounded cache), so a repeated query costs one round trip.
///
/// A connection is `Send + Sync`: clones and handles over it may move to
/// other threads. It runs one statement at a time (a call from another
/// thread waits for the running one), and a [`transaction`](Connection::transaction)
/// is its thread's: while it is open, other threads' calls wait for it to
/// end, so they never run inside it or end it. Give each thread a
/// connection of its own, or use a [`Pool`](crate::Pool), for work that
/// should run side by side.
///
/// A call made from inside [`Connection::with_client`] on the same
/// connection (or a clone, or a handle over it), on the thread running
/// `with_client`, returns [`Error::Busy`] instead of waiting for itself.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Exclusive<Inner>>,
    /// Streams dropped while the connection was held (inside
    /// `with_client`): closed by the next call that takes it.
    deferred: Arc<Deferred>,
}

/// The streams waiting to be closed, and whether there are any: what every
/// call reads first, without taking the lock.
#[derive(Default)]
struct Deferred {
    pending: std::sync::atomic::AtomicBool,
    list: Mutex<Vec<DeferredClose>>,
}

/// The blocking client, which closes its connection on a thread of its
/// own when dropped inside an async runtime: the driver's `Drop` blocks
/// on a runtime of its own, which tokio refuses inside another (a panic,
/// and an abort when it happens while unwinding from the first).
pub(crate) struct OwnedClient(Option<Client>);

impl std::ops::Deref for OwnedClient {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.0
            .as_ref()
            .expect("the client lives until the connection drops")
    }
}

impl std::ops::DerefMut for OwnedClient {
    fn deref_mut(&mut self) -> &mut Client {
        self.0
            .as_mut()
            .expect("the client lives until the connection drops")
    }
}

impl Drop for OwnedClient {
    fn drop(&mut self) {
        let Some(client) = self.0.take() else {
            return;
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            // Joined: the connection is closed when the drop returns.
            let closed = std::thread::Builder::new()
                .name("pg-sections close".to_owned())
                .spawn(move || drop(client));
            if let Ok(closed) = closed {
                let _ = closed.join();
            }
        } else {
            drop(client);
        }
    }
}

/// A stream's `CLOSE` that could not run when the stream was dropped.
struct DeferredClose {
    table: &'static str,
    close: String,
    holds: bool,
}

pub(crate) struct Inner {
    pub(crate) client: OwnedClient,
    cache: StatementCache,
    /// Open `transaction` levels (a `BEGIN` or a savepoint each).
    depth: usize,
    /// Whether the transaction that streams opened outside any transaction
    /// is open (see [`Scope::Stream`]).
    stream_transaction: bool,
    /// How many open streams share that transaction.
    streams: usize,
    /// Whether statements other than the streams' own committed into the
    /// streams' transaction: then a failing `FETCH` must not abort it.
    stream_work: bool,
    /// The first failure that aborted the open transaction, until a
    /// rollback (to a savepoint) undoes it.
    aborted: Option<String>,
    /// Raw access ran inside the open transaction: a failure there is
    /// invisible to the runtime, so `COMMIT` is preceded by a probe.
    unverified: bool,
    /// The token set (`SET LOCAL`-like) in the open transaction before raw
    /// access first ran in it: if the probe before `COMMIT` reads another
    /// value, raw SQL ended this transaction.
    marker: Option<String>,
    markers: u64,
    cursors: u64,
    /// Whether handles set `search_path` to their section's schema, and
    /// the one set now.
    search_path: Pinned,
    /// Whether handles set the role to their section's
    /// ([`section_role`]), and whose is set now.
    role: Pinned,
}

/// The read/write role of the section whose schema is `schema`, as
/// `cargo sections roles` names it: `sections_<schema>` (its read-only role
/// is that name with `_read` after it).
#[must_use]
pub fn section_role(schema: &str) -> String {
    format!("sections_{schema}")
}

/// What a connection does with `search_path` (see
/// [`Connection::pin_search_path`]), or with its role (see
/// [`Connection::assume_section_roles`]): the schema of the section set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pinned {
    /// Left alone (the default).
    Unpinned,
    /// Pinned to each handle's schema; which one is set is unknown (none
    /// yet, or a rollback may have undone it): set it next time.
    Unknown,
    /// Pinned, and set to this schema.
    Set(&'static str),
}

impl Pinned {
    /// Whether a handle of `schema`'s section must set it first.
    fn needs(self, schema: &str) -> bool {
        match self {
            Self::Unpinned => false,
            Self::Unknown => true,
            Self::Set(current) => current != schema,
        }
    }
}

/// What a statement issued on the connection runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// No transaction: the statement commits by itself.
    Autocommit,
    /// Only the transaction that open streams run in (`fetch_stream`
    /// outside a transaction). Each statement runs in a savepoint of its
    /// own, so a failure undoes that statement alone, as in autocommit,
    /// and the streams' transaction stays usable.
    Stream,
    /// Inside `transaction`: a failure aborts the transaction.
    Transaction,
}

/// How many parameters PostgreSQL accepts in one statement (the protocol
/// counts them in 16 bits). The runtime refuses a statement that binds more
/// with [`Error::TooManyParameters`] before sending it; `insert_many` splits
/// its rows into statements that fit.
pub const MAX_PARAMETERS: usize = 65_535;

/// How long [`Connection::connect`] waits for the whole connection (TCP
/// connect, startup and authentication) when the URL gives no
/// `connect_timeout`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

const STATEMENT_SAVEPOINT: &str = "SAVEPOINT pg_sections_statement";
const STATEMENT_RELEASE: &str = "RELEASE SAVEPOINT pg_sections_statement";
const STATEMENT_ROLLBACK: &str = "ROLLBACK TO SAVEPOINT pg_sections_statement";

/// Counters of the prepared-statement cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Statements prepared (cache misses).
    pub prepared: u64,
    /// Statements found in the cache.
    pub hits: u64,
    /// Statements currently cached.
    pub cached: usize,
}

/// The statement cache's hash of SQL text: eight bytes a step, one
/// multiply and rotate each (the scheme of rustc's `FxHasher`). Every query
/// looks its text up; `SipHash`, the standard map's default, costs several
/// times more on a 150-byte statement and guards against keys chosen by an
/// attacker, which statement texts written by the application are not.
#[derive(Default)]
pub(crate) struct TextHasher(u64);

impl TextHasher {
    const SEED: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Prepared statements by SQL text, the oldest forgotten first once
/// `capacity` are cached (0: none is). Generic over what a statement is, so
/// its bookkeeping is tested without a server.
pub(crate) struct StatementCache<S = Statement> {
    capacity: usize,
    map: HashMap<String, S, BuildHasherDefault<TextHasher>>,
    order: VecDeque<String>,
    stats: CacheStats,
}

impl<S: Clone> StatementCache<S> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            map: HashMap::default(),
            order: VecDeque::new(),
            stats: CacheStats::default(),
        }
    }

    /// The statement for `sql`, made by `prepare` unless it is cached, and
    /// whether it came from the cache.
    pub(crate) fn get<E>(
        &mut self,
        sql: &str,
        prepare: impl FnOnce(&str) -> std::result::Result<S, E>,
    ) -> std::result::Result<(S, bool), E> {
        if let Some(statement) = self.lookup(sql) {
            return Ok((statement, true));
        }
        let statement = prepare(sql)?;
        self.insert(sql, statement.clone());
        Ok((statement, false))
    }

    /// The cached statement for `sql`, counted as a hit, if there is one.
    pub(crate) fn lookup(&mut self, sql: &str) -> Option<S> {
        let statement = self.map.get(sql)?.clone();
        self.stats.hits += 1;
        Some(statement)
    }

    /// Caches `statement`, just prepared for `sql` (counted as prepared),
    /// forgetting the oldest once `capacity` are cached.
    pub(crate) fn insert(&mut self, sql: &str, statement: S) {
        self.stats.prepared += 1;
        if self.capacity == 0 {
            return;
        }
        if self.map.len() >= self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.map.remove(&oldest);
        }
        if self.map.insert(sql.to_owned(), statement).is_none() {
            self.order.push_back(sql.to_owned());
        }
    }

    /// Forgets `sql`, so that its next use prepares it again.
    pub(crate) fn evict(&mut self, sql: &str) {
        if self.map.remove(sql).is_some() {
            self.order.retain(|cached| cached != sql);
        }
    }

    /// The counters, with how many statements are cached now.
    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            cached: self.map.len(),
            ..self.stats
        }
    }
}

/// Whether a cached statement failed only because the server's side of it
/// went stale: its result type changed under it (`cached plan must not
/// change result type`, after another session altered a table) or it is
/// gone (`prepared statement … does not exist`, after `DISCARD ALL` or a
/// pooler handing over another server connection). Preparing it again
/// fixes both.
pub(crate) fn is_stale(error: &postgres::Error) -> bool {
    error.code().is_some_and(|code| {
        *code == SqlState::FEATURE_NOT_SUPPORTED || *code == SqlState::INVALID_SQL_STATEMENT_NAME
    })
}

/// Whether `error` is the client's "more than one row" of `query_opt`
/// (its kind is not public; its text is, and a test with an inheritance
/// child holding a parent's key checks it still reads so).
fn is_row_count(error: &postgres::Error) -> bool {
    error.as_db_error().is_none()
        && std::error::Error::source(error).is_none()
        && error.to_string() == "query returned an unexpected number of rows"
}

/// A failure as the server reported it and the statement that caused it,
/// kept for [`Error::TransactionAborted`].
pub(crate) fn describe(table: &str, sql: &str, error: &postgres::Error) -> String {
    let message = error
        .as_db_error()
        .map_or_else(|| error.to_string(), ToString::to_string);
    let mut shown: String = sql.chars().take(200).collect();
    if shown.len() < sql.len() {
        shown.push('…');
    }
    if table.is_empty() {
        format!("{message} (in: {shown})")
    } else {
        format!("query on `{table}` failed: {message} (in: {shown})")
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}

/// Why a failure inside a transaction was invisible to the runtime.
const UNSEEN_FAILURE: &str = "a statement run through `Connection::with_client` failed (the runtime cannot see errors there)";

impl Connection {
    /// Connects to `url` (`postgres://user:pass@host:port/db` or the
    /// `key=value` form), with the TLS its `sslmode` asks for
    /// ([`tls`](crate::tls)).
    ///
    /// The whole connection (TCP connect, startup and authentication) is
    /// bounded by the URL's `connect_timeout` (seconds; `?connect_timeout=5`
    /// or `connect_timeout=5`), or by [`DEFAULT_CONNECT_TIMEOUT`] when it
    /// gives none or 0: a server that accepts the TCP connection but never
    /// answers is an error after that time, not a hang. The attempt runs on
    /// a thread of its own; an abandoned one ends when the server answers
    /// or closes the connection.
    ///
    /// # Errors
    /// [`Error::Connect`] naming the URL (password masked) when the URL does
    /// not parse, the server refuses or its certificate is refused;
    /// [`Error::Tls`] when its TLS options cannot be followed;
    /// [`Error::ConnectTimeout`] when no connection was made within the
    /// timeout.
    pub fn connect(url: &str) -> Result<Self> {
        let (config, tls) = crate::tls::parse(url)?;
        let mut config = postgres::Config::from(config);
        let timeout = config
            .get_connect_timeout()
            .copied()
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        // Also bounds each TCP connect, so an abandoned attempt on an
        // unreachable host ends by itself.
        config.connect_timeout(timeout);
        // Each host of a multi-host URL gets the whole timeout, as in libpq.
        let hosts = u32::try_from(config.get_hosts().len().max(1)).unwrap_or(u32::MAX);
        let (sender, receiver) = mpsc::channel();
        let fallback = config.clone();
        let fallback_tls = tls.clone();
        let spawned = std::thread::Builder::new()
            .name("pg-sections connect".to_owned())
            .spawn(move || {
                // The receiver is gone when the attempt was abandoned.
                let _ = sender.send(config.connect(tls));
            });
        let connected = match spawned {
            Ok(_) => match receiver.recv_timeout(timeout.saturating_mul(hosts)) {
                Ok(connected) => connected,
                // Disconnected too: the attempt ended without an answer.
                Err(_) => {
                    return Err(Error::ConnectTimeout {
                        url: mask_password(url),
                        timeout,
                    });
                }
            },
            // No thread to spare: connect here, bounded by the TCP timeout only.
            Err(_) => fallback.connect(fallback_tls),
        };
        let client = connected.map_err(|source| Error::Connect {
            url: mask_password(url),
            source,
        })?;
        Ok(Self::from_client(client))
    }

    /// Wraps a client you connected yourself (TLS, custom settings).
    #[must_use]
    pub fn from_client(client: Client) -> Self {
        Self::with_cache_capacity(client, DEFAULT_STATEMENT_CACHE)
    }

    /// Wraps a client with a statement cache of `capacity` entries (0 turns
    /// caching off).
    #[must_use]
    pub fn with_cache_capacity(client: Client, capacity: usize) -> Self {
        Self {
            inner: Arc::new(Exclusive::new(Inner {
                client: OwnedClient(Some(client)),
                cache: StatementCache::new(capacity),
                depth: 0,
                stream_transaction: false,
                streams: 0,
                stream_work: false,
                aborted: None,
                unverified: false,
                marker: None,
                markers: 0,
                cursors: 0,
                search_path: Pinned::Unpinned,
                role: Pinned::Unpinned,
            })),
            deferred: Arc::default(),
        }
    }

    /// A handle for section `S` on this connection.
    #[must_use]
    pub fn db<S: Section>(&self) -> Db<S> {
        Db::new(self.clone())
    }

    /// Makes every section handle on this connection set `search_path` to
    /// its section's schema before it runs a query (off by default).
    ///
    /// Generated SQL is schema-qualified and needs no search path; this is
    /// for raw SQL run beside it, and as a third layer of isolation: with
    /// per-section roles, unqualified names resolve only in the section's
    /// own schema.
    ///
    /// # Errors
    /// [`Error::Busy`] inside [`Connection::with_client`] on this
    /// connection.
    pub fn pin_search_path(&self, on: bool) -> Result<()> {
        self.borrow()?.search_path = if on {
            Pinned::Unknown
        } else {
            Pinned::Unpinned
        };
        Ok(())
    }

    /// Makes every section handle on this connection take its section's
    /// role ([`section_role`]: `sections_<schema>`, which `cargo sections
    /// roles` creates and grants its own schema only) before it runs a
    /// query (off by default). Generated queries of a section then run with
    /// that section's privileges alone; raw SQL through
    /// [`Connection::with_client`] runs with the role of the last handle
    /// used. The connection's login must be a member of each role
    /// (`cargo sections roles --member LOGIN`).
    ///
    /// # Errors
    /// [`Error::Busy`] inside [`Connection::with_client`] on this
    /// connection.
    pub fn assume_section_roles(&self, on: bool) -> Result<()> {
        let mut inner = self.borrow()?;
        let was_on = inner.role != Pinned::Unpinned;
        if on {
            if !was_on {
                inner.role = Pinned::Unknown;
            }
        } else if was_on {
            inner.run("", "RESET ROLE", true, |inner| {
                inner
                    .client
                    .batch_execute("RESET ROLE")
                    .map_err(Failure::raw)
            })?;
            inner.role = Pinned::Unpinned;
        }
        Ok(())
    }

    /// Sets `search_path` and the role for a section, each when it is
    /// pinned and differs.
    pub(crate) fn enter_section(&self, schema: &'static str) -> Result<()> {
        let mut inner = self.borrow()?;
        if inner.role.needs(schema) {
            let mut sql = String::from("SET ROLE ");
            crate::query::push_ident(&mut sql, &section_role(schema));
            inner.pin(&sql)?;
            inner.role = Pinned::Set(schema);
        }
        if inner.search_path.needs(schema) {
            let mut sql = String::from("SET search_path TO ");
            crate::query::push_ident(&mut sql, schema);
            inner.pin(&sql)?;
            inner.search_path = Pinned::Set(schema);
        }
        Ok(())
    }

    /// The cache's counters.
    ///
    /// # Errors
    /// [`Error::Busy`] inside [`Connection::with_client`] on this
    /// connection.
    pub fn cache_stats(&self) -> Result<CacheStats> {
        Ok(self.borrow()?.cache_stats())
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back
    /// when it returns `Err` or panics. Every section handle on this
    /// connection works inside it, so one transaction can span sections of
    /// one database. Nested calls use savepoints.
    ///
    /// A statement that fails inside the transaction aborts all of it on
    /// the server, and `COMMIT` then only rolls back. So when `f` returns
    /// `Ok` after a statement failed (its error ignored, say `let _ =
    /// insert(…)`), the work is rolled back and the result is
    /// [`Error::TransactionAborted`], never `Ok`. To go on after a failure
    /// you expect, run that statement in a nested `transaction`: its
    /// failure rolls back to the savepoint and the outer work goes on. The
    /// same holds when the statement ran through [`Connection::with_client`]
    /// inside the transaction: the runtime checks the transaction before it
    /// commits.
    ///
    /// While a stream from [`Select::fetch_stream`](crate::Select::fetch_stream)
    /// opened outside any transaction is open, the transaction is a
    /// savepoint of the stream's transaction and commits with it when the
    /// last such stream ends.
    ///
    /// # Errors
    /// `f`'s error; [`Error::TransactionAborted`] when `f` returned `Ok`
    /// but a statement in the transaction had failed (the work was rolled
    /// back); the database's error when `BEGIN`, `COMMIT` or a savepoint
    /// fails.
    pub fn transaction<T, E: From<Error>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let guard = TransactionGuard::begin(self)?;
        match f() {
            Ok(value) => {
                guard.commit()?;
                Ok(value)
            }
            Err(e) => {
                // A rollback that fails says more than `f`'s error: raw SQL
                // may have committed the work the caller expects undone
                // ([`Error::TransactionEnded`]).
                guard.rollback()?;
                Err(e)
            }
        }
    }

    /// Applies the pending `migrations` (those a build embedded with
    /// [`include_migrations!`](crate::include_migrations)), each in a
    /// transaction of its own; what ran. See
    /// [`Migrations::run`](crate::migrate::Migrations::run).
    ///
    /// ```no_run
    /// static MIGRATIONS: pg_sections::migrate::Migrations =
    ///     pg_sections::migrate::Migrations::embedded(&[]);
    ///
    /// # fn main() -> pg_sections::Result<()> {
    /// let conn = pg_sections::blocking::Connection::connect("postgres://localhost/app")?;
    /// conn.migrate(&MIGRATIONS)?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`Migrations::run`](crate::migrate::Migrations::run), and
    /// [`Error::MigrationHistory`] inside a transaction or while a stream is
    /// open, where the migrations' own transactions cannot run.
    pub fn migrate(
        &self,
        migrations: &crate::migrate::Migrations,
    ) -> Result<Vec<crate::migrate::Applied>> {
        self.migrate_with(migrations, &crate::migrate::Options::new())
    }

    /// [`Connection::migrate`] with [`Options`](crate::migrate::Options):
    /// `Options::new().ignore_missing(true)` applies what is pending even
    /// though the database records migrations this binary does not have.
    ///
    /// # Errors
    /// As [`Connection::migrate`].
    pub fn migrate_with(
        &self,
        migrations: &crate::migrate::Migrations,
        options: &crate::migrate::Options,
    ) -> Result<Vec<crate::migrate::Applied>> {
        let mut inner = self.borrow()?;
        if inner.scope() != Scope::Autocommit {
            return Err(Error::MigrationHistory {
                message: "migrations cannot run inside a transaction or while a stream is open: each runs in a transaction of its own; migrate before opening one".to_owned(),
            });
        }
        let applied = migrations.run_with(&mut inner.client, options);
        // Each migration ends with `RESET ALL`: the search path the
        // connection set for its sections is gone.
        inner.forget_search_path();
        applied
    }

    /// Applies the seeds of `migrations` that are new or changed (see
    /// [`Migrations::seed`](crate::migrate::Migrations::seed)), once all
    /// its migrations are applied.
    ///
    /// # Errors
    /// As [`Migrations::seed`](crate::migrate::Migrations::seed); inside a
    /// transaction or while a stream is open, refused.
    pub fn seed(
        &self,
        migrations: &crate::migrate::Migrations,
    ) -> Result<Vec<crate::seed::Seeded>> {
        let mut inner = self.borrow()?;
        if inner.scope() != Scope::Autocommit {
            return Err(Error::MigrationHistory {
                message: "seeds cannot run inside a transaction or while a stream is open: each runs in a transaction of its own; seed before opening one".to_owned(),
            });
        }
        let seeded = migrations.seed(&mut inner.client);
        inner.forget_search_path();
        seeded
    }

    /// Runs raw SQL (no parameters, several statements allowed): for
    /// migrations and maintenance, not for values. Open transactions with
    /// [`Connection::transaction`], not with a raw `BEGIN`: the connection
    /// does not see a transaction opened behind its back, and runs later
    /// statements as if each committed by itself (a failure in one is then
    /// reported as the aborted transaction, not as its cause).
    ///
    /// # Errors
    /// The database's error.
    pub fn batch_execute(&self, sql: &str) -> Result<()> {
        let mut inner = self.borrow()?;
        if inner.scope() == Scope::Transaction {
            inner.mark_raw()?;
        }
        inner.run("", sql, true, |inner| {
            inner.client.batch_execute(sql).map_err(Failure::raw)
        })
    }

    /// Gives `f` the underlying client, for what the builder does not cover.
    ///
    /// Inside a [`transaction`](Self::transaction) the runtime cannot see
    /// whether a statement run here failed, so it checks the transaction
    /// before committing it. While a stream opened outside a transaction is
    /// open, `f` runs in a savepoint of the stream's transaction: if a
    /// statement in it failed, everything `f` ran is undone and the result
    /// is [`Error::TransactionAborted`]. Do not begin or end transactions
    /// here; use [`transaction`](Self::transaction).
    ///
    /// # Errors
    /// [`Error::Busy`] when called from inside another `with_client`;
    /// [`Error::TransactionAborted`] as above.
    pub fn with_client<T>(&self, f: impl FnOnce(&mut Client) -> T) -> Result<T> {
        let value = self.lend_client(f);
        // `f` may have set another role (or reset it): a section's role,
        // when handles take one, is set again before the next query.
        if let Ok(mut inner) = self.borrow()
            && inner.role != Pinned::Unpinned
        {
            inner.role = Pinned::Unknown;
        }
        value
    }

    /// [`Connection::with_client`], but for what follows it.
    fn lend_client<T>(&self, f: impl FnOnce(&mut Client) -> T) -> Result<T> {
        let mut inner = self.borrow()?;
        match inner.scope() {
            Scope::Autocommit => Ok(f(&mut inner.client)),
            Scope::Transaction => {
                inner.mark_raw()?;
                Ok(f(&mut inner.client))
            }
            Scope::Stream => {
                inner.control(STATEMENT_SAVEPOINT)?;
                let value = f(&mut inner.client);
                match inner.client.batch_execute(STATEMENT_RELEASE) {
                    Ok(()) => {
                        inner.stream_work = true;
                        Ok(value)
                    }
                    Err(e) => {
                        inner.control(STATEMENT_ROLLBACK)?;
                        inner.control(STATEMENT_RELEASE)?;
                        inner.forget_search_path();
                        if e.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION) {
                            Err(Error::TransactionAborted {
                                cause: format!(
                                    "{UNSEEN_FAILURE}; everything run in that call was undone, the open stream's transaction goes on"
                                ),
                            })
                        } else {
                            Err(Error::database("", STATEMENT_RELEASE, e))
                        }
                    }
                }
            }
        }
    }

    /// The connection's state, for one call: every use of the connection
    /// goes through here. A call from another thread waits its turn; one
    /// made on the thread that holds it (from inside
    /// [`Connection::with_client`]) is [`Error::Busy`], never a deadlock or
    /// a panic. Closes the cursors of streams dropped meanwhile first.
    pub(crate) fn borrow(&self) -> Result<Held<'_, Inner>> {
        let mut inner = self.inner.lock()?;
        let pending = self
            .deferred
            .pending
            .swap(false, std::sync::atomic::Ordering::AcqRel);
        let deferred: Vec<DeferredClose> = if pending {
            std::mem::take(&mut *self.deferred_list())
        } else {
            Vec::new()
        };
        for d in deferred {
            // As from a destructor: nothing to report to.
            let _ = inner.close_stream(d.table, &d.close, d.holds);
        }
        Ok(inner)
    }

    /// Closes a stream's cursor now, or, when the connection is borrowed
    /// (the stream was dropped inside `with_client`), at its next use.
    pub(crate) fn close_stream(&self, table: &'static str, close: &str, holds: bool) -> Result<()> {
        if let Ok(mut inner) = self.borrow() {
            return inner.close_stream(table, close, holds);
        }
        self.deferred_list().push(DeferredClose {
            table,
            close: close.to_owned(),
            holds,
        });
        self.deferred
            .pending
            .store(true, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// The streams waiting to be closed. A panic while it was held left it
    /// whole (pushing one entry or taking them all), so a poisoned lock is
    /// taken as it is.
    fn deferred_list(&self) -> std::sync::MutexGuard<'_, Vec<DeferredClose>> {
        self.deferred
            .list
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` with the client and the statement for `sql` (prepared once,
    /// then cached), naming `table` and `sql` in any error. A cached
    /// statement that went stale is prepared again and run once more where
    /// that is safe (see [`Inner::run`]).
    fn with_statement<T>(
        &self,
        table: &'static str,
        sql: &str,
        parameters: usize,
        mut f: impl FnMut(&mut Client, &Statement) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        self.with_statement_in(table, sql, parameters, |client, statement, _| {
            f(client, statement)
        })
    }

    /// [`Connection::with_statement`], telling `f` what the statement runs
    /// in.
    fn with_statement_in<T>(
        &self,
        table: &'static str,
        sql: &str,
        parameters: usize,
        mut f: impl FnMut(&mut Client, &Statement, Scope) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        check_parameters(table, parameters)?;
        let mut inner = self.borrow()?;
        inner.run(table, sql, true, |inner| {
            let scope = inner.scope();
            let Inner { client, cache, .. } = inner;
            let (statement, hit) = cache
                .get(sql, |sql| client.prepare(sql))
                .map_err(Failure::raw)?;
            f(client, &statement, scope).map_err(|error| Failure {
                stale: hit && is_stale(&error),
                error,
            })
        })
    }

    pub(crate) fn query(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        self.with_statement(table, sql, params.len(), |client, statement| {
            client.query(statement, params)
        })
    }

    pub(crate) fn query_first(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        self.with_statement(table, sql, params.len(), |client, statement| {
            let mut rows = client.query_raw(statement, params.iter().copied())?;
            let first = fallible_next(&mut rows)?;
            if first.is_some() {
                // Drain the rest so the connection is ready for the next
                // statement (an exhausted iterator must not be polled again).
                while fallible_next(&mut rows)?.is_some() {}
            }
            Ok(first)
        })
    }

    /// The first row of a key lookup, read in one round of the client's
    /// executor (see `exec::KeyRow`).
    ///
    /// Outside a transaction the row is streamed, not collected: no vector
    /// for what is nearly always one row. The client gives up on a second
    /// row without reading the rest of the answer, which may end in the
    /// server's error; so a key that matched more than one row (one per
    /// inheritance child holding it) is read again, whole, by a statement
    /// of its own, which reports that error if there is one. In a
    /// transaction (or a stream's) that second statement would meet the
    /// transaction aborted by the first and report that instead of the
    /// cause, so there every row is read in the first place.
    pub(crate) fn query_key_row(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        self.with_statement_in(table, sql, params.len(), |client, statement, scope| {
            let first =
                |client: &mut Client| Ok(client.query(statement, params)?.into_iter().next());
            if scope != Scope::Autocommit {
                return first(client);
            }
            match client.query_opt(statement, params) {
                Err(error) if is_row_count(&error) => first(client),
                answer => answer,
            }
        })
    }

    pub(crate) fn execute(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        self.with_statement(table, sql, params.len(), |client, statement| {
            client.execute(statement, params)
        })
    }

    /// A new cursor name, unique on this connection.
    pub(crate) fn next_cursor(&self) -> Result<String> {
        let mut inner = self.borrow()?;
        inner.cursors += 1;
        Ok(format!("pg_sections_cursor_{}", inner.cursors))
    }

    /// Declares a stream's cursor (`declare` is `DECLARE … CURSOR FOR …`).
    /// Outside any transaction it opens the streams' transaction, or joins
    /// it when another stream holds it open; inside a transaction the
    /// cursor lives in it. Whether the stream holds the streams'
    /// transaction open.
    pub(crate) fn declare(
        &self,
        table: &'static str,
        declare: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<bool> {
        check_parameters(table, params.len())?;
        let mut inner = self.borrow()?;
        match inner.scope() {
            Scope::Autocommit => {
                inner.control("BEGIN")?;
                if let Err(e) = inner.client.execute(declare, params) {
                    // The transaction holds nothing: the DECLARE's error is
                    // the one to report, and a connection that cannot roll
                    // back reports its own error on the next statement.
                    let _ = inner.control("ROLLBACK");
                    return Err(Error::database(table, declare, e));
                }
                inner.stream_transaction = true;
                inner.stream_work = false;
                inner.streams = 1;
                Ok(true)
            }
            Scope::Stream => {
                inner.run(table, declare, false, |inner| {
                    inner.client.execute(declare, params).map_err(Failure::raw)
                })?;
                inner.streams += 1;
                Ok(true)
            }
            Scope::Transaction => {
                inner.run(table, declare, false, |inner| {
                    inner.client.execute(declare, params).map_err(Failure::raw)
                })?;
                Ok(false)
            }
        }
    }

    /// Runs a stream's `FETCH`; `holds`: whether the stream holds the
    /// streams' transaction open.
    pub(crate) fn fetch(&self, table: &'static str, fetch: &str, holds: bool) -> Result<Vec<Row>> {
        let mut inner = self.borrow()?;
        if holds && inner.scope() == Scope::Stream && !inner.stream_work && inner.streams == 1 {
            // The streams' transaction holds this stream's cursor and
            // nothing else: no savepoint needed, and after a failure there
            // is nothing to keep, so the transaction starts afresh.
            return inner.client.query(fetch, &[]).or_else(|e| {
                inner.control("ROLLBACK; BEGIN")?;
                inner.forget_search_path();
                Err(Error::database(table, fetch, e))
            });
        }
        inner.run(table, fetch, false, |inner| {
            inner.client.query(fetch, &[]).map_err(Failure::raw)
        })
    }
}

impl Inner {
    /// Closes a stream's cursor (`close` is `CLOSE name`); the last stream
    /// holding the streams' transaction open commits it, unless a
    /// transaction runs inside it, which then commits it when it ends.
    fn close_stream(&mut self, table: &'static str, close: &str, holds: bool) -> Result<()> {
        let inner = self;
        let last = holds && inner.streams == 1 && inner.depth == 0;
        let closed = if last {
            // COMMIT closes it.
            Ok(())
        } else {
            match inner.scope() {
                // The cursor ended with the transaction it was declared in.
                Scope::Autocommit => Ok(()),
                // In a savepoint of its own: a cursor already gone (its
                // savepoint rolled back) must not abort the transaction.
                Scope::Stream | Scope::Transaction => {
                    inner.isolated(table, close, false, |inner| {
                        inner.client.batch_execute(close).map_err(Failure::raw)
                    })
                }
            }
        };
        if holds {
            inner.streams = inner.streams.saturating_sub(1);
            if inner.streams == 0 && inner.depth == 0 {
                return closed.and(inner.end_stream_transaction());
            }
        }
        closed
    }

    /// Before raw access runs in the open transaction for the first time:
    /// marks the transaction with a token of its own (a transaction-local
    /// setting), which the probe before `COMMIT` reads back.
    fn mark_raw(&mut self) -> Result<()> {
        self.unverified = true;
        if self.marker.is_some() {
            return Ok(());
        }
        self.markers += 1;
        let token = format!("{}.{}", std::process::id(), self.markers);
        let sql = "SELECT set_config('pg_sections.transaction', $1, true)";
        self.client
            .query(sql, &[&token])
            .map_err(|e| Error::database("", sql, e))?;
        self.marker = Some(token);
        Ok(())
    }

    fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    fn scope(&self) -> Scope {
        if self.depth > 0 {
            Scope::Transaction
        } else if self.stream_transaction {
            Scope::Stream
        } else {
            Scope::Autocommit
        }
    }

    /// Runs one statement as its scope requires, `attempt` sending it:
    ///
    /// - autocommit: a stale cached statement is evicted and the statement
    ///   run once more (a failed statement had no effect);
    /// - the streams' transaction: in a savepoint of its own
    ///   ([`Inner::isolated`]);
    /// - a transaction: a failure marks it aborted (so that it cannot be
    ///   reported as committed) and evicts a stale cached statement, for
    ///   the next use to prepare it again; no retry, the transaction is
    ///   aborted already.
    ///
    /// `work`: whether a success counts as work to commit with the
    /// streams' transaction (a stream's own statements do not).
    fn run<T>(
        &mut self,
        table: &'static str,
        sql: &str,
        work: bool,
        mut attempt: impl FnMut(&mut Self) -> std::result::Result<T, Failure>,
    ) -> Result<T> {
        match self.scope() {
            Scope::Autocommit => match attempt(self) {
                Err(failure) if failure.stale => {
                    self.cache.evict(sql);
                    attempt(self).map_err(|failure| Error::database(table, sql, failure.error))
                }
                outcome => outcome.map_err(|failure| Error::database(table, sql, failure.error)),
            },
            Scope::Stream => self.isolated(table, sql, work, attempt),
            Scope::Transaction => attempt(self).map_err(|failure| {
                if failure.stale {
                    self.cache.evict(sql);
                }
                if failure.error.code().is_some() && self.aborted.is_none() {
                    self.aborted = Some(describe(table, sql, &failure.error));
                }
                Error::database(table, sql, failure.error)
            }),
        }
    }

    /// Runs one statement in a savepoint of its own inside the open
    /// transaction: a failure undoes that statement only, and a stale
    /// cached statement is prepared again and run once more.
    fn isolated<T>(
        &mut self,
        table: &'static str,
        sql: &str,
        work: bool,
        mut attempt: impl FnMut(&mut Self) -> std::result::Result<T, Failure>,
    ) -> Result<T> {
        self.control(STATEMENT_SAVEPOINT)?;
        let mut outcome = attempt(self);
        if let Err(failure) = &outcome {
            self.control(STATEMENT_ROLLBACK)?;
            if failure.stale {
                self.cache.evict(sql);
                outcome = attempt(self);
                if outcome.is_err() {
                    self.control(STATEMENT_ROLLBACK)?;
                }
            }
        }
        self.control(STATEMENT_RELEASE)?;
        if work && outcome.is_ok() && self.depth == 0 {
            self.stream_work = true;
        }
        outcome.map_err(|failure| Error::database(table, sql, failure.error))
    }

    /// Sends a transaction-control statement.
    fn control(&mut self, sql: &str) -> Result<()> {
        self.client
            .batch_execute(sql)
            .map_err(|e| Error::database("", sql, e))
    }

    /// Runs the `SET` that pins a setting to a section.
    fn pin(&mut self, sql: &str) -> Result<()> {
        self.run("", sql, true, |inner| {
            inner.client.batch_execute(sql).map_err(Failure::raw)
        })
    }

    /// A rollback may have undone a `SET search_path` or `SET ROLE`: set
    /// them again next time.
    fn forget_search_path(&mut self) {
        if self.search_path != Pinned::Unpinned {
            self.search_path = Pinned::Unknown;
        }
        if self.role != Pinned::Unpinned {
            self.role = Pinned::Unknown;
        }
    }

    /// Ends transaction level `level` (`BEGIN`, or savepoint
    /// `pg_sections_{level}` when `savepoint`): commits it when `commit`
    /// and nothing in it failed, else rolls it back. Ending the outermost
    /// level inside the streams' transaction also commits that, when no
    /// stream holds it open any more.
    fn end_level(&mut self, level: usize, savepoint: bool, commit: bool) -> Result<()> {
        self.depth = level;
        let ended = if savepoint {
            self.end_savepoint(level, commit)
        } else {
            self.end_transaction(commit)
        };
        if level == 0 && self.stream_transaction && self.streams == 0 {
            return ended.and(self.end_stream_transaction());
        }
        ended
    }

    fn end_savepoint(&mut self, level: usize, commit: bool) -> Result<()> {
        let name = format!("pg_sections_{level}");
        if !commit {
            return self.rollback_to(&name);
        }
        if let Some(cause) = self.aborted.clone() {
            self.rollback_to(&name)?;
            return Err(Error::TransactionAborted { cause });
        }
        let release = format!("RELEASE SAVEPOINT {name}");
        match self.client.batch_execute(&release) {
            Ok(()) => {
                // The transaction was not aborted: raw access so far is verified.
                self.unverified = false;
                if level == 0 {
                    self.stream_work = true;
                }
                Ok(())
            }
            Err(e) => {
                self.rollback_to(&name)?;
                if e.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION) {
                    Err(Error::TransactionAborted {
                        cause: UNSEEN_FAILURE.to_owned(),
                    })
                } else {
                    Err(Error::database("", &release, e))
                }
            }
        }
    }

    /// Rolls back to savepoint `name` and releases it; the transaction is
    /// usable again.
    fn rollback_to(&mut self, name: &str) -> Result<()> {
        self.control(&format!(
            "ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}"
        ))?;
        self.aborted = None;
        self.unverified = false;
        self.forget_search_path();
        Ok(())
    }

    /// Ends the transaction: `COMMIT` when `commit` and nothing in it
    /// failed (checked on the server when raw access may have hidden a
    /// failure), `ROLLBACK` otherwise.
    fn end_transaction(&mut self, commit: bool) -> Result<()> {
        let checked = if !commit {
            Ok(())
        } else if let Some(cause) = self.aborted.take() {
            Err(Error::TransactionAborted { cause })
        } else if self.unverified {
            self.probe()
        } else {
            Ok(())
        };
        // Rolling back what raw SQL may already have committed: say so.
        let checked = if !commit && self.unverified {
            match self.probe() {
                Err(Error::TransactionEnded) => Err(Error::TransactionEnded),
                _ => Ok(()),
            }
        } else {
            checked
        };
        self.aborted = None;
        self.unverified = false;
        self.marker = None;
        let end = if commit && checked.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        let ended = self.control(end);
        if end == "ROLLBACK" || ended.is_err() {
            self.forget_search_path();
        }
        checked.and(ended)
    }

    /// Whether the open transaction is still the one `transaction` began
    /// and not aborted, after raw access ran in it: reads back the token
    /// [`Inner::mark_raw`] set. Any statement fails with 25P02 in an
    /// aborted transaction, where `COMMIT` would silently roll back; a
    /// transaction raw SQL ended (or replaced) no longer has the token.
    fn probe(&mut self) -> Result<()> {
        let sql = "SELECT current_setting('pg_sections.transaction', true)";
        match self.client.query_one(sql, &[]) {
            Ok(row) => {
                let token: Option<String> = row.get(0);
                if token.is_some() && token == self.marker {
                    Ok(())
                } else {
                    Err(Error::TransactionEnded)
                }
            }
            Err(e) if e.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION) => {
                Err(Error::TransactionAborted {
                    cause: UNSEEN_FAILURE.to_owned(),
                })
            }
            Err(e) => Err(Error::database("", sql, e)),
        }
    }

    fn end_stream_transaction(&mut self) -> Result<()> {
        self.stream_transaction = false;
        self.stream_work = false;
        self.end_transaction(true)
    }
}

/// A mutex that tells a call waiting for another thread from a re-entrant
/// one: the thread holding it asking again (from inside `with_client`)
/// gets [`Error::Busy`] where a plain mutex would deadlock.
pub(crate) struct Exclusive<T> {
    mutex: Mutex<T>,
    /// The id ([`thread_id`]) of the thread holding `mutex`, 0 when none.
    owner: std::sync::atomic::AtomicU64,
    /// The id of the thread whose transaction is open, 0 when none: other
    /// threads wait for it to end, so a transaction's levels are one
    /// thread's, opened and closed in order.
    claimed: std::sync::atomic::AtomicU64,
    /// Signalled when a transaction ends.
    free: std::sync::Condvar,
}

/// `T`, held by the current thread until dropped.
pub(crate) struct Held<'a, T> {
    guard: std::sync::MutexGuard<'a, T>,
    owner: &'a std::sync::atomic::AtomicU64,
    claimed: &'a std::sync::atomic::AtomicU64,
    free: &'a std::sync::Condvar,
}

impl<T> Exclusive<T> {
    fn new(value: T) -> Self {
        Self {
            mutex: Mutex::new(value),
            owner: std::sync::atomic::AtomicU64::new(0),
            claimed: std::sync::atomic::AtomicU64::new(0),
            free: std::sync::Condvar::new(),
        }
    }

    /// Takes the value, waiting for another thread that holds it.
    ///
    /// A panic while it was held (in a `with_client` closure, say) leaves
    /// the state the runtime keeps consistent between statements, so a
    /// poisoned lock is taken as it is, as the `RefCell` it replaces was.
    fn lock(&self) -> Result<Held<'_, T>> {
        use std::sync::TryLockError;
        use std::sync::atomic::Ordering;
        let me = thread_id();
        let guard = match self.mutex.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {
                // Only this thread stores its own id, and it clears it
                // before releasing the lock: reading it here means this
                // thread holds the lock further up its stack.
                if self.owner.load(Ordering::Acquire) == me {
                    return Err(Error::Busy);
                }
                self.mutex.lock().unwrap_or_else(PoisonError::into_inner)
            }
        };
        // Another thread's transaction is open: wait for its end. The
        // claim changes only under the lock, so no end goes unseen.
        let mut guard = guard;
        loop {
            let claimed = self.claimed.load(Ordering::Acquire);
            if claimed == 0 || claimed == me {
                break;
            }
            guard = self
                .free
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
        }
        self.owner.store(me, Ordering::Release);
        Ok(Held {
            guard,
            owner: &self.owner,
            claimed: &self.claimed,
            free: &self.free,
        })
    }
}

impl<T> Held<'_, T> {
    /// The current thread's transaction opens: other threads wait.
    fn claim(&self) {
        self.claimed
            .store(thread_id(), std::sync::atomic::Ordering::Release);
    }

    /// The transaction ended: threads waiting for it go on.
    fn unclaim(&self) {
        self.claimed.store(0, std::sync::atomic::Ordering::Release);
        self.free.notify_all();
    }
}

impl<T> Drop for Held<'_, T> {
    fn drop(&mut self) {
        // Runs before `guard` releases the lock.
        self.owner.store(0, std::sync::atomic::Ordering::Release);
    }
}

impl<T> std::ops::Deref for Held<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> std::ops::DerefMut for Held<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

/// A number for the current thread, unique in the process and never 0.
fn thread_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static ID: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    ID.with(|id| *id)
}

/// A statement's failure, and whether it failed only because its cached
/// server-side statement went stale.
struct Failure {
    error: postgres::Error,
    stale: bool,
}

impl Failure {
    fn raw(error: postgres::Error) -> Self {
        Self {
            error,
            stale: false,
        }
    }
}

/// Refuses a statement that binds more parameters than PostgreSQL accepts.
pub(crate) fn check_parameters(table: &'static str, count: usize) -> Result<()> {
    if count > MAX_PARAMETERS {
        return Err(Error::TooManyParameters { table, count });
    }
    Ok(())
}

fn fallible_next(
    rows: &mut postgres::RowIter<'_>,
) -> std::result::Result<Option<Row>, postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;
    rows.next()
}

/// Rolls back on drop unless ended: covers `Err` and panics alike.
pub(crate) struct TransactionGuard<'c> {
    conn: &'c Connection,
    level: usize,
    savepoint: bool,
    done: bool,
}

impl<'c> TransactionGuard<'c> {
    pub(crate) fn begin(conn: &'c Connection) -> Result<Self> {
        let mut inner = conn.borrow()?;
        let level = inner.depth;
        // Inside a transaction, or inside the streams' transaction: nest.
        let savepoint = level > 0 || inner.stream_transaction;
        if savepoint {
            inner.control(&format!("SAVEPOINT pg_sections_{level}"))?;
        } else {
            inner.control("BEGIN")?;
            inner.aborted = None;
            inner.unverified = false;
        }
        if level == 0 {
            inner.claim();
        }
        inner.depth = level + 1;
        Ok(Self {
            conn,
            level,
            savepoint,
            done: false,
        })
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.done = true;
        self.end(true)
    }

    pub(crate) fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.end(false)
    }

    /// Ends this level; the outermost one frees the connection for other
    /// threads, whatever the outcome.
    fn end(&self, commit: bool) -> Result<()> {
        let mut inner = self.conn.borrow()?;
        let ended = inner.end_level(self.level, self.savepoint, commit);
        if self.level == 0 {
            inner.unclaim();
        }
        ended
    }
}

impl Drop for TransactionGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Unwinding from a panic: undo the work. A failure here has no
            // one to report to; the server aborts the transaction anyway
            // when the connection closes.
            let _ = self.end(false);
        }
    }
}
