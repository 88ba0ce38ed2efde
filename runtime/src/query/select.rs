//! `SELECT`: all columns into the row struct, chosen columns into tuples,
//! joins along foreign keys, filters, ordering, limits, counting, paging.

use std::borrow::Cow;
use std::marker::PhantomData;

use postgres::Row;

use super::{Params, Sql};
use crate::db::{Blocking, Output, drive};
use crate::decode::{Chosen, Columns, Decoder, Optional, Pair, RowOf, decode_all};
use crate::error::{Error, Result};
use crate::exec::{Executor, KeyRow};
use crate::expr::{Expr, Node, Order, and_filter, push_param};
use crate::query::RowStream;
use crate::{InSection, Runs, Table};

/// A foreign key between two tables of one section, in either direction.
///
/// Generated both ways for each foreign key; there is none between
/// sections, so a join across sections does not compile. A query on `T`
/// joins `U` when `U: JoinTo<T>` (the joined table is the trait's `Self`,
/// so that the compiler checks the table you name).
#[diagnostic::on_unimplemented(
    message = "`{Self}` and `{U}` are not joined by a foreign key of one section",
    note = "joins follow foreign keys between tables of the same section; across sections, query each side on its own handle and match by public id"
)]
pub trait JoinTo<U: Table>: Table {
    /// The join condition, e.g. `"vendor_inventory"."vendor_id" = "vendor_profile"."id"`.
    const ON: &'static str;
}

struct Join {
    keyword: &'static str,
    table: &'static str,
    on: &'static str,
}

/// A `SELECT` on table `T`, producing `D::Output` per row.
#[must_use = "a query does nothing until it is fetched on a `Db`"]
pub struct Select<T: Table, D = RowOf<<T as Table>::Row>> {
    parts: SelectParts,
    decoder: D,
    table: PhantomData<fn() -> T>,
}

/// The clauses of a `SELECT`, whatever its rows decode into.
struct SelectParts {
    /// The whole statement, known before it is built: a table's
    /// [`Table::SELECT_ALL`], or a `find`'s text kept by
    /// [`StatementText`](crate::__private::StatementText). Every clause
    /// added clears it.
    text: Option<&'static str>,
    /// Whether this is a `find` by the whole primary key, with no clause
    /// added: a few rows at most (one per inheritance child holding the
    /// key), read at once.
    by_key: bool,
    /// The select list; empty for the table's own columns.
    projection: Vec<&'static str>,
    joins: Vec<Join>,
    filter: Option<Node>,
    order: Vec<(&'static str, &'static str, &'static str)>,
    limit: Option<i64>,
    offset: Option<i64>,
    lock: &'static str,
}

impl<T: Table> Select<T> {
    pub(crate) fn all() -> Self {
        Self {
            parts: SelectParts {
                text: (!T::SELECT_ALL.is_empty()).then_some(T::SELECT_ALL),
                by_key: false,
                projection: Vec::new(),
                joins: Vec::new(),
                filter: None,
                order: Vec::new(),
                limit: None,
                offset: None,
                lock: "",
            },
            decoder: RowOf::new(),
            table: PhantomData,
        }
    }
}

impl<T: Table, D: Decoder> Select<T, D> {
    /// The clauses, about to change: the statement known beforehand no
    /// longer is.
    fn parts_mut(&mut self) -> &mut SelectParts {
        self.parts.text = None;
        self.parts.by_key = false;
        &mut self.parts
    }

    /// This query, a `find` by the whole primary key, whose statement is
    /// `text` (what it renders, computed once and kept).
    pub(crate) fn by_key(mut self, text: &'static str) -> Self {
        self.parts.text = Some(text);
        self.parts.by_key = true;
        self
    }

    /// The first row, asked for as a key's one row when it is one.
    async fn first_row(
        &self,
        exec: &Executor<'_>,
        sql: &str,
        params: &[&(dyn postgres_types::ToSql + Sync)],
    ) -> Result<Option<Row>> {
        if self.parts.by_key {
            let row: KeyRow = self.run_on(exec, sql, params).await?;
            Ok(row.0)
        } else {
            self.run_on(exec, sql, params).await
        }
    }

    /// The same clauses, rows decoded by `decoder`.
    fn with_decoder<D2: Decoder>(self, decoder: D2) -> Select<T, D2> {
        Select {
            parts: self.parts,
            decoder,
            table: PhantomData,
        }
    }

    /// Selects only `columns` (a tuple of columns of `T`), into a tuple of
    /// their Rust types.
    pub fn columns<C: Columns<T>>(self, columns: C) -> Select<T, Chosen<T, C>> {
        let decoder = Chosen::new(&columns);
        let mut select = self.with_decoder(decoder);
        select.parts_mut().projection = columns.sql_list();
        select
    }

