//! The traits that describe sections, tables and columns.

use std::fmt;
use std::marker::PhantomData;

use crate::Error;
use crate::query::{Delete, Insert, Select, Update};

/// A section: one PostgreSQL schema, one generated module.
///
/// Implemented by the generated marker type (`vendor::Vendor`).
pub trait Section: 'static {
    /// The section's name (`"vendor"`).
    const NAME: &'static str;
    /// The PostgreSQL schema that holds its objects.
    const SCHEMA: &'static str;
    /// The environment variable that holds the URL of its database
    /// (`database_url_env` in `sections.toml`): [`Databases`](crate::Databases)
    /// gives its handles a pool of that database.
    const DATABASE_URL_ENV: &'static str = "DATABASE_URL";
    /// The environment variables that hold the URLs of its database's
    /// streaming replicas (`replica_url_envs` in `sections.toml`), which
    /// [`Databases::from_env`](crate::Databases::from_env) gives its pool.
    const REPLICA_URL_ENVS: &'static [&'static str] = &[];
    /// A template of tenant schemas (`tenant = true` in `sections.toml`):
    /// its handles are a tenant's ([`Pool::tenant`](crate::Pool::tenant)),
    /// each on the schema `<SCHEMA>_<tenant>`.
    const TENANT: bool = false;
}

/// An item that belongs to a section: every type codegen generates for one
/// (its marker, each table's `Table`, rows, insert structs, enums), each
/// column, and each handle `Db<S>`.
///
/// The `#[section("…")]` attribute asks the compiler, for every path in the
/// item it marks, whether the path resolves to such an item and of which
/// section, wherever the path was imported from or however it was renamed;
/// a type that is not a `SectionItem` (the user's own `Session`, say) is
/// never mistaken for one.
pub trait SectionItem {
    /// The section it belongs to.
    type Section: Section;
}

impl<T: Table, V> SectionItem for Column<T, V> {
    type Section = T::Section;
}

/// A table or view of a section.
///
/// Implemented by the generated marker `Table` in each table module
/// (`vendor::vendor_inventory::Table`).
pub trait Table: Copy + 'static {
    /// The section the table belongs to.
    type Section: Section;
    /// The generated row struct.
    type Row: FromRow;
    /// The schema.
    const SCHEMA: &'static str;
    /// The table's name within its schema.
    const NAME: &'static str;
    /// `schema.name`, for messages.
    const RELATION: &'static str;
    /// `"schema"."name"`, quoted for SQL.
    const QUALIFIED_NAME: &'static str;
    /// Every column, in table order.
    const COLUMNS: &'static [&'static str];
    /// Every column, quoted and qualified, comma-separated: the select list.
    const COLUMN_LIST: &'static str;
    /// Primary key columns (empty when there is none, and for views).
    const PRIMARY_KEY: &'static [&'static str];
    /// `SELECT <COLUMN_LIST> FROM <QUALIFIED_NAME>`, written out by codegen
    /// so that `select()` without a clause sends it as it is, built and
    /// hashed never; empty (the default) renders it each time.
    #[doc(hidden)]
    const SELECT_ALL: &'static str = "";

    /// `SELECT` every column into the row struct.
    ///
    /// ```text
    /// vendor_inventory::Table.select()
    ///     .filter(vendor_inventory::vendor_id.eq(id))
    ///     .order_by(vendor_inventory::id.asc())
    ///     .fetch_all(&db)?
    /// ```
    fn select(self) -> Select<Self> {
        Select::all()
    }

    /// `INSERT` one row.
    fn insert<I: Insertable<Table = Self>>(self, row: I) -> Insert<I>
    where
        Self: Writable,
    {
        Insert::new(vec![row])
    }

    /// `INSERT` several rows in one statement.
    fn insert_many<I: Insertable<Table = Self>>(
        self,
        rows: impl IntoIterator<Item = I>,
    ) -> Insert<I>
    where
        Self: Writable,
    {
        Insert::new(rows.into_iter().collect())
    }

    /// `UPDATE`; add `set`s and a `filter`.
    fn update(self) -> Update<Self>
    where
        Self: Writable,
    {
        Update::new()
    }

    /// `DELETE`; add a `filter`.
    fn delete(self) -> Delete<Self>
    where
        Self: Writable,
    {
        Delete::new()
    }
}

/// A table that accepts inserts, updates and deletes (views do not).
pub trait Writable: Table {}

/// Proof that a table belongs to section `S`.
///
/// Generated once per table, for its own section only, so that a query on a
/// table of another section does not type-check where `S` is required. It
/// follows from the table's [`Table::Section`]: an `impl InSection<Vendor>`
/// for a customer table does not compile, so a table cannot be made to run
/// on another section's handle.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` does not belong to section `{S}`",
    label = "this table belongs to another section",
    note = "code for section `{S}` may only use its own tables; move this to a service, or to a repository of the table's section"
)]
pub trait InSection<S: Section>: Table<Section = S> {}

