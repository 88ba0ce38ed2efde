//! Tenant schemas of a template section (`tenant = true`): the registry of
//! tenants (`sections_history."tenants/registry"`), `tenant new NAME`, and `migrate
//! --tenants`.
//!
//! A template's migrations are written for its own schema (`tenant`),
//! which never exists in the database. Each of them runs for a tenant in
//! one transaction that renames the tenant's schema (`tenant_acme`) to the
//! template's name first and back last, so the file runs as written, with
//! its history kept as section `<section>@<tenant>`. Objects refer to one
//! another by identity, not name, so defaults, keys and views follow the
//! schema's name back. A function body (or a function's `SET
//! search_path`) names the schema in its text: it keeps the template's
//! name, which no tenant has once its migration ends, so such a function
//! fails when called. Templates keep that logic out of functions.

use pg_sections::migrate as runtime;
use postgres::Client;

use crate::embed;
use crate::error::Error;
use crate::layout::Layout;
use crate::migrate::{Migration, Options};

/// The registry of tenants: section, tenant, schema, when it was created.
pub const REGISTRY: &str = "sections_history.\"tenants/registry\"";

/// A tenant of a template section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// The template section.
    pub section: String,
    /// The tenant's name (`acme`).
    pub name: String,
    /// Its schema (`tenant_acme`).
    pub schema: String,
}

/// The tenant sections of the folder, or `names` checked to be some.
///
/// # Errors
/// A name that is no tenant template, or a folder without any.
pub fn sections(layout: &Layout, names: &[String]) -> Result<Vec<String>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let all: Vec<String> = layout
        .section_names()
        .into_iter()
        .filter(|name| settings.is_tenant(name))
        .collect();
    if all.is_empty() {
        return Err(Error::Usage {
            message: format!(
                "no section of `{}` is a tenant template; make one with `tenant = true` under its `[section.NAME]` in {}",
                layout.root.display(),
                crate::config::FILE
            ),
        });
    }
    for name in names {
        if !all.contains(name) {
            return Err(Error::Usage {
                message: format!(
                    "section `{name}` is no tenant template; the templates are: {}",
                    all.join(", ")
                ),
            });
        }
    }
    Ok(if names.is_empty() {
        all
    } else {
        names.to_vec()
    })
}

/// The tenants registered in the database of `client`, of `sections` (all
/// when empty), by section then name.
///
/// # Errors
/// The registry cannot be read.
pub fn list(client: &mut Client, sections: &[String]) -> Result<Vec<Tenant>, Error> {
    let exists: bool = client
        .query_one(
            "SELECT pg_catalog.to_regclass('sections_history.\"tenants/registry\"') IS NOT NULL",
            &[],
        )
        .map_err(|e| runtime_error("cannot read the registry of tenants", &e))?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "SELECT section, tenant, schema FROM sections_history.\"tenants/registry\" \
             WHERE cardinality($1::text[]) = 0 OR section = ANY ($1) ORDER BY section, tenant",
            &[&sections],
        )
        .map_err(|e| runtime_error("cannot read the registry of tenants", &e))?;
    Ok(rows
        .iter()
        .map(|row| Tenant {
            section: row.get(0),
            name: row.get(1),
            schema: row.get(2),
        })
        .collect())
}

