//! The async peers and their connections, opened once before measuring:
//! raw tokio-postgres (the limit), pg-sections over its `Pool` and in a
//! `Transaction`, sqlx on a `PgConnection` and on a `PgPool`, diesel-async;
//! and, for the throughput benchmark, the pools alone (pg-sections',
//! sqlx's, deadpool-postgres and bb8-postgres over raw tokio-postgres).

use std::future::Future;

use diesel_async::AsyncConnection as _;
use pg_sections::{Db, Pool};
use sqlx::Connection as _;

use crate::Rng;
use crate::db::bench::Bench;
use crate::peers::{TokioStatements, sql};

/// The most connections of every pool, the same for all of them
/// (pg-sections' default).
pub const POOL_SIZE: u32 = 16;

/// One async implementation of the workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsyncPeer {
    /// tokio-postgres, one client, statements prepared once, columns by
    /// index: the limit (1.0).
    TokioPostgres,
    /// pg-sections, `Pool::connect(url)` and its `Db<Bench>` handle: each
    /// query takes a pooled connection for its duration.
    Ours,
    /// pg-sections, the `Db<Bench>` handle of a `pool.transaction(…)`: every
    /// query on the transaction's connection (one transaction per
    /// criterion sample, its `BEGIN` and `COMMIT` outside the timing).
    OursTransaction,
    /// sqlx 0.8, `FromRow`, on one `PgConnection`.
    Sqlx,
    /// sqlx 0.8, `FromRow`, on a `PgPool` (its defaults, `max_connections(16)`).
    SqlxPool,
    /// diesel-async, one `AsyncPgConnection`.
    DieselAsync,
}

impl AsyncPeer {
    pub const ALL: [AsyncPeer; 6] = [
        AsyncPeer::TokioPostgres,
        AsyncPeer::Ours,
        AsyncPeer::OursTransaction,
        AsyncPeer::Sqlx,
        AsyncPeer::SqlxPool,
        AsyncPeer::DieselAsync,
    ];

    /// The name used in criterion's ids and in the report.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            AsyncPeer::TokioPostgres => "tokio_postgres",
            AsyncPeer::Ours => "pg_sections",
            AsyncPeer::OursTransaction => "pg_sections_tx",
            AsyncPeer::Sqlx => "sqlx",
            AsyncPeer::SqlxPool => "sqlx_pool",
            AsyncPeer::DieselAsync => "diesel_async",
        }
    }
}

/// Every async peer's connection. Opened on, and only usable from, the
/// runtime that connected them (their I/O runs as its tasks).
pub struct AsyncPeers {
    pub tokio: tokio_postgres::Client,
    pub tokio_statements: TokioStatements,
    pub pool: Pool,
    pub ours: Db<Bench>,
    /// The handle of the open transaction, inside [`AsyncPeers::session`].
    pub tx: Option<Db<Bench>>,
    pub sqlx: sqlx::PgConnection,
    pub sqlx_pool: sqlx::PgPool,
    pub diesel: diesel_async::AsyncPgConnection,
    pub rng: Rng,
}

impl AsyncPeers {
    /// Connects every peer to `url` (the schema must exist).
    pub async fn connect(url: &str) -> Self {
        let (tokio, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("tokio-postgres connection");
        tokio::spawn(connection);
        let tokio_statements = TokioStatements::prepare(&tokio).await;
        let pool = Pool::options(url)
            .max_size(POOL_SIZE as usize)
            .connect()
            .await
            .expect("pg-sections pool");
        let ours = pool.db::<Bench>();
        let sqlx = sqlx::PgConnection::connect(url)
            .await
            .expect("sqlx connection");
        let sqlx_pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .connect(url)
            .await
            .expect("sqlx pool");
        let diesel = diesel_async::AsyncPgConnection::establish(url)
            .await
            .expect("diesel-async connection");
        Self {
            tokio,
            tokio_statements,
            pool,
            ours,
            tx: None,
            sqlx,
            sqlx_pool,
            diesel,
            rng: Rng::new(0x5eed),
        }
    }

    /// Runs `f` as `peer` works: for [`AsyncPeer::OursTransaction`], inside
    /// a pg-sections transaction whose handle is in `self.tx` (committed
    /// when `f` ends); for the others, as is.
    pub async fn session<R>(&mut self, peer: AsyncPeer, f: impl AsyncFnOnce(&mut Self) -> R) -> R {
        if peer != AsyncPeer::OursTransaction {
            return f(self).await;
        }
        let pool = self.pool.clone();
        pool.transaction(async |tx| {
            self.tx = Some(tx.db::<Bench>());
            let out = f(&mut *self).await;
            self.tx = None;
            Ok::<_, pg_sections::Error>(out)
        })
        .await
        .expect("the benchmark's transaction commits")
    }

    /// The pg-sections handle of `peer`.
    #[must_use]
    pub fn ours_db(&self, peer: AsyncPeer) -> &Db<Bench> {
        match peer {
            AsyncPeer::OursTransaction => self
                .tx
                .as_ref()
                .expect("a transaction's handle is used inside `session`"),
            _ => &self.ours,
        }
    }
}

/// A pool of the throughput benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolPeer {
    /// pg-sections' `Pool` (deadpool inside), `PoolOptions` defaults.
    Ours,
    /// The same with `wait_timeout(None)`, as the other pools here run
    /// (deadpool-postgres has no wait timeout unless configured).
    OursNoWaitTimeout,
    /// sqlx's `PgPool`, its defaults (`test_before_acquire`: a ping per
    /// checkout).
    SqlxPool,
    /// The same with `test_before_acquire(false)`.
    SqlxPoolUntested,
    /// deadpool-postgres (`RecyclingMethod::Fast`, its default) over raw
    /// tokio-postgres, `prepare_cached` statements.
    Deadpool,
    /// bb8-postgres over raw tokio-postgres, bb8's defaults
    /// (`test_on_check_out`: `simple_query("")` per checkout), the
    /// statement prepared once per connection.
    Bb8,
    /// The same with `test_on_check_out(false)`: bb8's overhead alone, as
    /// deadpool's `Fast` recycling checks nothing either.
    Bb8Untested,
}

