//! Typed filter expressions and orderings, built from generated columns.
//!
//! Values are never written into SQL: each becomes a `$n` parameter, and
//! every identifier comes from generated, quoted constants.

use std::marker::PhantomData;

use postgres_types::ToSql;

use crate::value::ColumnType;
use crate::{Column, InSection, Table};

/// A boxed parameter value.
pub(crate) type Param = Box<dyn ToSql + Sync + Send>;

/// A boolean SQL expression over table `T` (and, after `and`/`or`, other
/// tables of its section).
pub struct Expr<T> {
    pub(crate) node: Node,
    table: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut sql = String::new();
        let mut params = Vec::new();
        self.node.render(&mut sql, &mut params);
        write!(f, "Expr({sql})")
    }
}

pub(crate) enum Node {
    Compare {
        column: &'static str,
        op: &'static str,
        value: Param,
    },
    Columns {
        left: &'static str,
        op: &'static str,
        right: &'static str,
    },
    Null {
        column: &'static str,
        negated: bool,
    },
    /// `column = ANY($n)` / `column <> ALL($n)`: one array parameter, so the
    /// statement is the same for any number of values.
    Any {
        column: &'static str,
        values: Param,
        negated: bool,
    },
    Between {
        column: &'static str,
        low: Param,
        high: Param,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

impl Node {
    /// Appends the SQL and collects the parameters in `$n` order.
    pub(crate) fn render<'a>(&'a self, sql: &mut String, params: &mut Vec<&'a (dyn ToSql + Sync)>) {
        match self {
            Self::Compare { column, op, value } => {
                sql.push_str(column);
                sql.push_str(op);
                push_param(sql, params, value.as_ref());
            }
            Self::Columns { left, op, right } => {
                sql.push_str(left);
                sql.push_str(op);
                sql.push_str(right);
            }
            Self::Null { column, negated } => {
                sql.push_str(column);
                sql.push_str(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Self::Any {
                column,
                values,
                negated,
            } => {
                sql.push_str(column);
                sql.push_str(if *negated { " <> ALL(" } else { " = ANY(" });
                push_param(sql, params, values.as_ref());
                sql.push(')');
            }
            Self::Between { column, low, high } => {
                sql.push_str(column);
                sql.push_str(" BETWEEN ");
                push_param(sql, params, low.as_ref());
                sql.push_str(" AND ");
                push_param(sql, params, high.as_ref());
            }
            Self::And(a, b) | Self::Or(a, b) => {
                sql.push('(');
                a.render(sql, params);
                sql.push_str(if matches!(self, Self::And(..)) {
                    " AND "
                } else {
                    " OR "
                });
                b.render(sql, params);
                sql.push(')');
            }
            Self::Not(inner) => {
                sql.push_str("NOT (");
                inner.render(sql, params);
                sql.push(')');
            }
        }
    }
}

/// Writes `$n` for the next parameter and records it.
pub(crate) fn push_param<'a>(
    sql: &mut String,
    params: &mut Vec<&'a (dyn ToSql + Sync)>,
    value: &'a (dyn ToSql + Sync),
) {
    params.push(value);
    sql.push('$');
    push_number(sql, params.len());
}

/// Appends a decimal number.
pub(crate) fn push_number(sql: &mut String, n: usize) {
    use std::fmt::Write as _;
    let _ = write!(sql, "{n}");
}

/// `existing AND node`, or `node` alone: how repeated `filter` calls combine.
pub(crate) fn and_filter(existing: Option<Node>, node: Node) -> Node {
    match existing {
        None => node,
        Some(existing) => Node::And(Box::new(existing), Box::new(node)),
    }
}

impl<T> Expr<T> {
    pub(crate) fn new(node: Node) -> Self {
        Self {
            node,
            table: PhantomData,
        }
    }

    /// `self AND other`; `other` may be about another table of the section.
    #[must_use]
    pub fn and<U>(self, other: Expr<U>) -> Self
    where
        T: Table,
        U: InSection<T::Section>,
    {
        Self::new(Node::And(Box::new(self.node), Box::new(other.node)))
    }

    /// `self OR other`; `other` may be about another table of the section.
    #[must_use]
    pub fn or<U>(self, other: Expr<U>) -> Self
    where
        T: Table,
        U: InSection<T::Section>,
    {
        Self::new(Node::Or(Box::new(self.node), Box::new(other.node)))
    }
}

/// `!expr` is `NOT (expr)`.
impl<T> std::ops::Not for Expr<T> {
    type Output = Self;
    fn not(self) -> Self {
        Self::new(Node::Not(Box::new(self.node)))
    }
}

impl<T: Table, V: ColumnType> Column<T, V> {
    fn compare(self, op: &'static str, value: impl Into<V::Operand>) -> Expr<T> {
        Expr::new(Node::Compare {
            column: self.sql(),
            op,
            value: Box::new(value.into()),
        })
    }

    /// `column = value`.
    #[must_use]
    pub fn eq(self, value: impl Into<V::Operand>) -> Expr<T> {
        self.compare(" = ", value)
    }

    /// `column <> value`.
    #[must_use]
    pub fn ne(self, value: impl Into<V::Operand>) -> Expr<T> {
        self.compare(" <> ", value)
    }

    /// `column < value`.
    #[must_use]
    pub fn lt(self, value: impl Into<V::Operand>) -> Expr<T> {
        self.compare(" < ", value)
    }

    /// `column <= value`.
    #[must_use]
    pub fn le(self, value: impl Into<V::Operand>) -> Expr<T> {
        self.compare(" <= ", value)
    }

    /// `column > value`.
    #[must_use]
    pub fn gt(self, value: impl Into<V::Operand>) -> Expr<T> {
        self.compare(" > ", value)
    }

    /// `column >= value`.
    #[must_use]
    pub fn ge(self, value: impl Into<V::Operand>) -> Expr<T> {
        self.compare(" >= ", value)
    }

    /// `column BETWEEN low AND high`.
    #[must_use]
    pub fn between(self, low: impl Into<V::Operand>, high: impl Into<V::Operand>) -> Expr<T> {
        Expr::new(Node::Between {
            column: self.sql(),
            low: Box::new(low.into()),
            high: Box::new(high.into()),
        })
    }

    /// `column IN (values…)`, sent as one array parameter (`= ANY($1)`) so
    /// the statement is prepared once for any number of values.
    #[must_use]
    pub fn is_in<I>(self, values: I) -> Expr<T>
    where
        I: IntoIterator,
        I::Item: Into<V::Operand>,
        Vec<V::Operand>: ToSql + Sync + Send,
    {
        let values: Vec<V::Operand> = values.into_iter().map(Into::into).collect();
        Expr::new(Node::Any {
            column: self.sql(),
            values: Box::new(values),
            negated: false,
        })
    }

    /// `column NOT IN (values…)`, as `<> ALL($1)`.
    #[must_use]
    pub fn is_not_in<I>(self, values: I) -> Expr<T>
    where
        I: IntoIterator,
        I::Item: Into<V::Operand>,
        Vec<V::Operand>: ToSql + Sync + Send,
    {
        let values: Vec<V::Operand> = values.into_iter().map(Into::into).collect();
        Expr::new(Node::Any {
            column: self.sql(),
            values: Box::new(values),
            negated: true,
        })
    }

    /// `column IS NULL`.
    #[must_use]
    pub fn is_null(self) -> Expr<T> {
        Expr::new(Node::Null {
            column: self.sql(),
            negated: false,
        })
    }

    /// `column IS NOT NULL`.
    #[must_use]
    pub fn is_not_null(self) -> Expr<T> {
        Expr::new(Node::Null {
            column: self.sql(),
            negated: true,
        })
    }

    fn columns<U, W>(self, op: &'static str, other: Column<U, W>) -> Expr<T>
    where
        U: InSection<T::Section>,
        W: ColumnType<Operand = V::Operand>,
    {
        Expr::new(Node::Columns {
            left: self.sql(),
            op,
            right: other.sql(),
        })
    }

    /// `column = other` for two columns of the same type (same section).
    #[must_use]
    pub fn eq_column<U, W>(self, other: Column<U, W>) -> Expr<T>
    where
        U: InSection<T::Section>,
        W: ColumnType<Operand = V::Operand>,
    {
        self.columns(" = ", other)
    }

    /// `column <> other`.
    #[must_use]
    pub fn ne_column<U, W>(self, other: Column<U, W>) -> Expr<T>
    where
        U: InSection<T::Section>,
        W: ColumnType<Operand = V::Operand>,
    {
        self.columns(" <> ", other)
    }

    /// `column < other`.
    #[must_use]
    pub fn lt_column<U, W>(self, other: Column<U, W>) -> Expr<T>
    where
        U: InSection<T::Section>,
        W: ColumnType<Operand = V::Operand>,
    {
        self.columns(" < ", other)
    }

    /// `column > other`.
    #[must_use]
    pub fn gt_column<U, W>(self, other: Column<U, W>) -> Expr<T>
    where
        U: InSection<T::Section>,
        W: ColumnType<Operand = V::Operand>,
    {
        self.columns(" > ", other)
    }

    /// Ascending order on this column.
    #[must_use]
    pub fn asc(self) -> Order<T> {
        Order::new(self.sql(), " ASC")
    }

    /// Descending order on this column.
    #[must_use]
    pub fn desc(self) -> Order<T> {
        Order::new(self.sql(), " DESC")
    }
}

impl<T: Table, V: ColumnType<Operand = String>> Column<T, V> {
    /// `column LIKE pattern` (`%` and `_` are wildcards).
    #[must_use]
    pub fn like(self, pattern: impl Into<String>) -> Expr<T> {
        self.compare(" LIKE ", pattern.into())
    }

    /// `column ILIKE pattern`: case-insensitive `LIKE`.
    #[must_use]
    pub fn ilike(self, pattern: impl Into<String>) -> Expr<T> {
        self.compare(" ILIKE ", pattern.into())
    }

    /// `column NOT LIKE pattern`.
    #[must_use]
    pub fn not_like(self, pattern: impl Into<String>) -> Expr<T> {
        self.compare(" NOT LIKE ", pattern.into())
    }
}

/// An `ORDER BY` item on table `T`.
pub struct Order<T> {
    pub(crate) column: &'static str,
    pub(crate) direction: &'static str,
    pub(crate) nulls: &'static str,
    table: PhantomData<fn() -> T>,
}

impl<T> Order<T> {
    fn new(column: &'static str, direction: &'static str) -> Self {
        Self {
            column,
            direction,
            nulls: "",
            table: PhantomData,
        }
    }

    /// `NULLS FIRST`.
    #[must_use]
    pub fn nulls_first(mut self) -> Self {
        self.nulls = " NULLS FIRST";
        self
    }

    /// `NULLS LAST`.
    #[must_use]
    pub fn nulls_last(mut self) -> Self {
        self.nulls = " NULLS LAST";
        self
    }
}
