//! Where each section's model comes from: its migrations (DDL), the live
//! database, or its committed snapshot, and the fallback between them.
//!
//! A section reads from its migrations unless `sections.toml` says
//! `source = "live"` or it has none. A live section is introspected when the
//! URL variable is set and the server answers within the connect timeout;
//! otherwise its committed snapshot is used and one warning says so.
//! `SECTIONS_OFFLINE=1` skips the database altogether.

use std::time::Duration;

use crate::config::{Settings, Source};
use crate::error::Error;
use crate::layout::{Layout, Streams};
use crate::model::Section;
use crate::{ddl, snapshot};

/// The environment variable that forces snapshots for live sections.
pub const OFFLINE_ENV: &str = "SECTIONS_OFFLINE";

/// The environment variable naming the server where shadow sections
/// (`source = "shadow"`) create their throwaway database.
pub const SHADOW_URL_ENV: &str = "SHADOW_DATABASE_URL";

/// Which source to read every section from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// Each section's configured source, live ones falling back to snapshots
    /// (what a build does).
    Configured,
    /// Every section that has migrations, from them.
    Ddl,
    /// Every section from the live database; no fallback.
    Live,
}

/// What to read: the folder, its settings, and how to reach the database.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The server for shadow databases, instead of `SHADOW_DATABASE_URL`'s.
    pub shadow_url: Option<&'a str>,
    /// The sections folder: its sections and migrations.
    pub layout: &'a Layout,
    /// Its `sections.toml`.
    pub settings: &'a Settings,
    /// Which source every section is read from.
    pub from: ReadFrom,
    /// How long the database may take to answer a connection.
    pub timeout: Duration,
    /// The database URL, instead of the URL variable's.
    pub url: Option<&'a str>,
}

/// Where the live sections came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveSource {
    /// The database, introspected.
    Database,
    /// Their committed snapshots, because the database was not used.
    Snapshot {
        /// The sections read from snapshots.
        sections: Vec<String>,
        /// Why the database was not used ("`DATABASE_URL` is not set").
        reason: String,
    },
}

/// The sections read, and where the live ones came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Sections, sorted by name.
    pub sections: Vec<Section>,
    /// Where the live sections came from; `None` when none is live.
    pub live: Option<LiveSource>,
    /// The sections read from a shadow database, and where it was (`in a
    /// throwaway cluster`); `None` when none is.
    pub shadow: Option<(Vec<String>, String)>,
}

impl Loaded {
    /// What a build warns about: live sections read from their snapshots.
    /// And the shadow sections: which views the server typed.
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((names, place)) = &self.shadow {
            for name in names {
                let Some(section) = self.sections.iter().find(|s| &s.name == name) else {
                    continue;
                };
                let views: Vec<String> = section.views.keys().map(|v| format!("`{v}`")).collect();
                out.push(format!(
                    "section `{name}` was read from a shadow database {place}: its migrations were applied there{}",
                    if views.is_empty() {
                        String::new()
                    } else {
                        format!(", and the server typed its views {}", views.join(", "))
                    }
                ));
            }
        }
        let Some(LiveSource::Snapshot { sections, reason }) = &self.live else {
            return out;
        };
        let one = sections.len() == 1;
        out.push(format!(
            "{reason}; section{} {} come{} from the committed snapshot{}",
            if one { "" } else { "s" },
            sections.join(", "),
            if one { "s" } else { "" },
            if one { "" } else { "s" },
        ));
        out
    }
}

/// Reads every section of the request's folder.
///
/// # Errors
/// Source errors; a live section with neither database nor snapshot.
pub fn load(request: &Request<'_>) -> Result<Loaded, Error> {
    load_noting(request, None)
}