/// A typed column of table `T` whose Rust value type is `V`.
///
/// Generated as constants: `vendor_inventory::quantity: Column<Table, i32>`.
///
/// Some columns need casts, which the generated constant carries
/// ([`Column::cast`]): a column whose PostgreSQL type has no Rust mapping of
/// ours (`tsvector`, ranges, geometric types, …) travels as its text form,
/// read as `column::text` and sent as `$n::text::type`, so the server parses
/// and checks it; a value for a domain column is sent as its base type
/// (`$n::int4`), which the server then checks against the domain.
pub struct Column<T, V> {
    name: &'static str,
    index: usize,
    sql: &'static str,
    casts: Casts,
    marker: PhantomData<fn() -> (T, V)>,
}

/// How a column is read and how values for it are sent.
#[derive(Clone, Copy)]
pub(crate) struct Casts {
    /// How a select list reads it: the column, or `column::text`.
    pub(crate) read: &'static str,
    /// What follows the `$n` of one value for it (`::int4`, `::text::tsvector`), or "".
    pub(crate) value: &'static str,
    /// What follows the `$n` of an array of such values (`IN`), or "".
    pub(crate) values: &'static str,
}

impl<T, V> Column<T, V> {
    /// A column called `name` at position `index` of its table, written
    /// `sql` (quoted and qualified by its table) in statements.
    #[must_use]
    pub const fn new(name: &'static str, index: usize, sql: &'static str) -> Self {
        Self {
            name,
            index,
            sql,
            casts: Casts {
                read: sql,
                value: "",
                values: "",
            },
            marker: PhantomData,
        }
    }

    /// The column read as `read` in select lists (`"t"."c"::text`), and its
    /// values sent as `$n` followed by `value` (`::text::tsvector`), an
    /// array of them by `values` (`::text[]::tsvector[]`).
    #[must_use]
    pub const fn cast(self, read: &'static str, value: &'static str, values: &'static str) -> Self {
        Self {
            casts: Casts {
                read,
                value,
                values,
            },
            ..self
        }
    }

    /// The column as written in statements: `"table"."column"`.
    #[must_use]
    pub const fn sql(&self) -> &'static str {
        self.sql
    }

    /// The column as a select list reads it: [`Column::sql`], or
    /// `"table"."column"::text` for a column that travels as text.
    #[must_use]
    pub const fn read_sql(&self) -> &'static str {
        self.casts.read
    }

    pub(crate) const fn casts(&self) -> Casts {
        self.casts
    }

    /// The column's SQL name.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The column's position in its table (0-based).
    #[must_use]
    pub const fn index(&self) -> usize {
        self.index
    }
}

impl<T, V> Clone for Column<T, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, V> Copy for Column<T, V> {}

impl<T: Table, V> fmt::Debug for Column<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", T::SCHEMA, T::NAME, self.name)
    }
}

/// A struct built from consecutive columns of a `postgres::Row`.
pub trait FromRow: Sized + Send {
    /// How many columns the struct reads.
    const WIDTH: usize;

    /// Reads the struct from columns `start..start + WIDTH` of `row`.
    ///
    /// # Errors
    /// A column cannot be decoded into its field's type, including a NULL
    /// where the schema promised NOT NULL.
    fn from_row_at(row: &postgres::Row, start: usize) -> Result<Self, Error>;

    /// Reads the struct from the first columns of `row`.
    ///
    /// # Errors
    /// As [`FromRow::from_row_at`].
    fn from_row(row: &postgres::Row) -> Result<Self, Error> {
        Self::from_row_at(row, 0)
    }
}

/// A generated insert struct (`NewVendorInventory`).
pub trait Insertable: Sync {
    /// The table it inserts into.
    type Table: Writable;
    /// The columns an insert may set, in table order.
    const COLUMNS: &'static [&'static str];
    /// Per entry of [`Insertable::COLUMNS`], what follows the `$n` of its
    /// value (see [`Column::cast`]), or `""`; empty when no column needs a
    /// cast.
    const CASTS: &'static [&'static str] = &[];
    /// Appends one value per entry of [`Insertable::COLUMNS`]: `None` asks
    /// the server for the column's `DEFAULT`.
    fn values<'v>(&'v self, out: &mut Vec<Option<&'v (dyn postgres_types::ToSql + Sync)>>);
}

/// An insert struct's optional field as a value to bind, or `None` for the
/// column's `DEFAULT`: what generated [`Insertable`] implementations use.
#[must_use]
pub fn or_default<T: postgres_types::ToSql + Sync>(
    value: &Option<T>,
) -> Option<&(dyn postgres_types::ToSql + Sync)> {
    value
        .as_ref()
        .map(|v| v as &(dyn postgres_types::ToSql + Sync))
}