    /// Adds `expr` to the `WHERE` clause (`AND` with what is there). The
    /// expression may be about any table of `T`'s section that the query
    /// joins.
    pub fn filter<U: InSection<T::Section>>(mut self, expr: Expr<U>) -> Self {
        let parts = self.parts_mut();
        parts.filter = Some(and_filter(parts.filter.take(), expr.node));
        self
    }

    /// Adds an `ORDER BY` item (after those already there).
    pub fn order_by<U: InSection<T::Section>>(mut self, order: Order<U>) -> Self {
        self.parts_mut()
            .order
            .push((order.column, order.direction, order.nulls));
        self
    }

    /// `FOR UPDATE`: lock the rows read until the transaction ends.
    pub fn for_update(mut self) -> Self {
        self.parts_mut().lock = " FOR UPDATE";
        self
    }

    /// `FOR SHARE`: rows read cannot change until the transaction ends.
    pub fn for_share(mut self) -> Self {
        self.parts_mut().lock = " FOR SHARE";
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Self {
        self.parts_mut().limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Self {
        self.parts_mut().offset = Some(n);
        self
    }

    /// `INNER JOIN` the table `U`, which a foreign key of the same section
    /// links to `T`; rows become `(row of T, row of U)`.
    pub fn inner_join<U>(self, _table: U) -> Select<T, Pair<D, RowOf<U::Row>>>
    where
        U: InSection<T::Section> + JoinTo<T>,
    {
        self.join::<U, _>(" INNER JOIN ", RowOf::new())
    }

    /// `LEFT JOIN` the table `U`; rows become `(row of T, Option<row of U>)`.
    pub fn left_join<U>(self, _table: U) -> Select<T, Pair<D, Optional<U::Row>>>
    where
        U: InSection<T::Section> + JoinTo<T>,
    {
        self.join::<U, _>(" LEFT JOIN ", Optional::new())
    }

    fn join<U, D2>(self, keyword: &'static str, decoder: D2) -> Select<T, Pair<D, D2>>
    where
        U: JoinTo<T>,
        D2: Decoder,
    {
        let Self {
            mut parts,
            decoder: left,
            ..
        } = self;
        parts.text = None;
        parts.by_key = false;
        if parts.projection.is_empty() {
            parts.projection.push(T::COLUMN_LIST);
        }
        parts.projection.push(U::COLUMN_LIST);
        parts.joins.push(Join {
            keyword,
            table: U::QUALIFIED_NAME,
            on: <U as JoinTo<T>>::ON,
        });
        Select {
            parts,
            decoder: Pair(left, decoder),
            table: PhantomData,
        }
    }

    fn render_from<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        sql.push_str(" FROM ");
        sql.push_str(T::QUALIFIED_NAME);
        for join in &self.parts.joins {
            sql.push_str(join.keyword);
            sql.push_str(join.table);
            sql.push_str(" ON ");
            sql.push_str(join.on);
        }
        if let Some(filter) = &self.parts.filter {
            sql.push_str(" WHERE ");
            filter.render(sql, params);
        }
    }

    fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        sql.push_str("SELECT ");
        if self.parts.projection.is_empty() {
            sql.push_str(T::COLUMN_LIST);
        }
        for (i, part) in self.parts.projection.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(part);
        }
        self.render_from(sql, params);
        for (i, (column, direction, nulls)) in self.parts.order.iter().enumerate() {
            sql.push_str(if i == 0 { " ORDER BY " } else { ", " });
            sql.push_str(column);
            sql.push_str(direction);
            sql.push_str(nulls);
        }
        if let Some(limit) = &self.parts.limit {
            sql.push_str(" LIMIT ");
            push_param(sql, params, limit);
        }
        if let Some(offset) = &self.parts.offset {
            sql.push_str(" OFFSET ");
            push_param(sql, params, offset);
        }
        sql.push_str(self.parts.lock);
    }

    fn build(&self) -> (Cow<'static, str>, Params<'_>) {
        let mut params = Params::new();
        if let Some(text) = self.parts.text {
            // Only a filter can be left (a `find`'s): its values, in order.
            if let Some(filter) = &self.parts.filter {
                filter.collect_params(&mut params);
            }
            debug_assert_eq!(
                text,
                self.render_text(),
                "the statement kept for this query"
            );
            return (Cow::Borrowed(text), params);
        }
        let mut sql = String::with_capacity(
            128 + T::COLUMN_LIST.len()
                + self.parts.projection.iter().map(|p| p.len()).sum::<usize>(),
        );
        self.render(&mut sql, &mut params);
        (Cow::Owned(sql), params)
    }

    /// The statement as rendered from the clauses, whatever was kept.
    fn render_text(&self) -> String {
        let mut sql = String::new();
        self.render(&mut sql, &mut Params::new());
        sql
    }

