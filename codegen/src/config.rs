//! `sections.toml`: optional settings for the whole folder and per section.
//!
//! ```toml
//! runtime = "::pg_sections"        # path of the runtime crate in generated code
//! database_url_env = "DATABASE_URL" # where the live source finds its URL
//! sections = ["auth", "app"]        # one shared migration stream: which schemas are sections
//!
//! [section.vendor]
//! schema = "vendor_v2"              # PostgreSQL schema (default: the section's name)
//! serde = true                      # rows derive Serialize/Deserialize
//! types = { money = "i64" }         # Rust type per PostgreSQL type
//! columns = { "vendor_inventory.price" = "f64" }  # Rust type per table.column
//! source = "live"                   # read it from the database (default: ddl when it has migrations)
//!                                   # or "shadow": its migrations applied to a throwaway database
//! database_url_env = "VENDOR_DATABASE_URL"  # a database of its own (default: the shared one)
//! replica_url_envs = ["VENDOR_REPLICA_URL"]  # its database's streaming replicas
//!
//! [section.tenant]
//! tenant = true                     # a template: one module, a schema per tenant (`tenant_acme`)
//!
//! [section.team_d]
//! extends = "shared"                # an overlay: may reference `shared`, which never references it
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The settings file, in the sections folder.
pub const FILE: &str = "sections.toml";

use serde::Deserialize;

use crate::error::Error;

/// The parsed `sections.toml` (all keys optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Path of the runtime crate in generated code (default `::pg_sections`).
    pub runtime: Option<String>,
    /// Environment variable holding the database URL (default `DATABASE_URL`).
    pub database_url_env: Option<String>,
    /// Environment variables holding the URLs of the shared database's
    /// streaming replicas.
    pub replica_url_envs: Option<Vec<String>>,
    /// With one shared migration stream: the schemas that are sections
    /// (default: every schema the stream creates).
    pub sections: Option<Vec<String>>,
    /// Per-section settings, by section name.
    #[serde(default)]
    pub section: BTreeMap<String, SectionSettings>,
    /// Where the settings were read from, for error messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// Settings of one section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSettings {
    /// The PostgreSQL schema (default: the section's name).
    pub schema: Option<String>,
    /// Derive `serde::Serialize`/`Deserialize` on rows and insert structs.
    #[serde(default)]
    pub serde: bool,
    /// Rust type per PostgreSQL type name (`numeric`, `citext`, `core.money_amount`).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Rust type per `table.column`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Where the section is read from (default: its migrations when it has
    /// any, else the live database).
    pub source: Option<Source>,
    /// The section this one is an overlay of: its migrations may reference
    /// the base's objects, the base's never reference it (see `overlay`).
    pub extends: Option<String>,
    /// Environment variable holding the URL of the section's own database
    /// (default: the folder's `database_url_env`).
    pub database_url_env: Option<String>,
    /// Environment variables holding the URLs of its database's streaming
    /// replicas (default: the folder's `replica_url_envs` when it is in the
    /// shared database).
    pub replica_url_envs: Option<Vec<String>>,
    /// A template of tenant schemas: its migrations build each tenant's
    /// schema (`<schema>_<tenant>`), its generated module serves them all,
    /// and its own schema is never created.
    #[serde(default)]
    pub tenant: bool,
}

/// Where a section's model comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The section's SQL migrations.
    Ddl,
    /// The live database (falling back to the committed snapshot).
    Live,
    /// The section's migrations applied to a throwaway database
    /// (`SHADOW_DATABASE_URL`'s server, or a throwaway cluster), then read
    /// as the live source reads a database: whatever PostgreSQL accepts.
    Shadow,
}

