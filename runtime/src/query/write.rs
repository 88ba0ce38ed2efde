//! `INSERT` (one row or many, upserts), `UPDATE` and `DELETE`, with
//! `RETURNING` the full row.

use std::marker::PhantomData;

use super::{Params, Sql, push_ident};
use crate::MAX_PARAMETERS;
use crate::exec::{Answers, Statements};
use postgres::Row;

use crate::db::Output;
use crate::db::drive;
use crate::decode::{Columns, Decoder, RowOf, decode_all};
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::expr::{Expr, Node, Param, and_filter, push_param};
use crate::value::ColumnType;
use crate::{Column, Insertable, Runs, Table, Writable};

/// A statement that writes to table `T` and can return its rows.
pub trait Write {
    /// The table written to.
    type Table: Writable;
    /// Appends the SQL (without `RETURNING`) and collects the parameters.
    #[doc(hidden)]
    fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>);

    /// Whether the statement would write nothing (an insert of no rows),
    /// so it is not sent: `INSERT … VALUES` needs at least one row.
    #[doc(hidden)]
    fn is_empty(&self) -> bool {
        false
    }

    /// The statements that run it: one, or for an insert of many rows,
    /// several that each bind at most [`MAX_PARAMETERS`] and run in one
    /// transaction.
    #[doc(hidden)]
    fn statements(&self, returning: bool) -> Statements<'_>
    where
        Self: Sized,
    {
        smallvec::smallvec![build(self, returning)]
    }
}

fn build<W: Write>(write: &W, returning: bool) -> (String, Params<'_>) {
    let mut sql = String::with_capacity(128);
    let mut params = Params::new();
    write.render(&mut sql, &mut params);
    if returning {
        push_returning::<W::Table>(&mut sql);
    }
    (sql, params)
}

fn push_returning<T: Table>(sql: &mut String) {
    sql.push_str(" RETURNING ");
    sql.push_str(T::COLUMN_LIST);
}

/// Runs the statements of `write` on `db` and sums the rows they affected.
fn execute<'a, W: Write + Sync, H: Runs<W::Table>>(
    write: &'a W,
    db: &'a H,
) -> Output<'a, W::Table, H, u64> {
    drive(db, move |exec| async move {
        if write.is_empty() {
            return Ok(0);
        }
        let statements = write.statements(false);
        let counts: Answers<u64> = exec
            .run_all(<W::Table as Table>::RELATION, &statements)
            .await?;
        Ok(counts.into_iter().sum())
    })
}

fn to_sql<W: Write>(write: &W, returning: bool) -> Sql {
    let (text, params) = build(write, returning);
    Sql {
        text,
        params: params.len(),
    }
}

/// A write statement with `RETURNING` every column of the table.
#[must_use = "a query does nothing until it is fetched on a `Db`"]
pub struct Returning<W>(W);

impl<W: Write> Returning<W> {
    /// The statement and its parameter count.
    pub fn to_sql(&self) -> Sql {
        to_sql(&self.0, true)
    }