    /// The statement and its parameter count.
    pub fn to_sql(&self) -> Sql {
        let (text, params) = self.build();
        Sql {
            text: text.into_owned(),
            params: params.len(),
        }
    }

    /// Runs this query's `sql`: a read a pool's replica may answer, unless
    /// it locks the rows it reads (`FOR UPDATE`, `FOR SHARE`).
    async fn run_on<A: crate::exec::Answer>(
        &self,
        exec: &Executor<'_>,
        sql: &str,
        params: &[&(dyn postgres_types::ToSql + Sync)],
    ) -> Result<A> {
        if self.parts.lock.is_empty() {
            exec.read(T::RELATION, sql, params).await
        } else {
            exec.run(T::RELATION, sql, params).await
        }
    }

    /// Every matching row: the rows on a blocking handle, a future of
    /// them on an async one.
    ///
    /// # Errors
    /// The database's error, or a row that does not decode.
    pub fn fetch_all<'a, H: Runs<T>>(&'a self, db: &'a H) -> Output<'a, T, H, Vec<D::Output>> {
        drive(db, move |exec| async move {
            let (sql, params) = self.build();
            let rows: Vec<Row> = self.run_on(&exec, &sql, &params).await?;
            decode_all(&self.decoder, &rows)
        })
    }

    /// The first matching row; [`Error::NotFound`] when there is none.
    ///
    /// # Errors
    /// [`Error::NotFound`], the database's error, or a row that does not decode.
    pub fn fetch_one<'a, H: Runs<T>>(&'a self, db: &'a H) -> Output<'a, T, H, D::Output> {
        drive(db, move |exec| async move {
            let (sql, params) = self.build();
            match self.first_row(&exec, &sql, &params).await? {
                Some(row) => self.decoder.decode(&row, 0),
                None => Err(Error::NotFound {
                    table: T::RELATION,
                    sql: sql.into_owned(),
                }),
            }
        })
    }