impl Settings {
    /// Reads `dir/sections.toml`, or the defaults when it does not exist.
    ///
    /// # Errors
    /// The file exists but cannot be read or is not valid settings.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::io(path, e)),
        };
        let mut settings: Self = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.clone(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        settings.path = Some(path);
        let per_section = settings.section.iter().filter_map(|(name, section)| {
            section
                .database_url_env
                .as_deref()
                .map(|var| (format!("[section.{name}] "), "database_url_env", var))
        });
        let replicas = settings
            .replica_url_envs
            .iter()
            .flatten()
            .map(|var| (String::new(), "replica_url_envs", var.as_str()))
            .chain(settings.section.iter().flat_map(|(name, section)| {
                section.replica_url_envs.iter().flatten().map(move |var| {
                    (
                        format!("[section.{name}] "),
                        "replica_url_envs",
                        var.as_str(),
                    )
                })
            }));
        let vars: Vec<(String, &str, &str)> = settings
            .database_url_env
            .as_deref()
            .map(|var| (String::new(), "database_url_env", var))
            .into_iter()
            .chain(per_section)
            .chain(replicas)
            .collect();
        for (table, key, var) in vars {
            // It is printed in `cargo:rerun-if-env-changed=`: a line break
            // would start a cargo directive of its own.
            let valid = var.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(settings.error(format!(
                    "{table}`{key}`: {var:?} is not an environment variable name; use letters, digits and `_`, like \"DATABASE_URL\""
                )));
            }
        }
        for (name, section) in &settings.section {
            if let Some(base) = &section.extends
                && settings.database_url_env_of(name) != settings.database_url_env_of(base)
            {
                return Err(settings.error(format!(
                    "section `{name}` extends `{base}`, whose database is another \
                     (`{}` and `{}`): an overlay references its base's tables, \
                     which PostgreSQL keeps within one database; give them the same `database_url_env`",
                    settings.database_url_env_of(name),
                    settings.database_url_env_of(base)
                )));
            }
        }
        settings.declared_replicas()?;
        for (name, section) in &settings.section {
            if !section.tenant {
                continue;
            }
            if let Some(base) = &section.extends {
                return Err(settings.error(format!(
                    "section `{name}` is a tenant template and extends `{base}`: a template stands alone \
                     (its tables may reference other sections' tables, but it is no overlay)"
                )));
            }
            if let Some((overlay, _)) = settings
                .section
                .iter()
                .find(|(_, other)| other.extends.as_deref() == Some(name))
            {
                return Err(settings.error(format!(
                    "section `{overlay}` extends `{name}`, a tenant template, whose schema is never created; \
                     a template has no overlays"
                )));
            }
            if matches!(section.source, Some(Source::Live)) {
                return Err(settings.error(format!(
                    "section `{name}` is a tenant template read from the live database, where its schema \
                     never exists (each tenant has a schema of its own); read it from its migrations \
                     (`source = \"ddl\"` or `\"shadow\"`)"
                )));
            }
        }
        Ok(settings)
    }

    /// The replicas named for each database, by the variable of its URL:
    /// the folder's `replica_url_envs` for the shared database, each
    /// section's for its database. Two different lists for one database
    /// are an error: replicas belong to a database, not to a section.
    fn declared_replicas(&self) -> Result<BTreeMap<&str, (String, &[String])>, Error> {
        let folder = self.replica_url_envs.as_deref().map(|vars| {
            (
                self.database_url_env(),
                "the folder's `replica_url_envs`".to_owned(),
                vars,
            )
        });
        let sections = self.section.iter().filter_map(|(name, section)| {
            section.replica_url_envs.as_deref().map(|vars| {
                (
                    self.database_url_env_of(name),
                    format!("section `{name}`"),
                    vars,
                )
            })
        });
        let mut declared: BTreeMap<&str, (String, &[String])> = BTreeMap::new();
        for (database, who, vars) in folder.into_iter().chain(sections) {
            match declared.get(database) {
                Some((first, theirs)) if *theirs != vars => {
                    return Err(self.error(format!(
                        "{first} names the replicas {theirs:?} for the database of `{database}`, and {who} \
                         names {vars:?}: replicas belong to a database, so its sections name the same ones \
                         (or only one of them does)"
                    )));
                }
                Some(_) => {}
                None => {
                    declared.insert(database, (who, vars));
                }
            }
        }
        Ok(declared)
    }

    /// The environment variables that hold the URLs of the streaming
    /// replicas of section `name`'s database.
    #[must_use]
    pub fn replica_url_envs_of(&self, name: &str) -> Vec<&str> {
        let database = self.database_url_env_of(name);
        self.declared_replicas()
            .ok()
            .and_then(|declared| declared.get(database).map(|(_, vars)| *vars))
            .map(|vars| vars.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The environment variable that holds the URL of section `name`'s
    /// database: its own, else the folder's.
    #[must_use]
    pub fn database_url_env_of(&self, name: &str) -> &str {
        self.section
            .get(name)
            .and_then(|s| s.database_url_env.as_deref())
            .unwrap_or_else(|| self.database_url_env())
    }

    /// Whether section `name` is a tenant template (`tenant = true`).
    #[must_use]
    pub fn is_tenant(&self, name: &str) -> bool {
        self.section.get(name).is_some_and(|s| s.tenant)
    }

    /// Whether some section has a database of its own.
    #[must_use]
    pub fn has_several_databases(&self) -> bool {
        self.section
            .keys()
            .any(|name| self.database_url_env_of(name) != self.database_url_env())
    }

    /// `names` grouped by the variable of their database, in the order
    /// each variable first appears.
    #[must_use]
    pub fn by_database(&self, names: &[String]) -> Vec<(String, Vec<String>)> {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for name in names {
            let var = self.database_url_env_of(name);
            match groups.iter_mut().find(|(v, _)| v == var) {
                Some((_, members)) => members.push(name.clone()),
                None => groups.push((var.to_owned(), vec![name.clone()])),
            }
        }
        groups
    }

    /// The runtime crate's path in generated code.
    #[must_use]
    pub fn runtime_path(&self) -> &str {
        self.runtime
            .as_deref()
            .unwrap_or(pg_sections_manifest::DEFAULT_RUNTIME)
    }

    /// The environment variable that holds the database URL.
    #[must_use]
    pub fn database_url_env(&self) -> &str {
        self.database_url_env.as_deref().unwrap_or("DATABASE_URL")
    }

    /// The schema of section `name`.
    #[must_use]
    pub fn schema_of<'a>(&'a self, name: &'a str) -> &'a str {
        self.section
            .get(name)
            .and_then(|s| s.schema.as_deref())
            .unwrap_or(name)
    }

    /// The settings of section `name` (defaults when it has none).
    #[must_use]
    pub fn of(&self, name: &str) -> SectionSettings {
        self.section.get(name).cloned().unwrap_or_default()
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Config {
            path: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from("sections.toml")),
            message: message.into(),
        }
    }
}