    /// Every row written, as row structs.
    ///
    /// # Errors
    /// The database's error, or a row that does not decode.
    pub fn fetch_all<'a, H: Runs<W::Table>>(
        &'a self,
        db: &'a H,
    ) -> Output<'a, W::Table, H, Vec<<W::Table as Table>::Row>>
    where
        W: Sync,
    {
        drive(db, move |exec| async move {
            if self.0.is_empty() {
                return Ok(Vec::new());
            }
            let decoder = RowOf::<<W::Table as Table>::Row>::new();
            let statements = self.0.statements(true);
            let mut batches: Answers<Vec<Row>> = exec
                .run_all(<W::Table as Table>::RELATION, &statements)
                .await?;
            if batches.len() == 1 {
                return decode_all(&decoder, &batches.pop().unwrap_or_default());
            }
            let mut rows = Vec::with_capacity(batches.iter().map(Vec::len).sum());
            for batch in &batches {
                rows.extend(decode_all(&decoder, batch)?);
            }
            Ok(rows)
        })
    }

    /// The one row written; [`Error::NotFound`] when nothing was written
    /// (an update or delete that matched nothing, an insert that did nothing
    /// on conflict).
    ///
    /// # Errors
    /// [`Error::NotFound`], the database's error, or a row that does not decode.
    pub fn fetch_one<'a, H: Runs<W::Table>>(
        &'a self,
        db: &'a H,
    ) -> Output<'a, W::Table, H, <W::Table as Table>::Row>
    where
        W: Sync,
    {
        drive(db, move |exec| async move {
            self.first(&exec).await?.ok_or_else(|| Error::NotFound {
                table: <W::Table as Table>::RELATION,
                sql: build(&self.0, true).0,
            })
        })
    }

    /// The first row written, if any.
    ///
    /// # Errors
    /// The database's error, or a row that does not decode.
    pub fn fetch_optional<'a, H: Runs<W::Table>>(
        &'a self,
        db: &'a H,
    ) -> Output<'a, W::Table, H, Option<<W::Table as Table>::Row>>
    where
        W: Sync,
    {
        drive(db, move |exec| async move { self.first(&exec).await })
    }

    async fn first(&self, exec: &Executor<'_>) -> Result<Option<<W::Table as Table>::Row>> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let statements = self.0.statements(true);
        let firsts: Answers<Option<Row>> = exec
            .run_all(<W::Table as Table>::RELATION, &statements)
            .await?;
        firsts
            .into_iter()
            .flatten()
            .next()
            .map(|row| RowOf::<<W::Table as Table>::Row>::new().decode(&row, 0))
            .transpose()
    }
}

