//! `roles`: a database role per section, the run-time layer of the
//! isolation `#[section]` gives at compile time. Each section gets a
//! read/write role and a read-only one, granted its own schema only (and
//! `USAGE` on the schemas its foreign keys reference), so that SQL run under
//! a section's role cannot read or write another section's tables, however
//! it was written.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use std::path::{Path, PathBuf};

use crate::model::Section;
use crate::{Error, Layout};

/// The two roles of a section whose schema is `schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    /// Reads and writes the section's tables: `sections_<schema>`.
    pub read_write: String,
    /// Reads them: `sections_<schema>_read`.
    pub read_only: String,
}

impl Roles {
    /// The roles of the section of `schema`. Role names are the cluster's,
    /// not one database's: two databases with a schema of the same name
    /// share them (each database grants its own objects).
    #[must_use]
    pub fn of(schema: &str) -> Self {
        let read_write = pg_sections::section_role(schema);
        Self {
            read_only: format!("{read_write}_read"),
            read_write,
        }
    }
}

/// The schemas other than its own that a section's foreign keys reference.
fn referenced(section: &Section) -> BTreeSet<&str> {
    section
        .tables
        .values()
        .flat_map(|table| &table.foreign_keys)
        .map(|fk| fk.foreign_schema.as_str())
        .filter(|schema| *schema != section.schema)
        .collect()
}

/// What each role may do in its section's schema, on what kind of object:
/// granted on what exists and, by default, on what is created later.
const PRIVILEGES: [(Access, &str, &str); 3] = [
    (
        Access::ReadWrite,
        "SELECT, INSERT, UPDATE, DELETE",
        "TABLES",
    ),
    (Access::ReadWrite, "USAGE, SELECT, UPDATE", "SEQUENCES"),
    (Access::ReadOnly, "SELECT", "TABLES"),
];

/// Which of a section's two roles.
#[derive(Clone, Copy)]
enum Access {
    ReadWrite,
    ReadOnly,
}

/// A section's schema and roles, quoted for SQL.
struct Quoted {
    schema: String,
    read_write: String,
    read_only: String,
}

impl Quoted {
    fn of(section: &Section) -> Self {
        let roles = Roles::of(&section.schema);
        Self {
            schema: quote_ident(&section.schema),
            read_write: quote_ident(&roles.read_write),
            read_only: quote_ident(&roles.read_only),
        }
    }

    fn role(&self, access: Access) -> &str {
        match access {
            Access::ReadWrite => &self.read_write,
            Access::ReadOnly => &self.read_only,
        }
    }
}

/// The SQL that creates a section's roles (when missing) and grants them
/// its schema, its tables, views and sequences (those to come too, when
/// the role that runs the script creates them), and `USAGE` on the schemas
/// its foreign keys reference; each role is granted to each of `members`
/// (the application's logins), which may then `SET ROLE` to it. Running it
/// again changes nothing.
#[must_use]
pub fn grant(section: &Section, members: &[String]) -> String {
    let q = Quoted::of(section);
    let (schema, rw, ro) = (&q.schema, &q.read_write, &q.read_only);
    let mut sql = format!(
        "-- Roles of section `{}`: {rw} reads and writes its schema {schema}, {ro} reads it.\n",
        section.name
    );
    let roles = Roles::of(&section.schema);
    for role in [&roles.read_write, &roles.read_only] {
        let _ = writeln!(
            sql,
            "DO $$ BEGIN\n    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {}) THEN\n        CREATE ROLE {} NOLOGIN;\n    END IF;\nEND $$;",
            quote_literal(role),
            quote_ident(role)
        );
    }
    let _ = writeln!(sql, "GRANT USAGE ON SCHEMA {schema} TO {rw}, {ro};");
    for (access, privileges, kind) in PRIVILEGES {
        let role = q.role(access);
        let _ = writeln!(
            sql,
            "GRANT {privileges} ON ALL {kind} IN SCHEMA {schema} TO {role};"
        );
    }
    for (access, privileges, kind) in PRIVILEGES {
        let role = q.role(access);
        let _ = writeln!(
            sql,
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {privileges} ON {kind} TO {role};"
        );
    }
    for other in referenced(section) {
        let _ = writeln!(
            sql,
            "GRANT USAGE ON SCHEMA {} TO {rw}, {ro};",
            quote_ident(other)
        );
    }
    for member in members {
        let _ = writeln!(sql, "GRANT {rw}, {ro} TO {};", quote_ident(member));
    }
    sql
}

/// The SQL that undoes [`grant`]: the privileges revoked, then the roles
/// dropped.
#[must_use]
pub fn revoke(section: &Section, members: &[String]) -> String {
    let q = Quoted::of(section);
    let (schema, rw, ro) = (&q.schema, &q.read_write, &q.read_only);
    let mut sql = format!("-- Undoes the roles of section `{}`.\n", section.name);
    for member in members {
        let _ = writeln!(sql, "REVOKE {rw}, {ro} FROM {};", quote_ident(member));
    }
    for other in referenced(section) {
        let _ = writeln!(
            sql,
            "REVOKE USAGE ON SCHEMA {} FROM {rw}, {ro};",
            quote_ident(other)
        );
    }
    for (access, privileges, kind) in PRIVILEGES.into_iter().rev() {
        let role = q.role(access);
        let _ = writeln!(
            sql,
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE {privileges} ON {kind} FROM {role};"
        );
    }
    let _ = writeln!(
        sql,
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {rw}, {ro};"
    );
    let _ = writeln!(
        sql,
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {rw}, {ro};"
    );
    let _ = writeln!(sql, "REVOKE USAGE ON SCHEMA {schema} FROM {rw}, {ro};");
    let _ = writeln!(sql, "DROP ROLE IF EXISTS {rw}, {ro};");
    sql
}

/// Writes a section's [`grant`] and [`revoke`] as a new migration pair
/// (`<timestamp>_roles.{up,down}.sql`) of the sections folder `root`.
///
/// # Errors
/// As [`crate::migrate::new`], or a file cannot be written.
pub fn write(
    root: &Path,
    layout: Option<&Layout>,
    section: &Section,
    members: &[String],
    now: u64,
) -> Result<(PathBuf, PathBuf), Error> {
    let (up, down) = crate::migrate::new(root, layout, &section.name, "roles", now)?;
    std::fs::write(&up, grant(section, members)).map_err(|e| Error::io(&up, e))?;
    std::fs::write(&down, revoke(section, members)).map_err(|e| Error::io(&down, e))?;
    Ok((up, down))
}

/// `name` as an SQL identifier, always quoted.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as an SQL string literal.
fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
