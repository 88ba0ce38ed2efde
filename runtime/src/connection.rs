//! A connection: one `postgres::Client`, its prepared-statement cache and
//! its transaction depth, shared by every section handle opened on it.

use std::cell::{RefCell, RefMut};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use postgres::{Client, NoTls, Row, Statement};
use postgres_types::ToSql;

use crate::error::{Error, Result, mask_password};
use crate::{Db, Section};

/// How many prepared statements a connection keeps by default.
pub const DEFAULT_STATEMENT_CACHE: usize = 256;

/// A database connection that section handles ([`Db`]) share.
///
/// Cloning is cheap and yields another handle to the same connection. Every
/// query prepares its statement once per connection (keyed by SQL text, in
/// a bounded cache), so a repeated query costs one round trip.
#[derive(Clone)]
pub struct Connection {
    inner: Rc<RefCell<Inner>>,
}

pub(crate) struct Inner {
    pub(crate) client: Client,
    cache: StatementCache,
    depth: usize,
    cursors: u64,
    /// `Some` when handles set `search_path` to their section's schema;
    /// holds the schema currently set.
    search_path: Option<Option<&'static str>>,
}

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

struct StatementCache {
    capacity: usize,
    map: HashMap<String, Statement>,
    order: VecDeque<String>,
    stats: CacheStats,
}

impl StatementCache {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            map: HashMap::new(),
            order: VecDeque::new(),
            stats: CacheStats::default(),
        }
    }

    fn get(
        &mut self,
        client: &mut Client,
        sql: &str,
    ) -> std::result::Result<Statement, postgres::Error> {
        if let Some(statement) = self.map.get(sql) {
            self.stats.hits += 1;
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql)?;
        self.stats.prepared += 1;
        if self.capacity > 0 {
            if self.map.len() >= self.capacity
                && let Some(oldest) = self.order.pop_front()
            {
                self.map.remove(&oldest);
            }
            self.map.insert(sql.to_owned(), statement.clone());
            self.order.push_back(sql.to_owned());
        }
        Ok(statement)
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}