/// `SET` assignments of an update or an upsert, typed by column.
pub struct Assignments<T> {
    /// Inline up to two: most updates set one or two columns.
    items: smallvec::SmallVec<[(&'static str, Assigned); 2]>,
    table: PhantomData<fn() -> T>,
}

enum Assigned {
    /// A value, and what follows its parameter ([`Column::cast`]).
    Value(Param, &'static str),
    Add(Param),
    Null,
    Excluded,
}

impl<T: Writable> Default for Assignments<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Writable> Assignments<T> {
    /// No assignments yet.
    #[must_use]
    pub fn new() -> Self {
        Self {
            items: smallvec::SmallVec::new(),
            table: PhantomData,
        }
    }

    /// `column = value`.
    #[must_use]
    pub fn set<V: ColumnType>(
        mut self,
        column: Column<T, V>,
        value: impl Into<V::Operand>,
    ) -> Self {
        self.items.push((
            column.name(),
            Assigned::Value(Param::new(value.into()), column.casts().value),
        ));
        self
    }

    /// `column = NULL`, for a nullable column.
    #[must_use]
    pub fn set_null<V: ColumnType>(mut self, column: Column<T, Option<V>>) -> Self {
        self.items.push((column.name(), Assigned::Null));
        self
    }

    /// `column = column + delta`, computed by the server (a negative
    /// `delta` subtracts): no read-modify-write race.
    #[must_use]
    pub fn add<V: ColumnType>(
        mut self,
        column: Column<T, V>,
        delta: impl Into<V::Operand>,
    ) -> Self {
        self.items
            .push((column.name(), Assigned::Add(Param::new(delta.into()))));
        self
    }

    /// `column = EXCLUDED.column`: in an upsert, take the value that the
    /// conflicting insert proposed.
    #[must_use]
    pub fn excluded<V>(mut self, column: Column<T, V>) -> Self {
        self.items.push((column.name(), Assigned::Excluded));
        self
    }

    fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        for (i, (column, assigned)) in self.items.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            push_ident(sql, column);
            sql.push_str(" = ");
            match assigned {
                Assigned::Value(value, cast) => {
                    push_param(sql, params, value.as_ref());
                    sql.push_str(cast);
                }
                Assigned::Add(delta) => {
                    push_ident(sql, column);
                    sql.push_str(" + ");
                    push_param(sql, params, delta.as_ref());
                }
                Assigned::Null => sql.push_str("NULL"),
                Assigned::Excluded => {
                    sql.push_str("EXCLUDED.");
                    push_ident(sql, column);
                }
            }
        }
    }
}

enum Conflict<T> {
    None,
    Nothing(Vec<&'static str>),
    Update(Vec<&'static str>, Assignments<T>),
}

/// `INSERT INTO … VALUES …` of one or more rows of insert structs.
#[must_use = "a query does nothing until it is executed on a `Db`"]
pub struct Insert<I: Insertable> {
    rows: Vec<I>,
    conflict: Conflict<I::Table>,
}

impl<I: Insertable> Insert<I> {
    pub(crate) fn new(rows: Vec<I>) -> Self {
        Self {
            rows,
            conflict: Conflict::None,
        }
    }

    /// `ON CONFLICT (columns)`: what to do when a row violates a unique key.
    pub fn on_conflict<C: Columns<I::Table>>(self, columns: C) -> OnConflict<I> {
        let target = columns.names().into_iter().map(|(_, c)| c).collect();
        OnConflict {
            insert: self,
            target,
        }
    }

    /// Returns the inserted rows (in order; split into statements, in one
    /// transaction, as [`Insert::execute`] does).
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }

    /// The statement and its parameter count, with every row in one
    /// statement (`execute` and `returning()` split rows that bind more
    /// than [`MAX_PARAMETERS`]).
    #[must_use]
    pub fn to_sql(&self) -> Sql {
        to_sql(self, false)
    }

    /// Runs the insert; the number of rows inserted.
    ///
    /// Rows that together bind more than [`MAX_PARAMETERS`] are split into
    /// several statements, run in one transaction (a savepoint inside one),
    /// so the insert stays all-or-nothing. Each statement is its own for
    /// `ON CONFLICT`: a key repeated in two of them updates instead of
    /// failing.
    ///
    /// # Errors
    /// The database's error.
    pub fn execute<'a, H: Runs<I::Table>>(&'a self, db: &'a H) -> Output<'a, I::Table, H, u64> {
        execute(self, db)
    }
}

impl<I: Insertable> Write for Insert<I> {
    type Table = I::Table;

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        self.render_rows(&self.rows, sql, params);
    }

    fn statements(&self, returning: bool) -> Statements<'_> {
        self.batches()
            .into_iter()
            .map(|rows| {
                // Sized by `render_rows`, which knows the rows.
                let mut sql = String::new();
                let mut params = Params::new();
                self.render_rows(rows, &mut sql, &mut params);
                if returning {
                    push_returning::<I::Table>(&mut sql);
                }
                (sql, params)
            })
            .collect()
    }
}

impl<I: Insertable> Insert<I> {
    /// The rows split into runs whose statements each bind at most
    /// [`MAX_PARAMETERS`] (one run when they all fit).
    fn batches(&self) -> Vec<&[I]> {
        let budget = MAX_PARAMETERS
            .saturating_sub(self.conflict_parameters())
            .max(1);
        if self.rows.len().saturating_mul(I::COLUMNS.len()) <= budget {
            return vec![&self.rows];
        }
        let mut batches = Vec::new();
        let (mut start, mut used) = (0, 0);
        let mut values = Vec::with_capacity(I::COLUMNS.len());
        for (i, row) in self.rows.iter().enumerate() {
            values.clear();
            row.values(&mut values);
            let bound = values.iter().filter(|value| value.is_some()).count();
            if used + bound > budget && i > start {
                batches.push(&self.rows[start..i]);
                (start, used) = (i, 0);
            }
            used += bound;
        }
        batches.push(&self.rows[start..]);
        batches
    }

