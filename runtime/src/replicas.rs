//! Reads on streaming replicas: which replica of a [`Pool`](crate::Pool)
//! answers a read outside a transaction, how each replica's health and lag
//! are known (checked at most once an interval, by the read that finds the
//! last check stale), and what a read does when its replica fails under
//! it (the primary answers, and the fallback is counted).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::error::SqlState;

use crate::checkout::Connections;
use crate::error::Error;

/// How far behind its primary a replica may be and still answer reads,
/// by default ([`PoolOptions::max_replica_lag`](crate::PoolOptions::max_replica_lag)).
pub const DEFAULT_MAX_REPLICA_LAG: Duration = Duration::from_secs(5);

/// How often a replica's health and lag are checked, by default
/// ([`PoolOptions::replica_check_interval`](crate::PoolOptions::replica_check_interval)).
pub const DEFAULT_REPLICA_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// A replica's lag: zero when it is no standby (promoted) or has replayed
/// all it received, else the time since the last transaction it replayed
/// was committed on the primary (an idle primary commits nothing, so a
/// replica that has replayed everything is never counted behind for it).
/// `-1` when it is a standby that receives nothing: no WAL receiver runs
/// (its primary unreachable, its replication broken), so what it has may
/// be any age.
const LAG: &str = "SELECT CASE \
    WHEN NOT pg_catalog.pg_is_in_recovery() THEN 0 \
    WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_stat_wal_receiver) THEN -1 \
    WHEN pg_catalog.pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_catalog.pg_last_wal_replay_lsn() THEN 0 \
    ELSE coalesce(extract(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.pg_last_xact_replay_timestamp()), 0) \
    END::float8::text";

/// The state of a replica as its last check found it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ReplicaState {
    /// Not checked yet: no read has gone its way.
    Unchecked,
    /// It answers reads: at most the pool's bound behind.
    Ready {
        /// How far behind the primary it was.
        lag: Duration,
    },
    /// Further behind than the pool's bound: reads go elsewhere until a
    /// check finds it caught up.
    Lagging {
        /// How far behind the primary it was.
        lag: Duration,
    },
    /// Unreachable, or its connection failed under a read: reads go
    /// elsewhere until a check reaches it.
    Down {
        /// What failed.
        error: String,
    },
}

/// A replica of a [`Pool`](crate::Pool): its URL and what its last check
/// found ([`Pool::replicas`](crate::Pool::replicas)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReplicaStatus {
    /// The replica's URL, password masked.
    pub url: String,
    /// What the last check found.
    pub state: ReplicaState,
    /// Reads it answered so far.
    pub reads: u64,
}

/// The replicas of a pool, and the counts of where its reads went.
pub(crate) struct Readers {
    replicas: Vec<Arc<Replica>>,
    /// Where the next pick starts: reads take turns.
    next: AtomicUsize,
    max_lag: Duration,
    check_every: Duration,
    /// Reads that a replica would have answered but none could, so the
    /// primary did.
    pub(crate) fallbacks: AtomicU64,
}

/// One replica: its connections and its health.
pub(crate) struct Replica {
    pub(crate) connections: Connections,
    /// Its URL, password masked.
    pub(crate) url: Arc<str>,
    /// How long a check may take: its connect timeout.
    check_timeout: Duration,
    health: Mutex<Health>,
    reads: AtomicU64,
}

struct Health {
    state: ReplicaState,
    /// When the last check ended.
    checked: Option<Instant>,
    /// A read is checking it now: the others go by the last state.
    checking: bool,
}

impl Readers {
    pub(crate) fn new(max_lag: Duration, check_every: Duration) -> Self {
        Self {
            replicas: Vec::new(),
            next: AtomicUsize::new(0),
            max_lag,
            check_every,
            fallbacks: AtomicU64::new(0),
        }
    }

    pub(crate) fn add(&mut self, connections: Connections, url: Arc<str>, check_timeout: Duration) {
        self.replicas.push(Arc::new(Replica {
            connections,
            url,
            check_timeout,
            health: Mutex::new(Health {
                state: ReplicaState::Unchecked,
                checked: None,
                checking: false,
            }),
            reads: AtomicU64::new(0),
        }));
    }

    /// Whether the pool has replicas at all.
    pub(crate) fn any(&self) -> bool {
        !self.replicas.is_empty()
    }