    /// The first matching row, if any.
    ///
    /// # Errors
    /// The database's error, or a row that does not decode.
    pub fn fetch_optional<'a, H: Runs<T>>(
        &'a self,
        db: &'a H,
    ) -> Output<'a, T, H, Option<D::Output>> {
        drive(db, move |exec| async move {
            let (sql, params) = self.build();
            let row = self.first_row(&exec, &sql, &params).await?;
            row.map(|row| self.decoder.decode(&row, 0)).transpose()
        })
    }

    /// Streams the rows through a server-side cursor, `batch` rows per round
    /// trip (at least 1), so a large result never sits in memory at once.
    /// Runs on a blocking handle.
    ///
    /// Inside a [`transaction`](crate::blocking::Connection::transaction) the cursor
    /// lives in it: read the stream before the transaction ends. Outside
    /// one, the stream runs in a transaction of its own, which commits when
    /// the stream (the last of the streams opened meanwhile) ends. While it
    /// is open, the connection stays usable: every other statement runs in
    /// that transaction in a savepoint of its own (a failure undoes that
    /// statement alone, the stream goes on), a `transaction(…)` becomes a
    /// savepoint of it, and all their work commits with the stream's
    /// transaction when it ends (drop the stream, or
    /// [`close`](RowStream::close) it to see that commit's error).
    ///
    /// # Errors
    /// The database's error when opening the cursor;
    /// [`Error::TooManyParameters`] for a statement PostgreSQL cannot take.
    pub fn fetch_stream<H: Runs<T, Mode = Blocking>>(
        &self,
        db: &H,
        batch: usize,
    ) -> Result<RowStream<D>>
    where
        D: Clone,
    {
        let (sql, params) = self.build();
        RowStream::open(
            crate::db::connection_of::<T, H>(db)?.clone(),
            T::RELATION,
            &sql,
            &params,
            batch,
            self.decoder.clone(),
        )
    }

    /// Streams the rows of an async handle's query, `batch` rows per fetch
    /// (at least 1) from a server-side cursor, so a large result never sits in
    /// memory at once and a slow reader holds the server back (no row is
    /// fetched before the last batch is read).
    ///
    /// On a pool's handle, the stream takes a connection and reads in a
    /// transaction of its own: committed when the last row is read, rolled
    /// back when the stream is dropped before. On a transaction's handle,
    /// it reads in that transaction and holds its connection until the
    /// stream ends (other statements of the transaction wait for it).
    ///
    /// ```no_run
    /// # use pg_sections::{Section, Table, InSection};
    /// # async fn run<S: Section, T: Table + InSection<S>>(table: T, db: pg_sections::Db<S>) -> pg_sections::Result<()> {
    /// use futures_util::TryStreamExt;
    ///
    /// let query = table.select();
    /// let mut rows = std::pin::pin!(query.stream(&db, 500));
    /// while let Some(row) = rows.try_next().await? {
    ///     // one row at a time
    ///     # let _ = row;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Each item is a row, or the database's error (the stream then ends).
    pub fn stream<'a, H: Runs<T, Mode = crate::Async>>(
        &'a self,
        db: &'a H,
        batch: usize,
    ) -> impl futures_util::Stream<Item = Result<D::Output>> + Send + 'a {
        use futures_util::StreamExt;
        let (sql, params) = self.build();
        let (source, tenant) = crate::db::source_of::<T, H>(db);
        let sql = match tenant {
            Some(tenant) => tenant.rewrite(&sql),
            None => sql.into_owned(),
        };
        source
            .stream(T::RELATION, sql, params, batch, self.parts.lock.is_empty())
            .map(move |row| row.and_then(|row| self.decoder.decode(&row, 0)))
    }

    /// `SELECT count(*)` over the same `FROM` and `WHERE` (ignoring order,
    /// limit and offset).
    ///
    /// # Errors
    /// The database's error.
    pub fn count<'a, H: Runs<T>>(&'a self, db: &'a H) -> Output<'a, T, H, i64> {
        drive(db, move |exec| async move { self.count_on(&exec).await })
    }

    async fn count_on(&self, exec: &Executor<'_>) -> Result<i64> {
        let (text, params) = self.build_count();
        let row: Option<Row> = exec.read(T::RELATION, &text, &params).await?;
        row.map_or(Ok(0), |row| crate::decode(&row, 0, T::RELATION, "count"))
    }

    /// The statement [`Select::count`] runs.
    pub fn count_sql(&self) -> Sql {
        let (text, params) = self.build_count();
        Sql {
            text,
            params: params.len(),
        }
    }

    /// `SELECT count(*)` over the query's `FROM` and `WHERE`.
    fn build_count(&self) -> (String, Params<'_>) {
        let mut text = String::from("SELECT count(*)");
        let mut params = Params::new();
        self.render_from(&mut text, &mut params);
        (text, params)
    }

    /// Whether any row matches: `SELECT EXISTS (SELECT 1 …)`.
    ///
    /// # Errors
    /// The database's error.
    pub fn exists<'a, H: Runs<T>>(&'a self, db: &'a H) -> Output<'a, T, H, bool> {
        drive(db, move |exec| async move {
            let mut text = String::from("SELECT EXISTS (SELECT 1");
            let mut params = Params::new();
            self.render_from(&mut text, &mut params);
            text.push(')');
            let row: Option<Row> = exec.read(T::RELATION, &text, &params).await?;
            row.map_or(Ok(false), |row| {
                crate::decode(&row, 0, T::RELATION, "exists")
            })
        })
    }

    /// Page `page` (from 1; 0 is taken as 1) of `per_page` rows, with the
    /// total count of matching rows: two statements, the count and the page.
    ///
    /// # Errors
    /// [`Error::PageOutOfRange`] when the page starts past the largest row
    /// offset PostgreSQL accepts (nothing is sent); the database's error, or
    /// a row that does not decode.
    pub fn paginate<'a, H: Runs<T>>(
        self,
        db: &'a H,
        page: u32,
        per_page: u32,
    ) -> Output<'a, T, H, Page<D::Output>>
    where
        T: 'a,
        D: Send + 'a,
    {
        drive(db, move |exec| async move {
            let (page, offset) = page_offset(page, per_page)?;
            let total = self.count_on(&exec).await?;
            let query = self.limit(i64::from(per_page)).offset(offset);
            let (sql, params) = query.build();
            let rows: Vec<Row> = query.run_on(&exec, &sql, &params).await?;
            Ok(Page {
                rows: decode_all(&query.decoder, &rows)?,
                total,
                page,
                per_page,
            })
        })
    }
}

/// Page `page` (from 1; 0 is taken as 1) of `per_page` rows: the page
/// and the offset of its first row.
pub(crate) fn page_offset(page: u32, per_page: u32) -> Result<(u32, i64)> {
    let page = page.max(1);
    let offset = i64::from(page - 1)
        .checked_mul(i64::from(per_page))
        .ok_or(Error::PageOutOfRange { page, per_page })?;
    Ok((page, offset))
}

/// One page of rows and the total number of matching rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    /// The rows of this page.
    pub rows: Vec<R>,
    /// Matching rows in all pages.
    pub total: i64,
    /// This page's number, from 1.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<R> Page<R> {
    /// How many pages there are (0 when `per_page` is 0 or nothing
    /// matched).
    #[must_use]
    pub fn pages(&self) -> i64 {
        if self.per_page == 0 || self.total <= 0 {
            return 0;
        }
        let per_page = i64::from(self.per_page);
        self.total / per_page + i64::from(self.total % per_page != 0)
    }
}
