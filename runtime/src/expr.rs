//! Typed filter expressions and orderings, built from generated columns.
//!
//! Values are never written into SQL: each becomes a `$n` parameter, and
//! every identifier comes from generated, quoted constants.

use std::any::Any;
use std::collections::VecDeque;
use std::marker::PhantomData;

use postgres_types::ToSql;

use crate::exec::Params;
use crate::value::ColumnType;
use crate::{Column, InSection, Table};

/// A parameter value: the scalars keys and counters are made of, and
/// text, held inline; anything else boxed. `find(id)` and
/// `update_by_key(id).set(name, "…")` then box nothing.
pub(crate) enum Param {
    Bool(bool),
    Int2(i16),
    Int4(i32),
    Int8(i64),
    Float8(f64),
    Text(String),
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
    Boxed(Box<dyn ToSql + Sync + Send>),
}

/// `value` as a `T`, moved out, if it is one.
fn take<T: 'static>(value: &mut dyn Any) -> Option<T> {
    value.downcast_mut::<Option<T>>().and_then(Option::take)
}

impl Param {
    pub(crate) fn new<V: ToSql + Sync + Send + 'static>(value: V) -> Self {
        // Resolved when `V` is known: no test is left at run time.
        let mut slot = Some(value);
        let any: &mut dyn Any = &mut slot;
        if let Some(v) = take::<i32>(any) {
            Self::Int4(v)
        } else if let Some(v) = take::<i64>(any) {
            Self::Int8(v)
        } else if let Some(v) = take::<String>(any) {
            Self::Text(v)
        } else if let Some(v) = take::<i16>(any) {
            Self::Int2(v)
        } else if let Some(v) = take::<bool>(any) {
            Self::Bool(v)
        } else if let Some(v) = take::<f64>(any) {
            Self::Float8(v)
        } else {
            #[cfg(feature = "uuid")]
            if let Some(v) = take::<uuid::Uuid>(any) {
                return Self::Uuid(v);
            }
            match slot {
                Some(value) => Self::Boxed(Box::new(value)),
                // Taken only by a branch above, which returned.
                None => unreachable!("a parameter taken but not kept"),
            }
        }
    }

    pub(crate) fn as_ref(&self) -> &(dyn ToSql + Sync) {
        match self {
            Self::Bool(v) => v,
            Self::Int2(v) => v,
            Self::Int4(v) => v,
            Self::Int8(v) => v,
            Self::Float8(v) => v,
            Self::Text(v) => v,
            #[cfg(feature = "uuid")]
            Self::Uuid(v) => v,
            Self::Boxed(v) => v.as_ref(),
        }
    }
}

/// A boolean SQL expression over table `T` (and, after `and`/`or`, other
/// tables of its section).
pub struct Expr<T> {
    pub(crate) node: Node,
    table: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut sql = String::new();
        let mut params = Params::new();
        self.node.render(&mut sql, &mut params);
        write!(f, "Expr({sql})")
    }
}

pub(crate) enum Node {
    Compare {
        column: &'static str,
        op: &'static str,
        value: Param,
        /// What follows the parameter ([`Column::cast`]), or "".
        cast: &'static str,
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
        cast: &'static str,
    },
    Between {
        column: &'static str,
        low: Param,
        high: Param,
        cast: &'static str,
    },
    /// `(a AND b AND …)`: chains of `and` and `filter` flatten into one
    /// node, at least two terms.
    And(VecDeque<Node>),
    /// `(a OR b OR …)`, likewise.
    Or(VecDeque<Node>),
    Not(Box<Node>),
}

