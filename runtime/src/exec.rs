//! Where a query runs. The builder writes each operation once, as an
//! `async` body over an [`Executor`] that its handle gives it; the handle
//! then drives that body: a blocking handle to completion on the calling
//! thread ([`block_on`]: its executor never waits), an async handle as a
//! future.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use postgres::Row;
use postgres_types::ToSql;

use crate::connection::Connection;
use crate::error::Result;

/// The parameters of one statement: up to four held inline (a key, a
/// filter or two, a limit), more on the heap.
pub(crate) type Params<'a> = smallvec::SmallVec<[&'a (dyn ToSql + Sync); 4]>;

/// The statements of one write: one, held inline, unless an insert of
/// many rows is split.
pub(crate) type Statements<'a> = smallvec::SmallVec<[(String, Params<'a>); 1]>;

/// What each statement of a write gave back.
pub(crate) type Answers<A> = smallvec::SmallVec<[A; 1]>;

/// What a statement gives back: how many rows it affected (`u64`), every
/// row (`Vec<Row>`), or the first row if any (`Option<Row>`, the rest read
/// and dropped). Each executor knows how to ask for each.
pub(crate) trait Answer: Sized + Send {
    /// Runs `sql` on a blocking connection.
    fn blocking(
        conn: &Connection,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Self>;

    /// Runs a prepared statement on an async client.
    fn pooled<'a>(
        client: &'a tokio_postgres::Client,
        statement: &'a tokio_postgres::Statement,
        params: &'a [&'a (dyn ToSql + Sync)],
    ) -> impl Future<Output = std::result::Result<Self, tokio_postgres::Error>> + Send + 'a;

    /// Runs `sql` as the unnamed statement, its parameters' types given
    /// ([`StatementMode::Unnamed`](crate::StatementMode::Unnamed)).
    fn unnamed<'a>(
        client: &'a tokio_postgres::Client,
        sql: &'a str,
        params: &'a [(&'a (dyn ToSql + Sync), postgres_types::Type)],
    ) -> impl Future<Output = std::result::Result<Self, tokio_postgres::Error>> + Send + 'a;
}

impl Answer for u64 {
    fn blocking(
        conn: &Connection,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Self> {
        conn.execute(table, sql, params)
    }

    fn pooled<'a>(
        client: &'a tokio_postgres::Client,
        statement: &'a tokio_postgres::Statement,
        params: &'a [&'a (dyn ToSql + Sync)],
    ) -> impl Future<Output = std::result::Result<Self, tokio_postgres::Error>> + Send + 'a {
        client.execute(statement, params)
    }

    fn unnamed<'a>(
        client: &'a tokio_postgres::Client,
        sql: &'a str,
        params: &'a [(&'a (dyn ToSql + Sync), postgres_types::Type)],
    ) -> impl Future<Output = std::result::Result<Self, tokio_postgres::Error>> + Send + 'a {
        client.execute_typed(sql, params)
    }
}

/// The first row of a primary key's `find`. A key matches a few rows at
/// most (one, or one per inheritance child holding the same key), so the
/// blocking client reads them in one round of its executor, where
/// `Option<Row>` reads row by row (a round each) so that any result,
/// however large, streams.
pub(crate) struct KeyRow(pub(crate) Option<Row>);

impl Answer for KeyRow {
    fn blocking(
        conn: &Connection,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Self> {
        conn.query_key_row(table, sql, params).map(Self)
    }

    async fn pooled<'a>(
        client: &'a tokio_postgres::Client,
        statement: &'a tokio_postgres::Statement,
        params: &'a [&'a (dyn ToSql + Sync)],
    ) -> std::result::Result<Self, tokio_postgres::Error> {
        <Option<Row> as Answer>::pooled(client, statement, params)
            .await
            .map(Self)
    }

    async fn unnamed<'a>(
        client: &'a tokio_postgres::Client,
        sql: &'a str,
        params: &'a [(&'a (dyn ToSql + Sync), postgres_types::Type)],
    ) -> std::result::Result<Self, tokio_postgres::Error> {
        <Option<Row> as Answer>::unnamed(client, sql, params)
            .await
            .map(Self)
    }
}

impl Answer for Vec<Row> {
    fn blocking(
        conn: &Connection,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Self> {
        conn.query(table, sql, params)
    }

    fn pooled<'a>(
        client: &'a tokio_postgres::Client,
        statement: &'a tokio_postgres::Statement,
        params: &'a [&'a (dyn ToSql + Sync)],
    ) -> impl Future<Output = std::result::Result<Self, tokio_postgres::Error>> + Send + 'a {
        client.query(statement, params)
    }

    fn unnamed<'a>(
        client: &'a tokio_postgres::Client,
        sql: &'a str,
        params: &'a [(&'a (dyn ToSql + Sync), postgres_types::Type)],
    ) -> impl Future<Output = std::result::Result<Self, tokio_postgres::Error>> + Send + 'a {
        client.query_typed(sql, params)
    }
}

