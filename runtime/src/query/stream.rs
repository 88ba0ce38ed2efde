//! Streaming a large result through a server-side cursor, a batch at a time.

use std::collections::VecDeque;

use postgres::Row;

use super::Params;
use crate::connection::Connection;
use crate::decode::Decoder;
use crate::error::{Error, Result};

/// An iterator over the rows of a query, fetched `batch` rows per round trip
/// from a server-side cursor. Dropping it closes the cursor (and commits the
/// transaction it opened, if it opened one).
#[must_use = "a stream fetches nothing until it is iterated"]
pub struct RowStream<D> {
    conn: Connection,
    table: &'static str,
    cursor: String,
    fetch: String,
    buffer: VecDeque<Row>,
    exhausted: bool,
    own_transaction: bool,
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
        let own_transaction = conn.depth() == 0;
        if own_transaction {
            conn.batch_execute("BEGIN")?;
        }
        let cursor = format!("pg_sections_cursor_{}", conn.next_cursor());
        let declare = format!("DECLARE {cursor} NO SCROLL CURSOR FOR {sql}");
        let declared = conn.with_client(|client| client.execute(declare.as_str(), params))?;
        if let Err(e) = declared {
            if own_transaction {
                let _ = conn.batch_execute("ROLLBACK");
            }
            return Err(Error::database(table, &declare, e));
        }
        Ok(Self {
            fetch: format!("FETCH FORWARD {} FROM {cursor}", batch.max(1)),
            conn,
            table,
            cursor,
            buffer: VecDeque::new(),
            exhausted: false,
            own_transaction,
            decoder,
        })
    }

    fn refill(&mut self) -> Result<()> {
        let rows = self
            .conn
            .with_client(|client| client.query(self.fetch.as_str(), &[]))?
            .map_err(|e| Error::database(self.table, &self.fetch, e))?;
        if rows.is_empty() {
            self.exhausted = true;
        }
        self.buffer.extend(rows);
        Ok(())
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
        // Nothing to report to from a destructor: if closing fails, the
        // transaction ends with the connection.
        let close = format!("CLOSE {}", self.cursor);
        let _ = self.conn.batch_execute(&close);
        if self.own_transaction {
            let _ = self.conn.batch_execute("COMMIT");
        }
    }
}
