//! The schema model: the one plain-data description of the sections that every
//! source (DDL, live catalog, snapshot) produces and the emitter alone reads.
//!
//! Everything is sorted (`BTreeMap`) except what PostgreSQL itself orders:
//! columns keep their table order and enum labels their declared order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One section: a PostgreSQL schema and the objects in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section's name, as used in Rust (`vendor`).
    pub name: String,
    /// The PostgreSQL schema that holds the section's objects.
    pub schema: String,
    /// Tables, including partitioned parents (partitions are not tables here).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, Table>,
    /// Views and materialized views: read-only relations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, View>,
    /// `CREATE TYPE … AS ENUM`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, Enum>,
    /// `CREATE DOMAIN`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<String, Domain>,
    /// The enums and domains of schemas that are no section (`public`, say)
    /// which the section's columns and domains use, by schema: the section
    /// generates its own Rust enum of each such enum, and maps each such
    /// domain to its base type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outside: BTreeMap<String, Outside>,
}

/// The enums and domains of one schema that is no section, as far as a
/// section uses them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outside {
    /// `CREATE TYPE … AS ENUM`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, Enum>,
    /// `CREATE DOMAIN`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<String, Domain>,
}

/// A user type a section's column may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserType {
    /// An enum.
    Enum(Enum),
    /// A domain.
    Domain(Domain),
}

impl UserType {
    /// The type's name within its schema.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Enum(e) => &e.name,
            Self::Domain(d) => &d.name,
        }
    }
}

impl Section {
    /// What [`Section::outside`] holds: every enum and domain that a column
    /// or domain of the section names (directly, as an array's element, or
    /// as the base of such a domain) in a schema for which `is_section` is
    /// false, as `lookup` finds it. A type `lookup` does not know (a
    /// composite, an extension's type) stays out: the emitter reports it.
    pub fn outside_types(
        &self,
        is_section: impl Fn(&str) -> bool,
        mut lookup: impl FnMut(&str, &str) -> Option<UserType>,
    ) -> BTreeMap<String, Outside> {
        let mut pending: Vec<PgType> = self
            .tables
            .values()
            .flat_map(|t| &t.columns)
            .chain(self.views.values().flat_map(|v| &v.columns))
            .map(|c| c.ty.element())
            .chain(self.domains.values().map(|d| d.base.element()))
            .collect();
        let mut out: BTreeMap<String, Outside> = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(ty) = pending.pop() {
            let Some(schema) = ty.schema else {
                continue;
            };
            if is_section(&schema) || !seen.insert((schema.clone(), ty.name.clone())) {
                continue;
            }
            match lookup(&schema, &ty.name) {
                Some(UserType::Enum(e)) => {
                    out.entry(schema)
                        .or_default()
                        .enums
                        .insert(e.name.clone(), e);
                }
                Some(UserType::Domain(d)) => {
                    pending.push(d.base.element());
                    out.entry(schema)
                        .or_default()
                        .domains
                        .insert(d.name.clone(), d);
                }
                None => {}
            }
        }
        out
    }
}

impl Section {
    /// An empty section named `name` over the schema `schema`.
    #[must_use]
    pub fn new(name: impl Into<String>, schema: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            schema: schema.into(),
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            enums: BTreeMap::new(),
            domains: BTreeMap::new(),
            outside: BTreeMap::new(),
        }
    }
}

/// Whether a table is ordinary or the parent of partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// `CREATE TABLE`.
    #[default]
    Ordinary,
    /// `CREATE TABLE … PARTITION BY`.
    Partitioned,
}