/// [`load`], noting the runnable form of each migration file the DDL source
/// splits in `runnables` (for the embedded migrations).
///
/// # Errors
/// As [`load`].
pub(crate) fn load_noting(
    request: &Request<'_>,
    runnables: Option<&ddl::Runnables>,
) -> Result<Loaded, Error> {
    let shared = matches!(request.layout.streams, Streams::Shared(_));
    if shared && request.settings.section.values().any(|s| s.tenant) {
        return Err(request.settings.error(
            "a section is a tenant template (`tenant = true`), but the sections share one migration \
             stream (`migrations/`); a template's migrations build each tenant's schema, so it needs \
             a folder of its own (`<section>/migrations/`)",
        ));
    }
    if shared && request.settings.has_several_databases() {
        return Err(request.settings.error(
            "a section has a database of its own (`database_url_env`), but the sections share \
             one migration stream (`migrations/`), which runs in one database; give each section \
             its folder of migrations (`<section>/migrations/`) to place them in several databases",
        ));
    }
    let mut live_names = live_sections(request.layout, request.settings, request.from);
    if request.from == ReadFrom::Live && shared && request.settings.sections.is_none() {
        // A shared stream that lists no sections has those whose schemas
        // it creates: without them, nothing would be read from the database.
        live_names = ddl::read(request.layout, request.settings)?
            .into_iter()
            .map(|s| s.name)
            .collect();
    }
    // Shadow sections come from their migrations, applied to a throwaway
    // database; read live, they are live sections like the others.
    let shadow_names: Vec<String> = if request.from == ReadFrom::Live {
        Vec::new()
    } else {
        request
            .settings
            .section
            .iter()
            .filter(|(name, s)| s.source == Some(Source::Shadow) && !live_names.contains(name))
            .map(|(name, _)| name.clone())
            .collect()
    };
    let not_from_ddl: Vec<String> = live_names.iter().chain(&shadow_names).cloned().collect();
    let mut sections = if request.from == ReadFrom::Live && shared {
        Vec::new()
    } else if request.from == ReadFrom::Live && request.settings.section.values().any(|s| s.tenant)
    {
        // Tenant templates, whose schemas never exist, come from their
        // migrations, which may build on the other sections' (read whole).
        ddl::read(request.layout, request.settings)?
            .into_iter()
            .filter(|s| !not_from_ddl.contains(&s.name))
            .collect()
    } else {
        ddl::read_noting(request.layout, request.settings, &not_from_ddl, runnables)?
    };
    let mut live_source = None;
    let groups = match request.url {
        // One URL given for all: the sections are read from it.
        Some(_) => vec![(
            request.settings.database_url_env().to_owned(),
            live_names.clone(),
        )],
        None => request.settings.by_database(&live_names),
    };
    for (var, names) in groups {
        let (read, source) = live(request, &names, &var)?;
        sections.extend(read);
        live_source = Some(match (live_source, source) {
            (None | Some(LiveSource::Database), source) => source,
            (Some(snapshot), LiveSource::Database) => snapshot,
            (
                Some(LiveSource::Snapshot {
                    sections: mut before,
                    reason: first,
                }),
                LiveSource::Snapshot {
                    sections: more,
                    reason,
                },
            ) => {
                before.extend(more);
                LiveSource::Snapshot {
                    sections: before,
                    reason: if first == reason {
                        first
                    } else {
                        format!("{first}; {reason}")
                    },
                }
            }
        });
    }
    let mut shadow_source = None;
    if !shadow_names.is_empty() {
        let (read, place) = shadow(request, &shadow_names)?;
        sections.extend(read);
        shadow_source = Some((shadow_names, place));
    }
    sections.sort_by(|a, b| a.name.cmp(&b.name));
    // A source reading some sections takes the others' schemas for outside
    // ones; a type of another section is that section's, whatever the source.
    let schemas: std::collections::BTreeSet<String> =
        sections.iter().map(|s| s.schema.clone()).collect();
    for section in &mut sections {
        section
            .outside
            .retain(|schema, _| !schemas.contains(schema));
    }
    if let Some(clash) = sections
        .iter()
        .find(|s| s.schema == crate::layout::HISTORY_SCHEMA)
    {
        return Err(Error::Layout {
            message: format!(
                "section `{}` uses schema `{}`, where the migrator keeps each section's history\n  = help: give the section another schema (`[section.{}] schema = \"…\"` in {})",
                clash.name,
                crate::layout::HISTORY_SCHEMA,
                clash.name,
                crate::config::FILE
            ),
        });
    }
    check_databases(request.settings, &sections)?;
    check_tenants(request.settings, &sections)?;
    let names: Vec<&str> = sections.iter().map(|s| s.name.as_str()).collect();
    crate::overlay::validate(request.settings, &names)?;
    crate::overlay::check(request.settings, &sections)?;
    Ok(Loaded {
        sections,
        live: live_source,
        shadow: shadow_source,
    })
}

