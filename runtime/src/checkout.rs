//! A pool's checkout. deadpool opens, bounds and recycles the connections;
//! a connection that a query gives back ready for the next one (no
//! transaction open, nothing abandoned on it, still open) waits in a queue
//! of the pool's own and is handed out from it first: a lock and a push or
//! pop, where deadpool's checkout and return take its semaphore, its queue,
//! a clock read and the recycle step (~0.5 µs a query, measured in
//! `BENCHMARKS.md`'s analysis). The queue is first in, first out, as
//! deadpool's is: idle connections take turns.
//!
//! A checkout that finds the queue empty goes to deadpool, where it may
//! wait. While one does, connections given back go to deadpool too, which
//! hands them to its waiters in their order: no checkout waits while a
//! connection sits in the queue ([`Handoff`]).

use std::collections::VecDeque;
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
    /// What opens, bounds and recycles the connections, and queues whoever
    /// waits for one.
    pool: managed::Pool<Manager>,
    /// Connections given back ready.
    ready: Handoff<Object>,
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
            ready: Handoff::default(),
        }))
    }

    pub(crate) fn counts(&self) -> Counts {
        let status = self.0.pool.status();
        // Two readings, under two locks: a connection moving between them
        // is counted once at most.
        let idle = (status.available + self.0.ready.len()).min(status.size);
        Counts {
            max_size: status.max_size,
            size: status.size,
            idle,
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
        if let Some(conn) = self.take() {
            return Ok(conn);
        }
        let elsewhere = self.0.ready.count();
        if let Some(conn) = self.take() {
            return Ok(conn);
        }
        let got = self.at_deadpool(url).await;
        drop(elsewhere);
        got
    }

    /// Gives back a connection a query is done with: kept for the next
    /// checkout when it is ready for it and no checkout is at deadpool,
    /// else to deadpool (which recycles it before its next use: rolls back
    /// a transaction left open, discards one closed or interrupted).
    pub(crate) fn give_back(&self, conn: Object) {
        if conn.ready() {
            drop(self.0.ready.keep(conn));
        }
    }

    /// The connection given back longest ago that is still open; those
    /// found closed leave the pool, which may then open others.
    fn take(&self) -> Option<Object> {
        loop {
            let conn = self.0.ready.take()?;
            if !conn.client.is_closed() {
                return Some(conn);
            }
            drop(managed::Object::take(conn));
        }
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

/// The hand-over between whoever gives connections back and the
/// checkouts, apart from what a connection is (`T`) and from deadpool
/// ("elsewhere").
///
/// A checkout calls [`Handoff::take`]; finding nothing, it is
/// [counted](Handoff::count), calls `take` once more, and only then goes
/// elsewhere, where it may wait, counted until it is served. Whoever gives
/// a connection back calls [`Handoff::keep`], which keeps it unless a
/// checkout is counted, and after keeping it looks at the count again.
/// Either that second look sees a checkout's count, and a connection goes
/// elsewhere for it, or the count came after the keep, and the checkout's
/// second `take` finds the connection: no checkout waits elsewhere beside
/// a kept connection. (A count and a keep are ordered by the lock the
/// `take` after the count and the keep both take.)
struct Handoff<T> {
    kept: Mutex<VecDeque<T>>,
    /// Checkouts gone elsewhere, until they are served.
    elsewhere: AtomicUsize,
}

impl<T> Default for Handoff<T> {
    fn default() -> Self {
        Self {
            kept: Mutex::new(VecDeque::new()),
            elsewhere: AtomicUsize::new(0),
        }
    }
}

impl<T> Handoff<T> {
    /// The connection kept longest ago.
    fn take(&self) -> Option<T> {
        self.kept().pop_front()
    }

    /// Counts a checkout that found nothing, until the guard is dropped.
    fn count(&self) -> Elsewhere<'_> {
        self.elsewhere.fetch_add(1, Ordering::SeqCst);
        Elsewhere(&self.elsewhere)
    }

    /// Keeps `conn` for the next checkout, or gives back what must go
    /// elsewhere, where a checkout is counted: `conn` itself, or after
    /// keeping it, the connection kept longest ago.
    fn keep(&self, conn: T) -> Option<T> {
        if self.elsewhere.load(Ordering::SeqCst) > 0 {
            return Some(conn);
        }
        self.kept().push_back(conn);
        self.for_elsewhere()
    }

    /// After a keep: a connection for a checkout counted meanwhile.
    fn for_elsewhere(&self) -> Option<T> {
        if self.elsewhere.load(Ordering::SeqCst) > 0 {
            self.take()
        } else {
            None
        }
    }

    fn len(&self) -> usize {
        self.kept().len()
    }

    fn kept(&self) -> MutexGuard<'_, VecDeque<T>> {
        // Nothing panics while it is held.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A checkout counted at [`Handoff::count`].
struct Elsewhere<'a>(&'a AtomicUsize);

impl Drop for Elsewhere<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering::SeqCst;

    use super::Handoff;

    /// One step of a checkout or of a keep, as `Handoff`'s callers take
    /// them.
    #[derive(Clone, Copy, Debug)]
    enum Step {
        /// The checkout's first `take`.
        Take,
        /// The checkout counted, then its second `take`.
        Count,
        TakeAgain,
        /// The keep's look at the count, its push, its second look.
        Look,
        Push,
        LookAgain,
    }

    /// Every order of a checkout's three steps and a keep's three, each in
    /// its own order: the checkout never ends up elsewhere while the
    /// connection is kept.
    #[test]
    fn no_checkout_waits_elsewhere_beside_a_kept_connection() {
        let checkout = [Step::Take, Step::Count, Step::TakeAgain];
        let keep = [Step::Look, Step::Push, Step::LookAgain];
        let mut orders = 0;
        for mask in 0_u32..64 {
            if mask.count_ones() != 3 {
                continue;
            }
            let (mut c, mut k) = (0, 0);
            let order: Vec<Step> = (0..6)
                .map(|i| {
                    if mask & (1 << i) == 0 {
                        c += 1;
                        checkout[c - 1]
                    } else {
                        k += 1;
                        keep[k - 1]
                    }
                })
                .collect();
            orders += 1;
            run(&order);
        }
        assert_eq!(orders, 20);
    }

    /// Runs one order; panics if the checkout is left elsewhere with the
    /// connection kept.
    fn run(order: &[Step]) {
        let handoff = Handoff::<&str>::default();
        let mut served = None;
        let mut counted = None;
        let mut keeping = Some("conn");
        let mut sent_elsewhere = None;
        let mut checkout_done = false;
        let mut keep_done = false;
        for step in order {
            match step {
                Step::Take if !checkout_done => {
                    served = handoff.take();
                    checkout_done = served.is_some();
                }
                Step::Count if !checkout_done => counted = Some(handoff.count()),
                Step::TakeAgain if !checkout_done => {
                    served = handoff.take();
                    checkout_done = true;
                }
                Step::Look if !keep_done && handoff.elsewhere.load(SeqCst) > 0 => {
                    sent_elsewhere = keeping.take();
                    keep_done = true;
                }
                Step::Push if !keep_done => handoff.kept().push_back(keeping.take().unwrap()),
                Step::LookAgain if !keep_done => {
                    sent_elsewhere = handoff.for_elsewhere();
                    keep_done = true;
                }
                _ => {}
            }
        }
        let waits_elsewhere = served.is_none() && counted.is_some();
        assert!(
            !(waits_elsewhere && sent_elsewhere.is_none()),
            "{order:?}: the checkout waits elsewhere and the connection is kept"
        );
        assert!(
            served.is_some() || sent_elsewhere.is_some() || handoff.len() == 1,
            "{order:?}: the connection was lost"
        );
        drop(counted);
        assert_eq!(handoff.elsewhere.load(SeqCst), 0);
    }

    /// `keep` as a whole: kept when no checkout is counted, given back
    /// when one is, and what a counted checkout finds.
    #[test]
    fn keep_keeps_unless_a_checkout_is_elsewhere() {
        let handoff = Handoff::default();
        assert_eq!(handoff.keep(1), None);
        assert_eq!(handoff.keep(2), None);
        assert_eq!(handoff.take(), Some(1), "first in, first out");
        let counted = handoff.count();
        assert_eq!(handoff.keep(3), Some(3));
        drop(counted);
        assert_eq!(handoff.keep(4), None);
        assert_eq!(handoff.len(), 2);
    }
}
