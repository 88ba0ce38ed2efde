//! How a query's rows become Rust values: a row struct, a tuple of chosen
//! columns, a joined pair, an optional (left-joined) row.

use std::marker::PhantomData;

use postgres::Row;
use postgres_types::{FromSql, Type};

use crate::error::{Result, decode};
use crate::value::ColumnType;
use crate::{Column, FromRow, Table};

/// Turns consecutive columns of a result row into a value. Values cross
/// threads with the futures of async handles, so they are `Send`.
pub trait Decoder: Sync {
    /// The value produced per row.
    type Output: Send;
    /// How many result columns it reads.
    fn width(&self) -> usize;
    /// Reads columns `start..start + width()`.
    ///
    /// # Errors
    /// A column cannot be decoded.
    fn decode(&self, row: &Row, start: usize) -> Result<Self::Output>;
}

/// Decodes every row, into a vector allocated once at its final size
/// (collecting into `Result<Vec<_>>` would lose the length and regrow it).
pub(crate) fn decode_all<D: Decoder>(decoder: &D, rows: &[Row]) -> Result<Vec<D::Output>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(decoder.decode(row, 0)?);
    }
    Ok(out)
}

/// Decodes a generated row struct.
pub struct RowOf<R>(PhantomData<fn() -> R>);

impl<R> Clone for RowOf<R> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<R> RowOf<R> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<R: FromRow> Decoder for RowOf<R> {
    type Output = R;
    fn width(&self) -> usize {
        R::WIDTH
    }
    #[inline]
    fn decode(&self, row: &Row, start: usize) -> Result<R> {
        R::from_row_at(row, start)
    }
}

/// Decodes two decoders side by side (a join).
#[derive(Clone)]
pub struct Pair<A, B>(pub(crate) A, pub(crate) B);

impl<A: Decoder, B: Decoder> Decoder for Pair<A, B> {
    type Output = (A::Output, B::Output);
    fn width(&self) -> usize {
        self.0.width() + self.1.width()
    }
    fn decode(&self, row: &Row, start: usize) -> Result<Self::Output> {
        Ok((
            self.0.decode(row, start)?,
            self.1.decode(row, start + self.0.width())?,
        ))
    }
}

/// Decodes the row of a left-joined table: `None` when the join found no
/// match (every one of its columns is NULL).
pub struct Optional<R>(PhantomData<fn() -> R>);

impl<R> Clone for Optional<R> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<R> Optional<R> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

/// Accepts any value and reads nothing: used to test for NULL.
struct Present;

impl<'a> FromSql<'a> for Present {
    fn from_sql(
        _: &Type,
        _: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Self)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

impl<R: FromRow> Decoder for Optional<R> {
    type Output = Option<R>;
    fn width(&self) -> usize {
        R::WIDTH
    }
    fn decode(&self, row: &Row, start: usize) -> Result<Option<R>> {
        let all_null = (start..start + R::WIDTH)
            .all(|i| matches!(row.try_get::<_, Option<Present>>(i), Ok(None)));
        if all_null {
            Ok(None)
        } else {
            R::from_row_at(row, start).map(Some)
        }
    }
}

/// Decodes chosen columns into a tuple of their Rust types.
pub struct Chosen<T, C> {
    names: Vec<(&'static str, &'static str)>,
    marker: PhantomData<fn() -> (T, C)>,
}

impl<T, C> Clone for Chosen<T, C> {
    fn clone(&self) -> Self {
        Self {
            names: self.names.clone(),
            marker: PhantomData,
        }
    }
}

impl<T: Table, C: Columns<T>> Chosen<T, C> {
    pub(crate) fn new(columns: &C) -> Self {
        Self {
            names: columns.names(),
            marker: PhantomData,
        }
    }
}

impl<T: Table, C: Columns<T>> Decoder for Chosen<T, C> {
    type Output = C::Output;
    fn width(&self) -> usize {
        self.names.len()
    }
    fn decode(&self, row: &Row, start: usize) -> Result<C::Output> {
        C::decode(row, start, &self.names)
    }
}

/// Tuples of columns of table `T` that a query can select.
pub trait Columns<T: Table> {
    /// The tuple of the columns' Rust types.
    type Output: Send;
    /// The quoted, qualified column list.
    fn sql_list(&self) -> Vec<&'static str>;
    /// `(table, column)` names for error messages.
    fn names(&self) -> Vec<(&'static str, &'static str)>;
    /// Reads the tuple from `start`.
    ///
    /// # Errors
    /// A column cannot be decoded.
    fn decode(
        row: &Row,
        start: usize,
        names: &[(&'static str, &'static str)],
    ) -> Result<Self::Output>;
}

fn owned<V: ColumnType>(
    row: &Row,
    start: usize,
    offset: usize,
    names: &[(&'static str, &'static str)],
) -> Result<V> {
    let (relation, column) = names.get(offset).copied().unwrap_or(("", ""));
    decode(row, start + offset, relation, column)
}

macro_rules! column_tuples {
    ($(($($v:ident $i:tt),+)),* $(,)?) => {
        $(
            impl<T: Table, $($v: ColumnType),+> Columns<T> for ($(Column<T, $v>,)+) {
                type Output = ($($v,)+);
                fn sql_list(&self) -> Vec<&'static str> {
                    vec![$(self.$i.read_sql()),+]
                }
                fn names(&self) -> Vec<(&'static str, &'static str)> {
                    vec![$((T::RELATION, self.$i.name())),+]
                }
                fn decode(
                    row: &Row,
                    start: usize,
                    names: &[(&'static str, &'static str)],
                ) -> Result<Self::Output> {
                    Ok(($(owned::<$v>(row, start, $i, names)?,)+))
                }
            }
        )*
    };
}

column_tuples!(
    (A 0),
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, E 4),
    (A 0, B 1, C 2, D 3, E 4, F 5),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7),
);
