//! Streaming a large result through a server-side cursor, a batch at a time.

use std::collections::VecDeque;

use postgres::Row;

use super::Params;
use crate::connection::Connection;
use crate::decode::Decoder;
use crate::error::Result;

/// The largest count `FETCH` accepts (a 32-bit integer).
const MAX_BATCH: usize = 2_147_483_647;

/// An iterator over the rows of a query, fetched `batch` rows per round trip
/// from a server-side cursor.
///
/// A cursor lives in a transaction. Opened inside
/// [`transaction`](Connection::transaction), the stream reads in it (and
/// ends with it). Opened outside any, it runs in a transaction of its own
/// (shared with other streams opened meanwhile) that commits when the last
/// of them ends. Until then, every statement issued on the connection runs
/// in that transaction, each in a savepoint of its own, so a failing
/// statement undoes itself only, as it would outside a transaction; a
/// `transaction(…)` becomes a savepoint of it. All of that work commits
/// when the stream's transaction does.
///
/// Dropping the stream closes the cursor and ends its transaction, if it is
/// the last stream holding it open; an error there has no one to report
/// to. [`RowStream::close`] does the same and reports it.
#[must_use = "a stream fetches nothing until it is iterated"]
pub struct RowStream<D> {
    conn: Connection,
    table: &'static str,
    close: String,
    fetch: String,
    buffer: VecDeque<Row>,
    exhausted: bool,
    /// Whether it holds the streams' transaction open.
    holds: bool,
    closed: bool,
    decoder: D,
}

impl<D: Decoder> RowStream<D> {
    pub(crate) fn open(
        conn: Connection,
        table: &'static str,
        sql: &str,
        params: &Params<'_>,
        batch: usize,
        decoder: D,
    ) -> Result<Self> {
        let cursor = conn.next_cursor()?;
        let declare = format!("DECLARE {cursor} NO SCROLL CURSOR FOR {sql}");
        let holds = conn.declare(table, &declare, params)?;
        Ok(Self {
            // FETCH takes a 32-bit count; more than that per batch is all.
            fetch: format!("FETCH FORWARD {} FROM {cursor}", batch.clamp(1, MAX_BATCH)),
            close: format!("CLOSE {cursor}"),
            conn,
            table,
            buffer: VecDeque::new(),
            exhausted: false,
            holds,
            closed: false,
            decoder,
        })
    }

    fn refill(&mut self) -> Result<()> {
        let rows = self.conn.fetch(self.table, &self.fetch, self.holds)?;
        if rows.is_empty() {
            self.exhausted = true;
        }
        self.buffer.extend(rows);
        Ok(())
    }
}

impl<D> RowStream<D> {
    /// Closes the cursor and, when this is the last stream holding its own
    /// transaction open, commits that transaction (with the statements run
    /// while it was open), as dropping the stream does, but reporting
    /// errors.
    ///
    /// # Errors
    /// The database's error closing the cursor or committing;
    /// [`Error::TransactionAborted`](crate::Error::TransactionAborted) when
    /// the stream's transaction had failed and was rolled back.
    pub fn close(mut self) -> Result<()> {
        self.finish()
    }

    fn finish(&mut self) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        self.closed = true;
        self.conn.close_stream(self.table, &self.close, self.holds)
    }
}

impl<D: Decoder> Iterator for RowStream<D> {
    type Item = Result<D::Output>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buffer.is_empty()
            && !self.exhausted
            && let Err(e) = self.refill()
        {
            self.exhausted = true;
            return Some(Err(e));
        }
        let row = self.buffer.pop_front()?;
        Some(self.decoder.decode(&row, 0))
    }
}

impl<D> Drop for RowStream<D> {
    fn drop(&mut self) {
        // Nothing to report to from a destructor (`close` reports): if
        // closing fails, the transaction ends with the connection.
        let _ = self.finish();
    }
}