impl PoolPeer {
    pub const ALL: [PoolPeer; 7] = [
        PoolPeer::Ours,
        PoolPeer::OursNoWaitTimeout,
        PoolPeer::SqlxPool,
        PoolPeer::SqlxPoolUntested,
        PoolPeer::Deadpool,
        PoolPeer::Bb8,
        PoolPeer::Bb8Untested,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PoolPeer::Ours => "pg_sections",
            PoolPeer::OursNoWaitTimeout => "pg_sections_no_wait_timeout",
            PoolPeer::SqlxPool => "sqlx_pool",
            PoolPeer::SqlxPoolUntested => "sqlx_pool_untested",
            PoolPeer::Deadpool => "deadpool_postgres",
            PoolPeer::Bb8 => "bb8_postgres",
            PoolPeer::Bb8Untested => "bb8_postgres_untested",
        }
    }
}

/// A bb8-postgres connection with W5's statement prepared on it, so that
/// the bb8 peers, like deadpool-postgres' `prepare_cached`, send one
/// round trip per query (bb8-postgres has no statement cache of its own).
pub struct Prepared {
    pub client: tokio_postgres::Client,
    pub user_by_id: tokio_postgres::Statement,
}

/// bb8-postgres' manager, preparing W5's statement on each new connection.
pub struct PreparedManager(pub bb8_postgres::PostgresConnectionManager<tokio_postgres::NoTls>);

impl bb8::ManageConnection for PreparedManager {
    type Connection = Prepared;
    type Error = tokio_postgres::Error;

    async fn connect(&self) -> Result<Prepared, tokio_postgres::Error> {
        let client = self.0.connect().await?;
        let user_by_id = client.prepare(sql::USER_BY_ID).await?;
        Ok(Prepared { client, user_by_id })
    }

    fn is_valid(
        &self,
        conn: &mut Prepared,
    ) -> impl Future<Output = Result<(), tokio_postgres::Error>> + Send {
        self.0.is_valid(&mut conn.client)
    }

    fn has_broken(&self, conn: &mut Prepared) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}

/// The pools of the throughput benchmark, each at most [`POOL_SIZE`]
/// connections.
#[derive(Clone)]
pub struct Pools {
    pub ours: Db<Bench>,
    pub ours_no_wait_timeout: Db<Bench>,
    pub sqlx: sqlx::PgPool,
    pub sqlx_untested: sqlx::PgPool,
    pub deadpool: deadpool_postgres::Pool,
    pub bb8: bb8::Pool<PreparedManager>,
    pub bb8_untested: bb8::Pool<PreparedManager>,
}

impl Pools {
    /// Builds every pool (each opens its connections as the load needs them).
    pub async fn connect(url: &str) -> Self {
        let pool = Pool::options(url)
            .max_size(POOL_SIZE as usize)
            .connect()
            .await
            .expect("pg-sections pool");
        let no_wait_timeout = Pool::options(url)
            .max_size(POOL_SIZE as usize)
            .wait_timeout(None)
            .connect()
            .await
            .expect("pg-sections pool");
        let sqlx = sqlx::postgres::PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .connect(url)
            .await
            .expect("sqlx pool");
        let sqlx_untested = sqlx::postgres::PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .test_before_acquire(false)
            .connect(url)
            .await
            .expect("sqlx pool");
        let config: tokio_postgres::Config = url.parse().expect("a tokio-postgres URL");
        let manager = deadpool_postgres::Manager::from_config(
            config.clone(),
            tokio_postgres::NoTls,
            deadpool_postgres::ManagerConfig {
                recycling_method: deadpool_postgres::RecyclingMethod::Fast,
            },
        );
        let deadpool = deadpool_postgres::Pool::builder(manager)
            .max_size(POOL_SIZE as usize)
            .build()
            .expect("deadpool-postgres pool");
        let bb8_manager = || {
            PreparedManager(bb8_postgres::PostgresConnectionManager::new(
                config.clone(),
                tokio_postgres::NoTls,
            ))
        };
        let bb8 = bb8::Pool::builder()
            .max_size(POOL_SIZE)
            .build(bb8_manager())
            .await
            .expect("bb8 pool");
        let bb8_untested = bb8::Pool::builder()
            .max_size(POOL_SIZE)
            .test_on_check_out(false)
            .build(bb8_manager())
            .await
            .expect("bb8 pool");
        Self {
            ours: pool.db::<Bench>(),
            ours_no_wait_timeout: no_wait_timeout.db::<Bench>(),
            sqlx,
            sqlx_untested,
            deadpool,
            bb8,
            bb8_untested,
        }
    }
}