/// The shadow sections `names`, from a throwaway database.
#[cfg(feature = "live")]
fn shadow(request: &Request<'_>, names: &[String]) -> Result<(Vec<Section>, String), Error> {
    let url = request
        .shadow_url
        .map(str::to_owned)
        .or_else(|| std::env::var(SHADOW_URL_ENV).ok())
        .filter(|u| !u.is_empty());
    crate::shadow::read(
        request.layout,
        request.settings,
        names,
        url.as_deref(),
        request.timeout,
    )
}

#[cfg(not(feature = "live"))]
fn shadow(_request: &Request<'_>, _names: &[String]) -> Result<(Vec<Section>, String), Error> {
    Err(Error::LiveFeatureOff)
}

/// The sections read from the live database under `from`.
fn live_sections(layout: &Layout, settings: &Settings, from: ReadFrom) -> Vec<String> {
    let mut names: Vec<String> = match from {
        ReadFrom::Ddl => layout.snapshot_only(),
        ReadFrom::Live => {
            let mut all = layout.section_names();
            all.extend(settings.sections.iter().flatten().cloned());
            all
        }
        ReadFrom::Configured => {
            let mut live = layout.snapshot_only();
            live.extend(
                settings
                    .section
                    .iter()
                    .filter(|(_, s)| s.source == Some(Source::Live))
                    .map(|(name, _)| name.clone()),
            );
            live
        }
    };
    if from == ReadFrom::Live {
        names.extend(settings.section.keys().cloned());
        // A tenant template's schema never exists: it comes from its
        // migrations.
        names.retain(|name| !settings.is_tenant(name));
    }
    names.sort();
    names.dedup();
    names
}