/// One step of rendering: a node still to render, or text to append.
enum Step<'a> {
    Node(&'a Node),
    Text(&'static str),
}

impl Node {
    /// `self AND other` (`and`) or `self OR other`, flattened: a chain of
    /// 50 000 filters is one node with 50 000 terms, not 50 000 levels.
    ///
    /// The shorter side's terms move to the longer side, at its front or
    /// back, so a chain costs the same built from the left (`e.or(x)`) or
    /// from the right (`x.or(e)`).
    pub(crate) fn combine(self, other: Self, and: bool) -> Self {
        let mut left = self.into_terms(and);
        let mut right = other.into_terms(and);
        let terms = if left.len() >= right.len() {
            left.append(&mut right);
            left
        } else {
            while let Some(term) = left.pop_back() {
                right.push_front(term);
            }
            right
        };
        if and {
            Self::And(terms)
        } else {
            Self::Or(terms)
        }
    }

    /// The terms of an `AND` (`and`) or `OR` node, or the node alone.
    fn into_terms(mut self, and: bool) -> VecDeque<Self> {
        match (&mut self, and) {
            (Self::And(terms), true) | (Self::Or(terms), false) => std::mem::take(terms),
            _ => VecDeque::from([self]),
        }
    }

    /// Appends the SQL and collects the parameters in `$n` order.
    ///
    /// Iterative, so that no depth of `!` or alternating `and`/`or` that a
    /// caller builds can overflow the stack.
    pub(crate) fn render<'a>(&'a self, sql: &mut String, params: &mut Params<'a>) {
        // The first step stays out of the stack: a single comparison, the
        // commonest filter, renders without allocating one.
        let mut first = Some(Step::Node(self));
        let mut steps = Vec::new();
        while let Some(step) = first.take().or_else(|| steps.pop()) {
            let node = match step {
                Step::Text(text) => {
                    sql.push_str(text);
                    continue;
                }
                Step::Node(node) => node,
            };
            match node {
                Self::Compare {
                    column,
                    op,
                    value,
                    cast,
                } => {
                    sql.push_str(column);
                    sql.push_str(op);
                    push_param(sql, params, value.as_ref());
                    sql.push_str(cast);
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
                    cast,
                } => {
                    sql.push_str(column);
                    sql.push_str(if *negated { " <> ALL(" } else { " = ANY(" });
                    push_param(sql, params, values.as_ref());
                    sql.push_str(cast);
                    sql.push(')');
                }
                Self::Between {
                    column,
                    low,
                    high,
                    cast,
                } => {
                    sql.push_str(column);
                    sql.push_str(" BETWEEN ");
                    push_param(sql, params, low.as_ref());
                    sql.push_str(cast);
                    sql.push_str(" AND ");
                    push_param(sql, params, high.as_ref());
                    sql.push_str(cast);
                }
                Self::And(terms) | Self::Or(terms) => {
                    let separator = if matches!(node, Self::And(_)) {
                        " AND "
                    } else {
                        " OR "
                    };
                    // Pushed in reverse: popped left to right.
                    steps.push(Step::Text(")"));
                    for (i, term) in terms.iter().enumerate().rev() {
                        steps.push(Step::Node(term));
                        if i > 0 {
                            steps.push(Step::Text(separator));
                        }
                    }
                    sql.push('(');
                }
                Self::Not(inner) => {
                    sql.push_str("NOT (");
                    steps.push(Step::Text(")"));
                    steps.push(Step::Node(inner));
                }
            }
        }
    }
}

impl Node {
    /// Collects the parameters in `$n` order, as [`Node::render`] does,
    /// without the text: for a statement whose text is known beforehand.
    pub(crate) fn collect_params<'a>(&'a self, params: &mut Params<'a>) {
        let mut first = Some(self);
        let mut pending = Vec::new();
        while let Some(node) = first.take().or_else(|| pending.pop()) {
            match node {
                Self::Compare { value, .. } => params.push(value.as_ref()),
                Self::Any { values, .. } => params.push(values.as_ref()),
                Self::Between { low, high, .. } => {
                    params.push(low.as_ref());
                    params.push(high.as_ref());
                }
                Self::Columns { .. } | Self::Null { .. } => {}
                // Pushed in reverse: popped left to right.
                Self::And(terms) | Self::Or(terms) => pending.extend(terms.iter().rev()),
                Self::Not(inner) => pending.push(inner),
            }
        }
    }
}

/// Drops a tree without recursion: the compiler's drop of a `Box`/`Vec`
/// chain 100 000 levels deep would overflow the stack.
impl Drop for Node {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        take_children(self, &mut pending);
        while let Some(mut node) = pending.pop() {
            take_children(&mut node, &mut pending);
            // `node` has no children left: dropping it recurses no further.
        }
    }
}

/// Moves `node`'s children into `into`, leaving it a leaf.
fn take_children(node: &mut Node, into: &mut Vec<Node>) {
    match node {
        Node::And(terms) | Node::Or(terms) => into.extend(terms.drain(..)),
        Node::Not(inner) => into.push(std::mem::replace(&mut **inner, Node::And(VecDeque::new()))),
        Node::Compare { .. }
        | Node::Columns { .. }
        | Node::Null { .. }
        | Node::Any { .. }
        | Node::Between { .. } => {}
    }
}