    /// Parameters of the `ON CONFLICT … DO UPDATE` assignments, which every
    /// statement of a split insert repeats.
    fn conflict_parameters(&self) -> usize {
        match &self.conflict {
            Conflict::Update(_, assignments) => assignments
                .items
                .iter()
                .filter(|(_, assigned)| matches!(assigned, Assigned::Value(..) | Assigned::Add(_)))
                .count(),
            Conflict::None | Conflict::Nothing(_) => 0,
        }
    }

    fn render_rows<'a>(&'a self, rows: &'a [I], sql: &mut String, params: &mut Params<'a>) {
        let mut values = Vec::with_capacity(I::COLUMNS.len());
        // The columns some row sets: one left `DEFAULT` in every row (a
        // serial key, say) is left out of the statement, which is then
        // shorter to send, hash and parse. A statement of defaults alone
        // keeps every column.
        let mut set = vec![false; I::COLUMNS.len()];
        let mut bound = 0;
        for row in rows {
            values.clear();
            row.values(&mut values);
            for (i, value) in values.iter().enumerate() {
                if value.is_some() {
                    bound += 1;
                    if let Some(set) = set.get_mut(i) {
                        *set = true;
                    }
                }
            }
        }
        if !set.contains(&true) {
            set.fill(true);
        }
        let listed = set.iter().filter(|set| **set).count();
        let qualified = <I::Table as Table>::QUALIFIED_NAME;
        let names: usize = I::COLUMNS.iter().map(|c| c.len() + 4).sum();
        // `($12::…, DEFAULT), `: about ten bytes a value, with its cast.
        let returning = <I::Table as Table>::COLUMN_LIST.len() + 16;
        sql.reserve(qualified.len() + names + returning + rows.len() * (listed * 10 + 4));
        params.reserve(bound + self.conflict_parameters());
        sql.push_str("INSERT INTO ");
        sql.push_str(qualified);
        sql.push_str(" (");
        let mut first = true;
        for (column, _) in I::COLUMNS.iter().zip(&set).filter(|(_, set)| **set) {
            if !first {
                sql.push_str(", ");
            }
            first = false;
            push_ident(sql, column);
        }
        sql.push_str(") VALUES ");
        for (r, row) in rows.iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            values.clear();
            row.values(&mut values);
            let mut first = true;
            for (i, value) in values.iter().enumerate() {
                if !set.get(i).copied().unwrap_or(true) {
                    continue;
                }
                if !first {
                    sql.push_str(", ");
                }
                first = false;
                match value {
                    Some(value) => {
                        push_param(sql, params, *value);
                        sql.push_str(I::CASTS.get(i).copied().unwrap_or_default());
                    }
                    None => sql.push_str("DEFAULT"),
                }
            }
            sql.push(')');
        }
        match &self.conflict {
            Conflict::None => {}
            Conflict::Nothing(target) => {
                push_target(sql, target);
                sql.push_str(" DO NOTHING");
            }
            Conflict::Update(target, assignments) => {
                push_target(sql, target);
                sql.push_str(" DO UPDATE SET ");
                assignments.render(sql, params);
            }
        }
    }
}

fn push_target(sql: &mut String, target: &[&'static str]) {
    sql.push_str(" ON CONFLICT (");
    for (i, column) in target.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        push_ident(sql, column);
    }
    sql.push(')');
}

/// An insert waiting to be told what to do on conflict.
#[must_use = "say `do_nothing()` or `do_update(…)`"]
pub struct OnConflict<I: Insertable> {
    insert: Insert<I>,
    target: Vec<&'static str>,
}

impl<I: Insertable> OnConflict<I> {
    /// `DO NOTHING`: skip rows that conflict.
    pub fn do_nothing(mut self) -> Insert<I> {
        self.insert.conflict = Conflict::Nothing(self.target);
        self.insert
    }