impl Connection {
    /// Connects to `url` (`postgres://user:pass@host:port/db` or the
    /// `key=value` form) without TLS.
    ///
    /// # Errors
    /// [`Error::Connect`] naming the URL, password masked.
    pub fn connect(url: &str) -> Result<Self> {
        let client = Client::connect(url, NoTls).map_err(|source| Error::Connect {
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
            inner: Rc::new(RefCell::new(Inner {
                client,
                cache: StatementCache::new(capacity),
                depth: 0,
                cursors: 0,
                search_path: None,
            })),
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
    pub fn pin_search_path(&self, on: bool) {
        self.inner.borrow_mut().search_path = on.then_some(None);
    }

    /// Sets `search_path` for a section when pinning is on and it differs.
    pub(crate) fn enter_section(&self, schema: &'static str) -> Result<()> {
        let mut inner = self.borrow()?;
        match inner.search_path {
            Some(current) if current != Some(schema) => {
                let mut sql = String::from("SET search_path TO ");
                crate::query::push_ident(&mut sql, schema);
                inner
                    .client
                    .batch_execute(&sql)
                    .map_err(|e| Error::database("", &sql, e))?;
                inner.search_path = Some(Some(schema));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The cache's counters.
    #[must_use]
    pub fn cache_stats(&self) -> CacheStats {
        self.inner.borrow().cache_stats()
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back
    /// when it returns `Err` or panics. Every section handle on this
    /// connection works inside it, so one transaction can span sections of
    /// one database. Nested calls use savepoints.
    ///
    /// # Errors
    /// `f`'s error, or the database's when `BEGIN`/`COMMIT` fails.
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
                guard.rollback()?;
                Err(e)
            }
        }
    }

    /// Runs raw SQL (no parameters, several statements allowed): for
    /// migrations and maintenance, not for values.
    ///
    /// # Errors
    /// The database's error.
    pub fn batch_execute(&self, sql: &str) -> Result<()> {
        let mut inner = self.borrow()?;
        inner
            .client
            .batch_execute(sql)
            .map_err(|e| Error::database("", sql, e))
    }

    /// Gives `f` the underlying client, for what the builder does not cover.
    ///
    /// # Errors
    /// [`Error::Busy`] while a streamed result is open.
    pub fn with_client<T>(&self, f: impl FnOnce(&mut Client) -> T) -> Result<T> {
        let mut inner = self.borrow()?;
        Ok(f(&mut inner.client))
    }

    pub(crate) fn borrow(&self) -> Result<RefMut<'_, Inner>> {
        self.inner.try_borrow_mut().map_err(|_| Error::Busy)
    }

    /// Runs `f` with the client and the statement for `sql` (prepared once,
    /// then cached), naming `table` and `sql` in any error.
    fn with_statement<T>(
        &self,
        table: &'static str,
        sql: &str,
        f: impl FnOnce(&mut Client, &Statement) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let mut inner = self.borrow()?;
        let Inner { client, cache, .. } = &mut *inner;
        cache
            .get(client, sql)
            .and_then(|statement| f(client, &statement))
            .map_err(|e| Error::database(table, sql, e))
    }

    pub(crate) fn query(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        self.with_statement(table, sql, |client, statement| {
            client.query(statement, params)
        })
    }

    pub(crate) fn query_first(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        self.with_statement(table, sql, |client, statement| {
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

    pub(crate) fn execute(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        self.with_statement(table, sql, |client, statement| {
            client.execute(statement, params)
        })
    }

    pub(crate) fn next_cursor(&self) -> u64 {
        let mut inner = self.inner.borrow_mut();
        inner.cursors += 1;
        inner.cursors
    }

    pub(crate) fn depth(&self) -> usize {
        self.inner.borrow().depth
    }

    fn set_depth(&self, depth: usize) {
        self.inner.borrow_mut().depth = depth;
    }
}

impl Inner {
    fn cache_stats(&self) -> CacheStats {
        CacheStats {
            cached: self.cache.map.len(),
            ..self.cache.stats
        }
    }
}

fn fallible_next(
    rows: &mut postgres::RowIter<'_>,
) -> std::result::Result<Option<Row>, postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;
    rows.next()
}

/// Rolls back on drop unless committed: covers `Err` and panics alike.
pub(crate) struct TransactionGuard<'c> {
    conn: &'c Connection,
    depth: usize,
    done: bool,
}

impl<'c> TransactionGuard<'c> {
    pub(crate) fn begin(conn: &'c Connection) -> Result<Self> {
        let depth = conn.depth();
        if depth == 0 {
            conn.batch_execute("BEGIN")?;
        } else {
            conn.batch_execute(&format!("SAVEPOINT pg_sections_{depth}"))?;
        }
        conn.set_depth(depth + 1);
        Ok(Self {
            conn,
            depth,
            done: false,
        })
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.done = true;
        self.conn.set_depth(self.depth);
        if self.depth == 0 {
            self.conn.batch_execute("COMMIT")
        } else {
            self.conn
                .batch_execute(&format!("RELEASE SAVEPOINT pg_sections_{}", self.depth))
        }
    }

    pub(crate) fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.finish_rollback()
    }

    fn finish_rollback(&self) -> Result<()> {
        self.conn.set_depth(self.depth);
        if self.depth == 0 {
            self.conn.batch_execute("ROLLBACK")
        } else {
            self.conn
                .batch_execute(&format!("ROLLBACK TO SAVEPOINT pg_sections_{}", self.depth))
        }
    }
}

impl Drop for TransactionGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Unwinding from a panic: undo the work. A failure here has no
            // one to report to; the server aborts the transaction anyway
            // when the connection closes.
            let _ = self.finish_rollback();
        }
    }
}