/// Creates tenant `name` of template `section`: registers it and applies
/// every migration of the template to its schema. Returns what ran.
///
/// # Errors
/// A name that makes no schema name, a tenant that exists, a template
/// whose own schema exists in the database, a migration that fails
/// (rolled back; the tenant stays registered, and `migrate --tenants`
/// goes on from there).
pub fn create(
    client: &mut Client,
    layout: &Layout,
    section: &str,
    name: &str,
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let template = settings.schema_of(section).to_owned();
    let refuse = |reason: String| Error::Usage {
        message: format!("no tenant {name:?} of section `{section}`: {reason}"),
    };
    let schema = pg_sections::tenant_schema(&template, name).map_err(refuse)?;
    // Its history table's name is kept whole (PostgreSQL cuts names at 63
    // bytes, and two tenants would share a cut one).
    let history = format!("{section}@{name}");
    if history.len() > 63 {
        return Err(refuse(format!(
            "its migration history `{history}` would be longer than the 63 bytes PostgreSQL keeps of a name"
        )));
    }
    if let Some(owner) = layout
        .section_names()
        .into_iter()
        .find(|other| settings.schema_of(other) == schema)
    {
        return Err(refuse(format!(
            "its schema `{schema}` is section `{owner}`'s"
        )));
    }
    let migrations = template_migrations(layout, section)?;
    runtime::locked(
        client,
        options.lock_wait,
        |_| {},
        |client| -> Result<Vec<Migration>, Error> {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {}; \
                     CREATE TABLE IF NOT EXISTS {REGISTRY} (\
                         section text NOT NULL, tenant text NOT NULL, schema text NOT NULL UNIQUE, \
                         created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (section, tenant))",
                    runtime::HISTORY_SCHEMA
                ))
                .map_err(|e| runtime_error("cannot create the registry of tenants", &e))?;
            refuse_existing_template(client, &template, section)?;
            let taken: bool = client
                .query_one(
                    "SELECT EXISTS (SELECT FROM sections_history.\"tenants/registry\" WHERE section = $1 AND tenant = $2) \
                     OR EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = $3)",
                    &[&section, &name, &schema],
                )
                .map_err(|e| runtime_error("cannot read the registry of tenants", &e))?
                .get(0);
            if taken {
                return Err(Error::Usage {
                    message: format!(
                        "tenant `{name}` of section `{section}` exists already (schema `{schema}`); \
                         `migrate --tenants` brings every tenant up to date"
                    ),
                });
            }
            client
                .execute(
                    "INSERT INTO sections_history.\"tenants/registry\" (section, tenant, schema) VALUES ($1, $2, $3)",
                    &[&section, &name, &schema],
                )
                .map_err(|e| runtime_error("cannot register the tenant", &e))?;
            let tenant = Tenant {
                section: section.to_owned(),
                name: name.to_owned(),
                schema,
            };
            apply(client, &migrations, &template, &tenant, options)
        },
    )
}

/// Applies the pending migrations of every registered tenant of
/// `sections` (every template when empty), telling `migrated` about each
/// tenant as it is done. Returns each tenant with what ran for it.
///
/// # Errors
/// As [`create`]'s migrations; the tenants before the failing one stay
/// migrated.
pub fn up(
    client: &mut Client,
    layout: &Layout,
    sections: &[String],
    options: &Options,
    mut migrated: impl FnMut(&Tenant, &[Migration]),
) -> Result<Vec<(Tenant, Vec<Migration>)>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let sections = self::sections(layout, sections)?;
    let mut files = Vec::new();
    for section in &sections {
        files.push((section.clone(), template_migrations(layout, section)?));
    }
    runtime::locked(
        client,
        options.lock_wait,
        |_| {},
        |client| -> Result<Vec<(Tenant, Vec<Migration>)>, Error> {
            let mut done = Vec::new();
            for tenant in list(client, &sections)? {
                let Some((_, migrations)) = files.iter().find(|(s, _)| *s == tenant.section) else {
                    continue;
                };
                let template = settings.schema_of(&tenant.section);
                let ran = apply(client, migrations, template, &tenant, options).map_err(|e| {
                    match e {
                        Error::Migration {
                            section,
                            file,
                            message,
                            rolled_back,
                        } => Error::Migration {
                            section,
                            file,
                            message: format!(
                                "{message}\n  = note: tenant `{}` was not migrated; the tenants after it \
                                 were not tried (those before it were)",
                                tenant.name
                            ),
                            rolled_back,
                        },
                        other => other,
                    }
                })?;
                migrated(&tenant, &ran);
                done.push((tenant, ran));
            }
            Ok(done)
        },
    )
}

/// The template's migrations, read as `migrate` reads them: every file
/// that cannot run is an error before anything runs, and a file that runs
/// outside a transaction is refused (the rename around it must be one
/// transaction with it).
fn template_migrations(layout: &Layout, section: &str) -> Result<Vec<embed::Embedded>, Error> {
    let settings = crate::Settings::load(&layout.root)?;
    let streams = embed::streams(layout)
        .into_iter()
        .filter(|(s, _)| *s == section);
    let read = embed::read(layout, streams, &settings, None)?;
    if !read.errors.is_empty() {
        return Err(Error::Sql(
            read.errors.into_iter().map(|(_, e)| e).collect(),
        ));
    }
    if let Some(outside) = read.migrations.iter().find(|m| !m.transaction) {
        return Err(Error::Usage {
            message: format!(
                "{} runs outside a transaction (`-- pg-sections: no-transaction`), which a tenant \
                 template's migration cannot: each runs in one transaction with its schema renamed",
                outside.file.display()
            ),
        });
    }
    Ok(read.migrations)
}