impl Answer for Option<Row> {
    fn blocking(
        conn: &Connection,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Self> {
        conn.query_first(table, sql, params)
    }

    async fn pooled<'a>(
        client: &'a tokio_postgres::Client,
        statement: &'a tokio_postgres::Statement,
        params: &'a [&'a (dyn ToSql + Sync)],
    ) -> std::result::Result<Self, tokio_postgres::Error> {
        let rows = client.query_raw(statement, params.iter().copied()).await?;
        first_of(rows).await
    }

    async fn unnamed<'a>(
        client: &'a tokio_postgres::Client,
        sql: &'a str,
        params: &'a [(&'a (dyn ToSql + Sync), postgres_types::Type)],
    ) -> std::result::Result<Self, tokio_postgres::Error> {
        let rows = client
            .query_typed_raw(sql, params.iter().map(|(value, ty)| (*value, ty.clone())))
            .await?;
        first_of(rows).await
    }
}

/// The first row of `rows`, the rest read (so that the statement is over)
/// and dropped.
async fn first_of(
    rows: tokio_postgres::RowStream,
) -> std::result::Result<Option<Row>, tokio_postgres::Error> {
    use futures_util::TryStreamExt;
    let mut rows = pin!(rows);
    let first = rows.try_next().await?;
    if first.is_some() {
        // An ended stream must not be polled again: it would report the
        // connection closed.
        while rows.try_next().await?.is_some() {}
    }
    Ok(first)
}

pub(crate) mod sealed {
    /// The connection a handle runs a query on, ready for its section.
    /// Only this crate makes one, so no handle outside it hands out a
    /// connection that opens every section.
    pub struct Executor<'a>(pub(crate) super::Kind<'a>);
}
pub(crate) use sealed::Executor;

pub(crate) enum Kind<'a> {
    /// A blocking connection: each statement runs to completion when sent.
    Blocking {
        conn: &'a Connection,
        /// The section's schema, for `search_path` when the connection pins it.
        schema: &'static str,
        /// The section, when it is a tenant template: a blocking handle
        /// has no tenant, and the template's own schema never exists.
        template: Option<&'static str>,
    },
    /// An async handle's pool, or the connection of its transaction.
    Pooled {
        source: &'a crate::pool::Source,
        /// The handle's statement timeout.
        timeout: Option<std::time::Duration>,
        /// The tenant whose schema its statements run on.
        tenant: Option<&'a crate::tenant::TenantSchema>,
    },
}

impl Executor<'_> {
    /// Runs one statement, on the primary.
    pub(crate) async fn run<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<A> {
        self.run_as(table, sql, params, false).await
    }

    /// Runs one statement that only reads (no locks taken): a pool's
    /// replica may answer it.
    pub(crate) async fn read<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<A> {
        self.run_as(table, sql, params, true).await
    }

    async fn run_as<A: Answer>(
        &self,
        table: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        read: bool,
    ) -> Result<A> {
        match &self.0 {
            Kind::Blocking {
                conn,
                schema,
                template,
            } => {
                refuse_template(*template)?;
                conn.enter_section(schema)?;
                A::blocking(conn, table, sql, params)
            }
            // Boxed: inline, the pool's future (checkout, timeout, cancel)
            // would make every query's future as large, several kB that
            // the blocking mode moves on each query without polling them.
            Kind::Pooled {
                source,
                timeout,
                tenant: None,
            } => Box::pin(source.run(table, sql, params, *timeout, read)).await,
            Kind::Pooled {
                source,
                timeout,
                tenant: Some(tenant),
            } => {
                let sql = tenant.rewrite(sql);
                Box::pin(source.run(table, &sql, params, *timeout, read)).await
            }
        }
    }

    /// Runs the statements: one alone, or several in one transaction (a
    /// savepoint inside one), so that they stay all-or-nothing.
    pub(crate) async fn run_all<A: Answer>(
        &self,
        table: &'static str,
        statements: &[(String, Params<'_>)],
    ) -> Result<Answers<A>> {
        if let [(sql, params)] = statements {
            return Ok(smallvec::smallvec![self.run(table, sql, params).await?]);
        }
        match &self.0 {
            Kind::Blocking {
                conn,
                schema,
                template,
            } => {
                refuse_template(*template)?;
                conn.enter_section(schema)?;
                conn.transaction(|| {
                    statements
                        .iter()
                        .map(|(sql, params)| A::blocking(conn, table, sql, params))
                        .collect()
                })
            }
            Kind::Pooled {
                source,
                timeout,
                tenant,
            } => match tenant {
                // Boxed, as in `run_as`.
                None => Box::pin(source.run_all(table, statements, *timeout))
                    .await
                    .map(Answers::from_vec),
                Some(tenant) => {
                    let moved: Vec<(String, Params<'_>)> = statements
                        .iter()
                        .map(|(sql, params)| (tenant.rewrite(sql), params.clone()))
                        .collect();
                    Box::pin(source.run_all(table, &moved, *timeout))
                        .await
                        .map(Answers::from_vec)
                }
            },
        }
    }
}

/// Refuses a blocking handle of a tenant template (`section`).
pub(crate) fn refuse_template(section: Option<&'static str>) -> Result<()> {
    match section {
        Some(section) => Err(crate::Error::TenantTemplate { section }),
        None => Ok(()),
    }
}

/// Runs `future` to completion on this thread. The blocking executor
/// never waits, so the first poll finishes it; should a future wait
/// anyway, the thread sleeps until it is woken.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = pin!(future);
    if let Poll::Ready(value) = future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        return value;
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut context) {
            Poll::Ready(value) => return value,
            Poll::Pending => std::thread::park(),
        }
    }
}