    /// `DO UPDATE SET …`: update the existing row instead (an upsert).
    pub fn do_update(mut self, set: Assignments<I::Table>) -> Insert<I> {
        self.insert.conflict = Conflict::Update(self.target, set);
        self.insert
    }
}

/// `UPDATE … SET … WHERE …`.
#[must_use = "a query does nothing until it is executed on a `Db`"]
pub struct Update<T: Writable> {
    set: Assignments<T>,
    filter: Option<Node>,
}

impl<T: Writable> Update<T> {
    pub(crate) fn new() -> Self {
        Self {
            set: Assignments::new(),
            filter: None,
        }
    }

    /// `column = value`.
    pub fn set<V: ColumnType>(
        mut self,
        column: Column<T, V>,
        value: impl Into<V::Operand>,
    ) -> Self {
        self.set = self.set.set(column, value);
        self
    }

    /// `column = NULL`, for a nullable column.
    pub fn set_null<V: ColumnType>(mut self, column: Column<T, Option<V>>) -> Self {
        self.set = self.set.set_null(column);
        self
    }

    /// `column = column + delta`, computed by the server (a negative
    /// `delta` subtracts).
    pub fn add<V: ColumnType>(
        mut self,
        column: Column<T, V>,
        delta: impl Into<V::Operand>,
    ) -> Self {
        self.set = self.set.add(column, delta);
        self
    }

    /// Adds `expr` to the `WHERE` clause (`AND` with what is there).
    pub fn filter(mut self, expr: Expr<T>) -> Self {
        self.filter = Some(and_filter(self.filter.take(), expr.node));
        self
    }

    /// Returns the updated rows.
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }

    /// The statement and its parameter count.
    #[must_use]
    pub fn to_sql(&self) -> Sql {
        to_sql(self, false)
    }

    /// Runs the update; the number of rows updated.
    ///
    /// # Errors
    /// The database's error (an update with no `set` is a syntax error).
    pub fn execute<'a, H: Runs<T>>(&'a self, db: &'a H) -> Output<'a, T, H, u64> {
        execute(self, db)
    }
}

impl<T: Writable> Write for Update<T> {
    type Table = T;

    fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        sql.push_str("UPDATE ");
        sql.push_str(T::QUALIFIED_NAME);
        sql.push_str(" SET ");
        self.set.render(sql, params);
        if let Some(filter) = &self.filter {
            sql.push_str(" WHERE ");
            filter.render(sql, params);
        }
    }
}

/// `DELETE FROM … WHERE …`.
#[must_use = "a query does nothing until it is executed on a `Db`"]
pub struct Delete<T: Writable> {
    filter: Option<Node>,
    table: PhantomData<fn() -> T>,
}

impl<T: Writable> Delete<T> {
    pub(crate) fn new() -> Self {
        Self {
            filter: None,
            table: PhantomData,
        }
    }

    /// Adds `expr` to the `WHERE` clause (`AND` with what is there).
    pub fn filter(mut self, expr: Expr<T>) -> Self {
        self.filter = Some(and_filter(self.filter.take(), expr.node));
        self
    }

    /// Returns the deleted rows.
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }

    /// The statement and its parameter count.
    #[must_use]
    pub fn to_sql(&self) -> Sql {
        to_sql(self, false)
    }

    /// Runs the delete; the number of rows deleted.
    ///
    /// # Errors
    /// The database's error.
    pub fn execute<'a, H: Runs<T>>(&'a self, db: &'a H) -> Output<'a, T, H, u64> {
        execute(self, db)
    }
}

impl<T: Writable> Write for Delete<T> {
    type Table = T;

    fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        sql.push_str("DELETE FROM ");
        sql.push_str(T::QUALIFIED_NAME);
        if let Some(filter) = &self.filter {
            sql.push_str(" WHERE ");
            filter.render(sql, params);
        }
    }
}