/// Refuses a foreign key from another section into a tenant template,
/// whose schema never exists (each tenant has its own).
fn check_tenants(settings: &Settings, sections: &[Section]) -> Result<(), Error> {
    // A tenant's schema is `<template>_<tenant>`: no other section's schema
    // may be one, or a tenant's name would reach it.
    for template in sections.iter().filter(|s| settings.is_tenant(&s.name)) {
        let prefix = format!("{}_", template.schema);
        if let Some(other) = sections
            .iter()
            .find(|other| other.name != template.name && other.schema.starts_with(&prefix))
        {
            return Err(settings.error(format!(
                "section `{}`'s schema `{}` starts with `{prefix}`, the prefix of the schemas of tenant \
                 template `{}`'s tenants: a tenant named `{}` would be that schema; give one of them \
                 another schema (`[section.NAME] schema = \"…\"`)",
                other.name,
                other.schema,
                template.name,
                &other.schema[prefix.len()..]
            )));
        }
    }
    for section in sections {
        for table in section.tables.values() {
            for key in &table.foreign_keys {
                let Some(template) = sections
                    .iter()
                    .find(|s| s.schema == key.foreign_schema && settings.is_tenant(&s.name))
                else {
                    continue;
                };
                if template.name != section.name {
                    return Err(settings.error(format!(
                        "foreign key `{}` of table `{}.{}` references `{}.{}`, but section `{}` is a \
                         tenant template: its schema never exists, each tenant has one of its own; \
                         reference tenants' rows from within the template",
                        key.name,
                        section.schema,
                        table.name,
                        key.foreign_schema,
                        key.foreign_table,
                        template.name,
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Refuses a foreign key between sections placed in different databases,
/// which PostgreSQL cannot keep.
fn check_databases(settings: &Settings, sections: &[Section]) -> Result<(), Error> {
    if !settings.has_several_databases() {
        return Ok(());
    }
    let section_of = |schema: &str| sections.iter().find(|s| s.schema == schema);
    for section in sections {
        let here = settings.database_url_env_of(&section.name);
        let columns = section
            .tables
            .values()
            .map(|t| (&t.name, &t.columns))
            .chain(section.views.values().map(|v| (&v.name, &v.columns)));
        for (relation, columns) in columns {
            for column in columns {
                let Some(other) = column.ty.schema.as_deref().and_then(section_of) else {
                    continue;
                };
                let there = settings.database_url_env_of(&other.name);
                if here != there {
                    return Err(settings.error(format!(
                        "column `{}.{relation}.{}` has type `{}.{}` of section `{}`, but section `{}` is in \
                         the database of `{here}` and section `{}` in that of `{there}`: a type is the \
                         database's; put both sections in one database, or give the column a type of \
                         its own section",
                        section.schema, column.name, other.schema, column.ty.name, other.name, section.name, other.name,
                    )));
                }
            }
        }
        for table in section.tables.values() {
            for key in &table.foreign_keys {
                let Some(other) = section_of(&key.foreign_schema) else {
                    continue;
                };
                let there = settings.database_url_env_of(&other.name);
                if here != there {
                    return Err(settings.error(format!(
                        "foreign key `{}` of table `{}.{}` references `{}.{}`, but section `{}` is in \
                         the database of `{here}` and section `{}` in that of `{there}`: PostgreSQL \
                         keeps a foreign key within one database; put both sections in one database \
                         (the same `database_url_env`), or drop the foreign key and keep the reference \
                         as a plain column",
                        key.name,
                        section.schema,
                        table.name,
                        key.foreign_schema,
                        key.foreign_table,
                        section.name,
                        other.name,
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The live sections `names`, all in the database of `url_env`: from the
/// database, or from their snapshots when the database is not to be used
/// or cannot be, and why.
fn live(
    request: &Request<'_>,
    names: &[String],
    url_env: &str,
) -> Result<(Vec<Section>, LiveSource), Error> {
    let Request {
        layout,
        settings,
        from,
        timeout,
        url,
        ..
    } = *request;
    let offline = from != ReadFrom::Live
        && std::env::var(OFFLINE_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    let url = url
        .map(str::to_owned)
        .or_else(|| std::env::var(url_env).ok())
        .filter(|u| !u.is_empty());
    let reason = if offline {
        format!("{OFFLINE_ENV} is set")
    } else if let Some(url) = &url {
        match introspect(url, settings, names, timeout) {
            Ok(sections) => return Ok((sections, LiveSource::Database)),
            Err(e) if from == ReadFrom::Live => return Err(e),
            Err(e) => format!(
                "the database is not usable ({})",
                first_line(&e.to_string())
            ),
        }
    } else {
        if from == ReadFrom::Live {
            return Err(Error::MissingDatabaseUrl {
                purpose: "to read the live database".to_owned(),
                variable: url_env.to_owned(),
            });
        }
        format!("{url_env} is not set")
    };
    let mut sections = Vec::new();
    for name in names {
        let path = snapshot::path(&layout.root, name);
        if !path.is_file() {
            return Err(Error::NoSource {
                section: name.clone(),
                reason,
            });
        }
        let mut section = snapshot::read(&path)?;
        name.clone_into(&mut section.name);
        sections.push(section);
    }
    Ok((
        sections,
        LiveSource::Snapshot {
            sections: names.to_vec(),
            reason,
        },
    ))
}

#[cfg(feature = "live")]
fn introspect(
    url: &str,
    settings: &Settings,
    names: &[String],
    timeout: Duration,
) -> Result<Vec<Section>, Error> {
    let pairs: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.clone(), settings.schema_of(n).to_owned()))
        .collect();
    crate::live::read(url, &pairs, timeout)
}

#[cfg(not(feature = "live"))]
fn introspect(
    _url: &str,
    _settings: &Settings,
    _names: &[String],
    _timeout: Duration,
) -> Result<Vec<Section>, Error> {
    Err(Error::LiveFeatureOff)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