/// Writes `$n` for the next parameter and records it.
pub(crate) fn push_param<'a>(
    sql: &mut String,
    params: &mut Params<'a>,
    value: &'a (dyn ToSql + Sync),
) {
    params.push(value);
    sql.push('$');
    push_number(sql, params.len());
}

/// Appends a decimal number, without `fmt`'s machinery: `$n` is written
/// for every parameter of every statement (200 for a 100-row insert).
pub(crate) fn push_number(sql: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        // `n % 10` is below 10: the cast keeps it whole.
        #[allow(clippy::cast_possible_truncation, reason = "a digit fits in a byte")]
        let digit = (n % 10) as u8;
        digits[start] = b'0' + digit;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        sql.push(char::from(digit));
    }
}

/// `existing AND node`, or `node` alone: how repeated `filter` calls combine.
pub(crate) fn and_filter(existing: Option<Node>, node: Node) -> Node {
    match existing {
        None => node,
        Some(existing) => existing.combine(node, true),
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
        Self::new(self.node.combine(other.node, true))
    }

    /// `self OR other`; `other` may be about another table of the section.
    #[must_use]
    pub fn or<U>(self, other: Expr<U>) -> Self
    where
        T: Table,
        U: InSection<T::Section>,
    {
        Self::new(self.node.combine(other.node, false))
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
            value: Param::new(value.into()),
            cast: self.casts().value,
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
            low: Param::new(low.into()),
            high: Param::new(high.into()),
            cast: self.casts().value,
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
            values: Param::new(values),
            negated: false,
            cast: self.casts().values,
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
            values: Param::new(values),
            negated: true,
            cast: self.casts().values,
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
    /// `column op pattern`, on the column's text form for a column that
    /// travels as text ([`Column::cast`]).
    fn pattern(self, op: &'static str, pattern: String) -> Expr<T> {
        Expr::new(Node::Compare {
            column: self.read_sql(),
            op,
            value: Param::new(pattern),
            cast: "",
        })
    }

    /// `column LIKE pattern` (`%` and `_` are wildcards, `\` escapes).
    /// Escape text from users with [`like_escape`], or use
    /// [`contains`](Self::contains), [`starts_with`](Self::starts_with) and
    /// [`ends_with`](Self::ends_with), which do.
    #[must_use]
    pub fn like(self, pattern: impl Into<String>) -> Expr<T> {
        self.pattern(" LIKE ", pattern.into())
    }

    /// `column LIKE '%text%'`: the column contains `text`, matched
    /// literally (its `%`, `_` and `\` are escaped with [`like_escape`]).
    #[must_use]
    pub fn contains(self, text: &str) -> Expr<T> {
        self.like(format!("%{}%", like_escape(text)))
    }

    /// `column LIKE 'prefix%'`: the column starts with `prefix`, matched
    /// literally.
    #[must_use]
    pub fn starts_with(self, prefix: &str) -> Expr<T> {
        self.like(format!("{}%", like_escape(prefix)))
    }

    /// `column LIKE '%suffix'`: the column ends with `suffix`, matched
    /// literally.
    #[must_use]
    pub fn ends_with(self, suffix: &str) -> Expr<T> {
        self.like(format!("%{}", like_escape(suffix)))
    }

    /// `column ILIKE pattern`: case-insensitive `LIKE`.
    #[must_use]
    pub fn ilike(self, pattern: impl Into<String>) -> Expr<T> {
        self.pattern(" ILIKE ", pattern.into())
    }

    /// `column NOT LIKE pattern`.
    #[must_use]
    pub fn not_like(self, pattern: impl Into<String>) -> Expr<T> {
        self.pattern(" NOT LIKE ", pattern.into())
    }
}

/// `text` as a `LIKE`/`ILIKE` pattern that matches exactly `text`: `%`,
/// `_` and `\` are escaped with a backslash, PostgreSQL's default escape
/// character for `LIKE` (the runtime never adds an `ESCAPE` clause). Add
/// your own wildcards around it.
///
/// ```
/// assert_eq!(pg_sections::like_escape(r"50%_off\"), r"50\%\_off\\");
/// // Names containing what the user typed, wildcards and all:
/// let pattern = format!("%{}%", pg_sections::like_escape("100%"));
/// assert_eq!(pattern, r"%100\%%");
/// ```
#[must_use]
pub fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
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