/// Applies the pending ones of `migrations` (of template schema
/// `template`) to `tenant`'s schema, the migration lock held.
fn apply(
    client: &mut Client,
    migrations: &[embed::Embedded],
    template: &str,
    tenant: &Tenant,
    options: &Options,
) -> Result<Vec<Migration>, Error> {
    refuse_existing_template(client, template, &tenant.section)?;
    let runnable: Vec<runtime::Migration> = migrations
        .iter()
        .map(|m| for_tenant(m, template, tenant))
        .collect();
    let set = runtime::Migrations::new(runnable, false);
    let pending = set.pending(client, options)?;
    let mut done = Vec::with_capacity(pending.len());
    let mut applied = Vec::with_capacity(pending.len());
    for m in pending {
        runtime::apply(client, m).map_err(|e| runtime::still_applied(e, &applied))?;
        applied.push(runtime::Applied {
            section: m.section.clone().into_owned(),
            name: m.name.clone().into_owned(),
        });
        let file = migrations
            .iter()
            .find(|e| e.name == m.name)
            .expect("BUG: a pending migration is one of the template's");
        done.push(Migration {
            section: m.section.clone().into_owned(),
            name: file.name.clone(),
            up: file.file.clone(),
            down: file.down.clone(),
            transaction: true,
        });
    }
    Ok(done)
}

/// Refuses to run a template's migrations where its own schema exists: the
/// tenant's schema takes its name while they run.
fn refuse_existing_template(
    client: &mut Client,
    template: &str,
    section: &str,
) -> Result<(), Error> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1)",
            &[&template],
        )
        .map_err(|e| runtime_error("cannot read the database's schemas", &e))?
        .get(0);
    if exists {
        return Err(Error::Usage {
            message: format!(
                "schema `{template}` exists in this database, but it is the schema of tenant template \
                 `{section}`, which is never created (each tenant's schema takes its name while the \
                 template's migrations run for it); if nothing of yours is in it, drop it \
                 (`DROP SCHEMA \"{template}\"`), else rename it; nothing was changed"
            ),
        });
    }
    Ok(())
}

/// Template migration `m` as it runs for `tenant`: the tenant's schema
/// renamed to the template's first (when it exists: the first migration
/// creates it) and back last, around the file's own statements, in its
/// transaction; its history is the tenant's (`<section>@<tenant>`).
fn for_tenant(m: &embed::Embedded, template: &str, tenant: &Tenant) -> runtime::Migration {
    let literal = |name: &str| format!("'{}'", name.replace('\'', "''"));
    let ident = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let rename = |from: &str, to: &str| {
        format!(
            "DO $pg_sections$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = {}) \
             THEN ALTER SCHEMA {} RENAME TO {}; END IF; END $pg_sections$;",
            literal(from),
            ident(from),
            ident(to)
        )
    };
    let mut sql = m.sql.clone();
    sql.push('\n');
    let start = sql.len();
    sql.push_str(&rename(&tenant.schema, template));
    let into = start..sql.len();
    sql.push('\n');
    let start = sql.len();
    sql.push_str(&rename(template, &tenant.schema));
    let back = start..sql.len();
    let own: Vec<std::ops::Range<usize>> = if m.statements.is_empty() {
        std::iter::once(0..m.sql.len()).collect()
    } else {
        m.statements.clone()
    };
    let statements: Vec<std::ops::Range<usize>> = std::iter::once(into)
        .chain(own)
        .chain(std::iter::once(back))
        .collect();
    runtime::Migration {
        section: format!("{}@{}", tenant.section, tenant.name).into(),
        schema: template.to_owned().into(),
        name: m.name.clone().into(),
        file: m.file.display().to_string().into(),
        checksum: m.checksum.clone().into(),
        sql: sql.into(),
        statements: statements.into(),
        transaction: true,
    }
}

fn runtime_error(what: &str, e: &postgres::Error) -> Error {
    Error::Database {
        message: format!("{what}: {}", runtime::server_message(e)),
    }
}
