//! The runtime of pg-sections: the traits that generated section code
//! implements, and what that code needs at run time.
//!
//! Generated code (see the `codegen` crate) names everything through this
//! crate, so a user depends on `runtime` alone:
//!
//! - a section marker implements [`Section`];
//! - each table module's `Table` implements [`Table`] (and [`Writable`] for
//!   tables, not views) and [`InSection`] for exactly its own section;
//! - each column is a [`Column<Table, RustType>`] constant;
//! - row structs implement [`FromRow`], insert structs [`Insertable`];
//! - PostgreSQL enums become Rust enums implementing [`PgEnum`].
//!
//! ```text
//! // src/db.rs of a crate whose build.rs calls codegen
//! pg_sections::include_sections!();
//! ```

mod connection;
mod db;
pub mod decode;
mod enums;
mod error;
mod expr;
mod interval;
pub mod query;
mod schema;
mod value;

pub use connection::{
    CacheStats, Connection, DEFAULT_CONNECT_TIMEOUT, DEFAULT_STATEMENT_CACHE, MAX_PARAMETERS,
};
pub use db::{__private, Char, Db, IsSection, Runs};
pub use enums::{PgEnum, UnknownLabel, enum_accepts, enum_from_sql, enum_to_sql};
pub use error::{Error, Result, RowReader, decode, mask_password};
pub use expr::{Expr, Order, like_escape};
pub use interval::Interval;
pub use query::{Assignments, JoinTo, Page, RowStream, Select, Sql};
pub use schema::{Column, FromRow, InSection, Insertable, Section, Table, Writable, or_default};
pub use value::ColumnType;

pub use pg_sections_macros::section;

pub use bytes;
pub use postgres;
pub use postgres_types;

#[cfg(feature = "chrono")]
pub use chrono;
#[cfg(feature = "decimal")]
pub use rust_decimal;
#[cfg(feature = "serde")]
pub use serde;
#[cfg(feature = "json")]
pub use serde_json;
#[cfg(feature = "time")]
pub use time;
#[cfg(feature = "uuid")]
pub use uuid;

/// Includes the section modules that `codegen` generated into `OUT_DIR`.
///
/// Call it once, where the modules should live (`src/db.rs`, say); each
/// section becomes a public module there (`db::vendor`, `db::customer`).
#[macro_export]
macro_rules! include_sections {
    () => {
        include!(concat!(env!("OUT_DIR"), "/sections.rs"));
    };
}
