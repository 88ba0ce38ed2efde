//! Statements without names, for a pool behind PgBouncer in transaction or
//! statement mode (Debian's 1.18 included, which has no protocol-level
//! prepared statements): each query is parsed, bound and executed in one
//! round trip as the unnamed statement, with the parameter types its
//! connection learned once; no named statement outlives the transaction
//! that made it, since the next transaction may run on another server
//! connection, where a name would be missing or taken.
//!
//! `tokio-postgres` learns a type it does not know (an enum, a domain, an
//! extension's type) with named statements of its own, which it keeps for
//! the client's life. A connection therefore learns every type of the
//! database when it opens, in one transaction that deallocates them at its
//! end. A type created later (a migration while the service runs) is
//! learned with a statement deallocated already: the connection is then
//! discarded ([`learned_too_late`]), and a statement outside a transaction
//! runs again on a fresh one (nothing of it ran: the types are learned
//! before it is sent); inside one, the transaction fails.

use std::sync::Arc;

use postgres_types::Type;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, SimpleQueryMessage};

/// How a [`Pool`](crate::Pool)'s connections send their statements
/// ([`PoolOptions::statement_mode`](crate::PoolOptions::statement_mode)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StatementMode {
    /// Each statement prepared once per connection, as a named statement
    /// kept in the connection's cache, then bound and executed: one round
    /// trip per query once prepared. For PostgreSQL itself, and PgBouncer
    /// in session mode (or 1.21 and later with `max_prepared_statements`).
    #[default]
    Prepared,
    /// No named statement outlives its transaction: each query is parsed,
    /// bound and executed in one round trip as the unnamed statement, with
    /// the parameter types its connection learned the first time it ran it
    /// (three more round trips, once; the cache of
    /// [`PoolOptions::statement_cache`](crate::PoolOptions::statement_cache)
    /// keeps them). For PgBouncer in transaction or statement mode without
    /// protocol-level prepared statements (1.20 and earlier, Debian 12's
    /// 1.18), and any pooler that hands each transaction another server
    /// connection.
    Unnamed,
}

/// Every type of the database that `tokio-postgres` does not know and the
/// login may use: those outside `pg_catalog` and `information_schema`
/// that are no table's row type and no array (their arrays are asked for
/// with them), in schemas it has `USAGE` on (a section's role has its own
/// schema only).
const DATABASE_TYPES: &str = "\
SELECT pg_catalog.format('%I.%I', n.nspname, t.typname), (t.typarray <> 0)::text \
FROM pg_catalog.pg_type t \
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid \
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
  AND n.nspname !~ '^pg_(toast|temp)' \
  AND t.typtype <> 'p' \
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid) \
  AND (c.oid IS NULL OR c.relkind = 'c') \
  AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') \
  AND pg_catalog.has_type_privilege(t.oid, 'USAGE') \
ORDER BY 1";

/// Columns per statement of the warm-up (PostgreSQL takes 1664).
const COLUMNS_PER_STATEMENT: usize = 1000;

/// Teaches `client` every type of its database: a statement naming them all
/// prepared in a transaction, then every named statement deallocated before
/// it commits.
pub(crate) async fn learn_database_types(client: &Client) -> Result<(), tokio_postgres::Error> {
    client.batch_execute("BEGIN").await?;
    let learned = async {
        let mut columns = Vec::new();
        for message in client.simple_query(DATABASE_TYPES).await? {
            if let SimpleQueryMessage::Row(row) = message
                && let Some(name) = row.get(0)
            {
                columns.push(format!("NULL::{name}"));
                if row.get(1) == Some("true") {
                    columns.push(format!("NULL::{name}[]"));
                }
            }
        }
        for chunk in columns.chunks(COLUMNS_PER_STATEMENT) {
            // Dropped at once: its `Close` goes in this transaction.
            client
                .prepare(&format!("SELECT {}", chunk.join(", ")))
                .await?;
        }
        Ok(())
    }
    .await;
    let end = if learned.is_ok() {
        "DEALLOCATE ALL; COMMIT"
    } else {
        "ROLLBACK"
    };
    let ended = client.batch_execute(end).await;
    learned.and(ended)
}

/// The parameter types of `sql`: prepared as a named statement, dropped
/// (closed) and deallocated in the same transaction, `in_transaction` or in
/// one of its own.
pub(crate) async fn parameter_types(
    client: &Client,
    sql: &str,
    in_transaction: bool,
) -> Result<Arc<[Type]>, tokio_postgres::Error> {
    if !in_transaction {
        client.batch_execute("BEGIN").await?;
    }
    let learned = client
        .prepare(sql)
        .await
        .map(|statement| Arc::from(statement.params()));
    if in_transaction {
        if learned.is_ok() {
            // Any statement `tokio-postgres` prepared to learn a type.
            client.batch_execute("DEALLOCATE ALL").await?;
        }
        return learned;
    }
    let end = if learned.is_ok() {
        "DEALLOCATE ALL; COMMIT"
    } else {
        "ROLLBACK"
    };
    let ended = client.batch_execute(end).await;
    let types = learned?;
    ended.map(|()| types)
}

/// Whether `error` is `tokio-postgres` learning a type created after its
/// connection opened, with a named statement of the transaction that taught
/// it the others: the connection must be discarded.
pub(crate) fn learned_too_late(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&SqlState::INVALID_SQL_STATEMENT_NAME)
}