    /// The replica to answer the next read: the next one in turn that its
    /// last check found ready (checked again first when that check is
    /// older than the interval). `None` when none is.
    pub(crate) async fn pick(&self) -> Option<&Arc<Replica>> {
        let count = self.replicas.len();
        if count == 0 {
            return None;
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for offset in 0..count {
            let replica = &self.replicas[(start + offset) % count];
            if replica.ready(self.max_lag, self.check_every).await {
                return Some(replica);
            }
        }
        None
    }

    /// Reads answered by replicas so far.
    pub(crate) fn replica_reads(&self) -> u64 {
        self.replicas
            .iter()
            .map(|replica| replica.reads.load(Ordering::Relaxed))
            .sum()
    }

    pub(crate) fn status(&self) -> Vec<ReplicaStatus> {
        self.replicas
            .iter()
            .map(|replica| ReplicaStatus {
                url: replica.url.to_string(),
                state: replica.health().state.clone(),
                reads: replica.reads.load(Ordering::Relaxed),
            })
            .collect()
    }
}

impl Replica {
    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether it answers reads now, checking it first when its last check
    /// is stale and no other read is checking it.
    async fn ready(self: &Arc<Self>, max_lag: Duration, check_every: Duration) -> bool {
        let serving = {
            let mut health = self.health();
            let fresh = health
                .checked
                .is_some_and(|checked| checked.elapsed() < check_every);
            if fresh || health.checking {
                return matches!(health.state, ReplicaState::Ready { .. });
            }
            health.checking = true;
            matches!(
                health.state,
                ReplicaState::Ready { .. } | ReplicaState::Unchecked
            )
        };
        if !serving {
            // Down or behind: checked again beside the reads, which go on
            // to the primary meanwhile rather than wait for it.
            let replica = Arc::clone(self);
            tokio::spawn(async move { replica.check(max_lag).await });
            return false;
        }
        self.check(max_lag).await
    }

    /// Checks it, bounded in time (a replica that takes connections but
    /// never answers is down, not a read that waits for ever), and keeps
    /// what it found: whether it answers reads.
    async fn check(&self, max_lag: Duration) -> bool {
        // Dropped mid-check (its read cancelled), the check is left to the
        // next read.
        let unmark = Unmark(self);
        let state = match tokio::time::timeout(self.check_timeout, self.lag()).await {
            Ok(Ok(Some(lag))) if lag <= max_lag => ReplicaState::Ready { lag },
            Ok(Ok(Some(lag))) => ReplicaState::Lagging { lag },
            Ok(Ok(None)) => ReplicaState::Down {
                error: "it is a standby that receives nothing from its primary (no WAL receiver runs): \
                        what it has may be any age"
                    .to_owned(),
            },
            Ok(Err(error)) => ReplicaState::Down {
                error: error.to_string(),
            },
            Err(_) => ReplicaState::Down {
                error: format!(
                    "its health check got no answer within {} s",
                    self.check_timeout.as_secs_f64()
                ),
            },
        };
        drop(unmark);
        let mut health = self.health();
        health.checking = false;
        health.checked = Some(Instant::now());
        health.state = state;
        matches!(health.state, ReplicaState::Ready { .. })
    }

    /// How far behind its primary it is (see [`LAG`]); `None` when it
    /// receives nothing.
    async fn lag(&self) -> Result<Option<Duration>, Error> {
        let conn = self.connections.get(&self.url).await?;
        let messages = conn
            .client
            .simple_query(LAG)
            .await
            .map_err(|error| Error::database("", LAG, error))?;
        let seconds = messages
            .iter()
            .find_map(|message| match message {
                SimpleQueryMessage::Row(row) => {
                    row.get(0).and_then(|text| text.parse::<f64>().ok())
                }
                _ => None,
            })
            .unwrap_or(0.0);
        if seconds < 0.0 {
            return Ok(None);
        }
        Ok(Some(
            Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO),
        ))
    }

    /// Marks it down after `error` lost a read: reads go elsewhere until
    /// the next check.
    pub(crate) fn lost(&self, error: &Error) {
        let mut health = self.health();
        health.state = ReplicaState::Down {
            error: error.to_string(),
        };
        health.checked = Some(Instant::now());
    }

    /// Counts a read it answered.
    pub(crate) fn answered(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }
}

/// Clears a replica's `checking` mark when its check is abandoned.
struct Unmark<'a>(&'a Replica);

impl Drop for Unmark<'_> {
    fn drop(&mut self) {
        self.0.health().checking = false;
    }
}

/// What to do after a read on a replica failed with `error`.
pub(crate) enum AfterFailure {
    /// The replica is gone (refused, closed, shutting down): marked down,
    /// and the read asked again elsewhere.
    Lost,
    /// A conflict with the replay of the primary's changes cancelled it,
    /// or no connection of the replica came free in time: the primary
    /// answers it.
    Conflict,
    /// The read's own error (bad data, timeout): the caller's.
    Keep,
}

/// How a read's failure on a replica is handled.
pub(crate) fn after_failure(error: &Error) -> AfterFailure {
    match error {
        Error::Connect { .. } | Error::ConnectTimeout { .. } => AfterFailure::Lost,
        // Busy, not gone: the primary answers this read.
        Error::PoolTimeout { .. } => AfterFailure::Conflict,
        Error::Database { source, .. } => match source.code() {
            Some(code)
                if *code == SqlState::ADMIN_SHUTDOWN
                    || *code == SqlState::CRASH_SHUTDOWN
                    || *code == SqlState::CANNOT_CONNECT_NOW =>
            {
                AfterFailure::Lost
            }
            // A standby cancels a query whose rows the replay must remove.
            Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE => AfterFailure::Conflict,
            Some(_) => AfterFailure::Keep,
            // No answer from the server: the connection broke.
            None if source.is_closed()
                || std::error::Error::source(source)
                    .is_some_and(<dyn std::error::Error>::is::<std::io::Error>) =>
            {
                AfterFailure::Lost
            }
            None => AfterFailure::Keep,
        },
        _ => AfterFailure::Keep,
    }
}
