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

#[doc(hidden)]
#[path = "probe.rs"]
pub mod __private;
mod checkout;
mod connection;
mod databases;
mod db;
pub mod decode;
mod enums;
mod error;
mod exec;
mod expr;
mod interval;
pub mod migrate;
mod pool;
pub mod query;
mod replicas;
mod scalars;
mod schema;
pub mod seed;
mod tenant;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tls;
mod unnamed;
mod value;

pub use connection::{
    CacheStats, DEFAULT_CONNECT_TIMEOUT, DEFAULT_STATEMENT_CACHE, MAX_PARAMETERS, section_role,
};
pub use databases::{Databases, FromEnv};
pub use db::{Char, Mode, Output, Runs};
pub use enums::{PgEnum, UnknownLabel, enum_accepts, enum_from_sql, enum_to_sql};
pub use error::{Error, Result, RowReader, decode, mask_password, with_causes};
pub use expr::{Expr, Order, like_escape};
pub use interval::Interval;
pub use pool::{
    Async, DEFAULT_POOL_SIZE, DEFAULT_WAIT_TIMEOUT, Db, Pool, PoolOptions, PoolStatus, QueryFuture,
    Transaction,
};
pub use replicas::{
    DEFAULT_MAX_REPLICA_LAG, DEFAULT_REPLICA_CHECK_INTERVAL, ReplicaState, ReplicaStatus,
};
pub use scalars::{Bits, MacAddr, MacAddr8, Money, Point, Xml};
#[doc(hidden)]
pub use tenant::tenant_schema;
pub use unnamed::StatementMode;

/// The blocking API, for scripts, command-line tools and tests: the same
/// query builder and section typing, run to completion on the calling
/// thread. A blocking [`Connection`](blocking::Connection) must not be
/// used inside an async runtime (it runs one of its own); use a
/// [`Pool`] there.
///
/// ```no_run
/// # fn run() -> pg_sections::Result<()> {
/// let conn = pg_sections::blocking::Connection::connect("postgres://app@localhost/shop")?;
/// # Ok(())
/// # }
/// ```
pub mod blocking {
    pub use crate::connection::Connection;
    pub use crate::db::Blocking;
    pub use crate::db::Db;
    pub use crate::query::RowStream;
}
pub use query::{Assignments, JoinTo, Page, Select, Sql};
pub use schema::{
    Column, FromRow, InSection, Insertable, Section, SectionItem, Table, Writable, or_default,
};
pub use value::ColumnType;

pub use pg_sections_macros::section;
#[cfg(feature = "testing")]
pub use pg_sections_macros::test;

pub use bytes;
pub use postgres;
pub use postgres_types;
pub use tokio_postgres;

#[cfg(feature = "chrono")]
pub use chrono;
#[cfg(feature = "decimal")]
pub use rust_decimal;
#[cfg(feature = "serde")]
pub use serde;

/// Stand-ins for serde's derives while the `serde` feature is off (see
/// [`__require_serde_feature!`]).
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
pub mod serde {
    pub use pg_sections_macros::{SerdeFeatureOff as Deserialize, SerdeFeatureOff as Serialize};
}

/// Generated code that derives serde's traits (`serde = true` in
/// `sections.toml`) starts with this check: nothing with the `serde`
/// feature on, one error naming it otherwise.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __require_serde_feature {
    () => {};
}

/// Generated code that derives serde's traits (`serde = true` in
/// `sections.toml`) starts with this check: nothing with the `serde`
/// feature on, one error naming it otherwise.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __require_serde_feature {
    () => {
        ::core::compile_error!(
            "`serde = true` in sections.toml derives `Serialize` and `Deserialize`, which needs the `serde` feature of pg-sections\n\
             help: add `features = [\"serde\"]` to the `pg-sections` dependency in Cargo.toml"
        );
    };
}
#[cfg(feature = "json")]
pub use serde_json;
#[cfg(feature = "time")]
pub use time;
#[cfg(feature = "uuid")]
pub use uuid;

/// The migrations of every section of this crate, embedded by its build
/// script: an expression of type [`migrate::Migrations`].
///
/// `codegen::Config::generate` writes them into `OUT_DIR` (the text the
/// server runs and the checksum of each file), so the application applies
/// them at start-up with the same history, checksums and lock as
/// `cargo sections migrate`, without reading the files or depending on
/// `codegen`. A crate that generates only some sections
/// (`codegen::Config::sections`) embeds only theirs, and leaves the other
/// sections' history to the crates that embed them:
///
/// ```text
/// static MIGRATIONS: pg_sections::migrate::Migrations = pg_sections::include_migrations!();
///
/// fn main() -> pg_sections::Result<()> {
///     let mut client = postgres::Client::connect(&std::env::var("DATABASE_URL").unwrap(), postgres::NoTls)?;
///     MIGRATIONS.run(&mut client)?;
///     Ok(())
/// }
/// ```
#[macro_export]
macro_rules! include_migrations {
    () => {{
        mod embedded_migrations {
            include!(concat!(env!("OUT_DIR"), "/pg-sections-migrations.rs"));
        }
        embedded_migrations::MIGRATIONS
    }};
}

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