impl TableKind {
    #[allow(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_ordinary(&self) -> bool {
        *self == Self::Ordinary
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Name within the schema.
    pub name: String,
    /// Ordinary or partitioned.
    #[serde(default, skip_serializing_if = "TableKind::is_ordinary")]
    pub kind: TableKind,
    /// Columns in table order.
    pub columns: Vec<Column>,
    /// The primary key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Key>,
    /// Unique constraints, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<Key>,
    /// Foreign keys, sorted by name; they may point into other schemas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// `COMMENT ON TABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Table {
    /// The column called `name`.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// Name within the schema.
    pub name: String,
    /// `CREATE MATERIALIZED VIEW`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// Columns in view order. PostgreSQL reports every view column as nullable.
    pub columns: Vec<Column>,
    /// `COMMENT ON VIEW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A column of a table or view.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Name as PostgreSQL stores it (folded to lower case unless quoted).
    pub name: String,
    /// The column's type.
    #[serde(rename = "type")]
    pub ty: PgType,
    /// `false` when the column is `NOT NULL` (or part of the primary key).
    pub nullable: bool,
    /// The default expression, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `GENERATED … AS IDENTITY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// `COMMENT ON COLUMN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Column {
    /// Whether an insert may leave this column out and let the server fill it.
    #[must_use]
    pub fn has_server_value(&self) -> bool {
        self.default.is_some() || self.identity.is_some() || self.generated.is_some()
    }
}

/// How an identity column takes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`: inserts may not supply a value.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// A PostgreSQL type, by its canonical catalog name (`int4`, `varchar`,
/// `timestamptz`) or, for user types, its schema and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PgType {
    /// Schema of a user-defined type; `None` for built-in (`pg_catalog`) types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Catalog name of the element type (`int4`, not `integer`).
    pub name: String,
    /// Type modifiers: `varchar(20)` → `[20]`, `numeric(10,2)` → `[10, 2]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<i32>,
    /// 1 for an array, 0 for a scalar. PostgreSQL keeps no count of
    /// dimensions that survives `pg_dump` (`int4[][]` is `int4[]`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub array_dims: u8,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl PgType {
    /// A built-in scalar type.
    #[must_use]
    pub fn builtin(name: &str) -> Self {
        Self {
            schema: None,
            name: name.to_owned(),
            modifiers: Vec::new(),
            array_dims: 0,
        }
    }

    /// The element type of an array type (the type itself for a scalar).
    #[must_use]
    pub fn element(&self) -> Self {
        Self {
            array_dims: 0,
            ..self.clone()
        }
    }
}

impl std::fmt::Display for PgType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}.")?;
        }
        f.write_str(&self.name)?;
        if !self.modifiers.is_empty() {
            let mods: Vec<String> = self.modifiers.iter().map(i32::to_string).collect();
            write!(f, "({})", mods.join(","))?;
        }
        for _ in 0..self.array_dims {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    /// Constraint name (PostgreSQL's generated name when the SQL gave none).
    pub name: String,
    /// Key columns in key order.
    pub columns: Vec<String>,
}

/// A foreign key, possibly into another schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// Constraint name (PostgreSQL's generated name when the SQL gave none).
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Schema of the referenced table.
    pub foreign_schema: String,
    /// The referenced table.
    pub foreign_table: String,
    /// Referenced columns, in the order of `columns`.
    pub foreign_columns: Vec<String>,
    /// `ON DELETE` action.
    #[serde(default, skip_serializing_if = "Action::is_no_action")]
    pub on_delete: Action,
    /// `ON UPDATE` action.
    #[serde(default, skip_serializing_if = "Action::is_no_action")]
    pub on_update: Action,
}

/// A referential action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl Action {
    #[allow(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_no_action(&self) -> bool {
        *self == Self::NoAction
    }
}

/// `CREATE TYPE … AS ENUM`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    /// Type name within the schema.
    pub name: String,
    /// Labels in their sort order.
    pub labels: Vec<String>,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `CREATE DOMAIN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Domain name within the schema.
    pub name: String,
    /// The underlying type.
    pub base: PgType,
    /// `false` when the domain is declared `NOT NULL`.
    pub nullable: bool,
    /// The domain's default expression, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `COMMENT ON DOMAIN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
