//! A pool's checkout. deadpool opens, bounds and recycles the connections;
//! a connection that a query gives back ready for the next one (no
//! transaction open, nothing abandoned on it, still open) waits in a stack
//! of the pool's own and is handed out from it first: a lock and a `Vec`
//! push or pop, where deadpool's checkout and return take its semaphore,
//! its queue, a clock read and the recycle step (~0.5 µs a query, measured
//! in `BENCHMARKS.md`'s analysis).
//!
//! A checkout that finds the stack empty goes to deadpool, where it may
//! wait. While one does, connections given back go to deadpool too, which
//! hands them to its waiters in their order: no checkout waits while a
//! connection sits in the stack (see [`Connections::give_back`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use deadpool::managed::{self, PoolError, Timeouts};

use crate::error::{Error, Result};
use crate::pool::Manager;

/// A connection checked out of a pool; given back to deadpool when dropped.
pub(crate) type Object = managed::Object<Manager>;

/// The connections to one server (a pool's primary, or one replica).
/// Clones share them.
#[derive(Clone)]
pub(crate) struct Connections(Arc<Shared>);

struct Shared {
    /// What opens, bounds and recycles the connections.
    pool: managed::Pool<Manager>,
    /// Connections given back ready, the last one on top: it is the one
    /// whose statements and buffers were used last.
    ready: Mutex<Vec<Object>>,
    /// Checkouts that found `ready` empty and went to deadpool, where they
    /// may be waiting.
    elsewhere: AtomicUsize,
}

/// How many connections a pool has and holds, for [`crate::PoolStatus`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) max_size: usize,
    pub(crate) size: usize,
    pub(crate) idle: usize,
    pub(crate) waiting: usize,
}

impl Connections {
    pub(crate) fn new(pool: managed::Pool<Manager>) -> Self {
        Self(Arc::new(Shared {
            pool,
            ready: Mutex::new(Vec::new()),
            elsewhere: AtomicUsize::new(0),
        }))
    }

    pub(crate) fn counts(&self) -> Counts {
        let status = self.0.pool.status();
        Counts {
            max_size: status.max_size,
            size: status.size,
            idle: status.available + self.ready().len(),
            waiting: status.waiting,
        }
    }

    /// A connection (to `url`, for messages), boxed: its future holds
    /// deadpool's checkout (1.7 kB: the wait, create and recycle steps and
    /// their timers; opening and rolling back are boxed inside), which
    /// every future that takes a connection would otherwise carry inline.
    /// A query's own path, boxed whole (`Executor::run_as`), calls
    /// [`Connections::checkout`] and saves the second allocation.
    pub(crate) async fn get(&self, url: &str) -> Result<Object> {
        Box::pin(self.checkout(url)).await
    }

    /// [`Connections::get`], inline.
    pub(crate) async fn checkout(&self, url: &str) -> Result<Object> {
        if let Some(conn) = self.pop() {
            return Ok(conn);
        }
        // Counted before the stack is looked at again: a connection given
        // back meanwhile is either found there now, or handed to deadpool
        // by `give_back`, which sees this count.
        let elsewhere = Elsewhere::count(&self.0.elsewhere);
        if let Some(conn) = self.pop() {
            return Ok(conn);
        }
        let got = self.at_deadpool(url).await;
        drop(elsewhere);
        got
    }

    /// Gives back a connection a query is done with: to the stack when it
    /// is ready for the next one and no checkout is at deadpool, else to
    /// deadpool (which recycles it before its next use: rolls back a
    /// transaction left open, discards one closed or interrupted).
    pub(crate) fn give_back(&self, conn: Object) {
        if !conn.ready() || self.0.elsewhere.load(Ordering::SeqCst) > 0 {
            drop(conn);
            return;
        }
        self.ready().push(conn);
        // A checkout may have found the stack empty just before the push
        // and gone to deadpool, which has no connection for it: it is
        // given one. (Its count is made before its last look at the stack,
        // and this look comes after the push, so one of the two sees the
        // other.)
        if self.0.elsewhere.load(Ordering::SeqCst) > 0 {
            let conn = self.ready().pop();
            drop(conn);
        }
    }

    /// The connection given back last that is still open; those found
    /// closed leave the pool, which may then open others.
    fn pop(&self) -> Option<Object> {
        loop {
            let conn = self.ready().pop()?;
            if !conn.client.is_closed() {
                return Some(conn);
            }
            drop(managed::Object::take(conn));
        }
    }

    fn ready(&self) -> MutexGuard<'_, Vec<Object>> {
        // Nothing panics while it is held.
        self.0.ready.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A connection from deadpool: a free one, else one it opens, else the
    /// first given back, within the pool's wait timeout.
    async fn at_deadpool(&self, url: &str) -> Result<Object> {
        // A connection free now is taken without arming the wait timer (a
        // timer entry and a clock read); only a caller that has to wait
        // waits under the pool's `wait_timeout`. Waiters queue before free
        // permits exist, so this does not jump the queue.
        const FREE_NOW: Timeouts = Timeouts {
            wait: Some(Duration::ZERO),
            create: None,
            recycle: None,
        };
        let pool = &self.0.pool;
        let got = match pool.timeout_get(&FREE_NOW).await {
            Err(PoolError::Timeout(managed::TimeoutType::Wait)) => Box::pin(pool.get()).await,
            got => got,
        };
        got.map_err(|error| match error {
            PoolError::Backend(error) => error,
            PoolError::Timeout(_) => Error::PoolTimeout {
                url: url.to_owned(),
                timeout: pool.timeouts().wait.unwrap_or_default(),
            },
            PoolError::Closed => Error::Pool {
                message: "the pool is closed".to_owned(),
            },
            other => Error::Pool {
                message: other.to_string(),
            },
        })
    }
}

/// A checkout at deadpool, counted until it has its connection or is
/// dropped.
struct Elsewhere<'a>(&'a AtomicUsize);

impl<'a> Elsewhere<'a> {
    fn count(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Elsewhere<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
