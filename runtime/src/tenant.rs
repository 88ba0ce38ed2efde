//! Tenant schemas: a section that is a template (`tenant = true`) has one
//! generated module and a schema per tenant (`<schema>_<tenant>`). A
//! tenant's handle ([`Pool::tenant`](crate::Pool::tenant)) runs the
//! template's statements with each relation the builder names moved to
//! the tenant's schema: the SQL text itself names the tenant, so each
//! tenant's statements are cached apart, no `search_path` is set, and it
//! works behind PgBouncer in transaction mode.

use crate::error::{Error, Result};

/// The longest schema name PostgreSQL keeps (`NAMEDATALEN - 1` bytes).
const MAX_SCHEMA: usize = 63;

/// The schema of one tenant of a template: both names quoted as the
/// generated code quotes a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TenantSchema {
    /// `"template".`
    template: String,
    /// `"template_tenant".`
    schema: String,
}

impl TenantSchema {
    /// The schema of tenant `name` of template `section` (schema
    /// `template`).
    ///
    /// # Errors
    /// [`Error::Tenant`] when `section` is no template, or `name` is empty,
    /// has characters other than lowercase ASCII letters, digits and `_`,
    /// or makes a schema name longer than PostgreSQL keeps.
    pub(crate) fn new(
        section: &'static str,
        template: &str,
        is_template: bool,
        name: &str,
    ) -> Result<Self> {
        let refuse = |reason: String| Error::Tenant {
            section,
            name: name.to_owned(),
            reason,
        };
        if !is_template {
            return Err(refuse(format!(
                "section `{section}` is no tenant template (`tenant = true` in sections.toml)"
            )));
        }
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(refuse(
                "a tenant's name is lowercase ASCII letters, digits and `_`, at least one"
                    .to_owned(),
            ));
        }
        let schema = format!("{template}_{name}");
        if schema.len() > MAX_SCHEMA {
            return Err(refuse(format!(
                "its schema `{schema}` would be longer than the {MAX_SCHEMA} bytes PostgreSQL keeps of a name"
            )));
        }
        Ok(Self {
            template: format!("{}.", quote(template)),
            schema: format!("{}.", quote(&schema)),
        })
    }

    /// `sql`, a statement the builder wrote for the template, with each
    /// relation it names in the template's schema moved to the tenant's:
    /// the `"template".` right after `FROM`, `JOIN`, `INTO` or `UPDATE`
    /// (where the builder writes a relation; a column is written
    /// `"table"."column"`, never there).
    pub(crate) fn rewrite(&self, sql: &str) -> String {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut rest = sql;
        while let Some(at) = rest.find(&self.template) {
            let before = &rest[..at];
            out.push_str(before);
            let relation = ["FROM ", "JOIN ", "INTO ", "UPDATE "]
                .iter()
                .any(|keyword| out.ends_with(keyword));
            out.push_str(if relation {
                &self.schema
            } else {
                &self.template
            });
            rest = &rest[at + self.template.len()..];
        }
        out.push_str(rest);
        out
    }
}

/// The schema of tenant `name` of a template whose schema is `template`
/// (`tenant_acme`), or why `name` makes none: what `cargo sections tenant
/// new` checks, as [`Pool::tenant`](crate::Pool::tenant) does.
///
/// # Errors
/// Why: empty, characters other than lowercase ASCII letters, digits and
/// `_`, or too long a schema name.
#[doc(hidden)]
pub fn tenant_schema(template: &str, name: &str) -> std::result::Result<String, String> {
    TenantSchema::new("", template, true, name).map_err(|error| match error {
        Error::Tenant { reason, .. } => reason,
        other => other.to_string(),
    })?;
    Ok(format!("{template}_{name}"))
}

/// `name` quoted as an SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::TenantSchema;

    #[test]
    fn only_relations_move_to_the_tenant_schema() {
        let acme = TenantSchema::new("tenant", "tenant", true, "acme").unwrap();
        // A table named as the schema: its columns stay where they are.
        assert_eq!(
            acme.rewrite(
                "SELECT \"tenant\".\"id\" FROM \"tenant\".\"tenant\" INNER JOIN \"tenant\".\"order\" ON \"order\".\"tenant_id\" = \"tenant\".\"id\""
            ),
            "SELECT \"tenant\".\"id\" FROM \"tenant_acme\".\"tenant\" INNER JOIN \"tenant_acme\".\"order\" ON \"order\".\"tenant_id\" = \"tenant\".\"id\""
        );
        assert_eq!(
            acme.rewrite("INSERT INTO \"tenant\".\"order\" (\"id\") VALUES ($1)"),
            "INSERT INTO \"tenant_acme\".\"order\" (\"id\") VALUES ($1)"
        );
        assert_eq!(
            acme.rewrite("UPDATE \"tenant\".\"order\" SET \"total\" = $1"),
            "UPDATE \"tenant_acme\".\"order\" SET \"total\" = $1"
        );
        assert_eq!(
            acme.rewrite("DELETE FROM \"tenant\".\"order\" WHERE \"order\".\"id\" = $1"),
            "DELETE FROM \"tenant_acme\".\"order\" WHERE \"order\".\"id\" = $1"
        );
    }

    #[test]
    fn names_are_checked_and_quoted() {
        let odd = TenantSchema::new("odd", "Odd \"Name\"", true, "a1").unwrap();
        assert_eq!(
            odd.rewrite("SELECT 1 FROM \"Odd \"\"Name\"\"\".\"t\""),
            "SELECT 1 FROM \"Odd \"\"Name\"\"_a1\".\"t\""
        );
        for bad in ["", "Acme", "a-b", "a b", "é", "x\"y"] {
            assert!(TenantSchema::new("t", "t", true, bad).is_err(), "{bad:?}");
        }
        assert!(TenantSchema::new("t", "t", true, &"a".repeat(61)).is_ok());
        assert!(TenantSchema::new("t", "t", true, &"a".repeat(62)).is_err());
        assert!(TenantSchema::new("vendor", "vendor", false, "acme").is_err());
    }
}
