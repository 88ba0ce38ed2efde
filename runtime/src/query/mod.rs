//! The typed query builder: `select`, `insert`, `update`, `delete` on a
//! generated table, executed on a handle of the table's section: an async [`Db`](crate::Db) or a
//! [`blocking::Db`](crate::blocking::Db).
//!
//! Every value is a `$n` parameter; every identifier comes from generated,
//! quoted, schema-qualified constants. `to_sql()` shows the statement.

mod select;
mod stream;
#[cfg(test)]
mod tests;
mod write;

pub use select::{JoinTo, Page, Select};
pub use stream::RowStream;
pub use write::{Assignments, Delete, Insert, OnConflict, Returning, Update};

/// A statement as it will be sent: its SQL and how many parameters it binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sql {
    /// The SQL text, with `$1`, `$2`, … for values.
    pub text: String,
    /// How many parameters it binds.
    pub params: usize,
}

impl std::fmt::Display for Sql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

use crate::exec::Params;

/// Appends `name` as a quoted identifier.
pub(crate) fn push_ident(sql: &mut String, name: &str) {
    sql.push('"');
    if name.contains('"') {
        sql.push_str(&name.replace('"', "\"\""));
    } else {
        sql.push_str(name);
    }
    sql.push('"');
}
