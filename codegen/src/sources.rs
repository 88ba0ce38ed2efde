//! Where each section's model comes from: its migrations (DDL), the live
//! database, or its committed snapshot, and the fallback between them.
//!
//! A section reads from its migrations unless `sections.toml` says
//! `source = "live"` or it has none. A live section is introspected when the
//! URL variable is set and the server answers within the connect timeout;
//! otherwise its committed snapshot is used and one warning says so.
//! `SECTIONS_OFFLINE=1` skips the database altogether.

use std::path::Path;
use std::time::Duration;

use crate::config::{Settings, Source};
use crate::error::Error;
use crate::layout::{Layout, Streams};
use crate::model::Section;
use crate::{ddl, snapshot};

/// The environment variable that forces snapshots for live sections.
pub const OFFLINE_ENV: &str = "SECTIONS_OFFLINE";

/// Which source to read every section from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// Each section's configured source, live ones falling back to snapshots
    /// (what a build does).
    Configured,
    /// Every section that has migrations, from them.
    Ddl,
    /// Every section from the live database; no fallback.
    Live,
}

/// The sections read, and what the reader should know.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Sections, sorted by name.
    pub sections: Vec<Section>,
    /// Things worth a `cargo:warning` (fell back to snapshots).
    pub warnings: Vec<String>,
    /// Environment variables that were read.
    pub env: Vec<String>,
}

/// Reads every section of the folder `dir`.
///
/// # Errors
/// Source errors; a live section with neither database nor snapshot.
/// `url`, when given, is used instead of the URL variable.
pub fn load(
    dir: &Path,
    layout: &Layout,
    settings: &Settings,
    from: From,
    timeout: Duration,
    url: Option<&str>,
) -> Result<Loaded, Error> {
    let live_names = live_sections(layout, settings, from);
    let mut sections = if from == From::Live && matches!(layout.streams, Streams::Shared(_)) {
        Vec::new()
    } else {
        ddl::read_except(layout, settings, &live_names)?
    };
    let mut loaded = Loaded {
        sections: Vec::new(),
        warnings: Vec::new(),
        env: Vec::new(),
    };
    if !live_names.is_empty() {
        sections.extend(live(
            dir,
            settings,
            &live_names,
            from,
            timeout,
            url,
            &mut loaded,
        )?);
    }
    sections.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(clash) = sections
        .iter()
        .find(|s| s.schema == crate::layout::HISTORY_SCHEMA)
    {
        return Err(Error::Layout {
            message: format!(
                "section `{}` uses schema `{}`, where the migrator keeps each section's history\n  = help: give the section another schema (`[section.{}] schema = \"…\"` in sections.toml)",
                clash.name,
                crate::layout::HISTORY_SCHEMA,
                clash.name
            ),
        });
    }
    loaded.sections = sections;
    Ok(loaded)
}

/// The sections read from the live database under `from`.
fn live_sections(layout: &Layout, settings: &Settings, from: From) -> Vec<String> {
    let mut names: Vec<String> = match from {
        From::Ddl => layout.snapshot_only(),
        From::Live => {
            let mut all = layout.section_names();
            all.extend(settings.sections.iter().flatten().cloned());
            all
        }
        From::Configured => {
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
    if from == From::Live {
        names.extend(settings.section.keys().cloned());
    }
    names.sort();
    names.dedup();
    names
}

fn live(
    dir: &Path,
    settings: &Settings,
    names: &[String],
    from: From,
    timeout: Duration,
    given_url: Option<&str>,
    loaded: &mut Loaded,
) -> Result<Vec<Section>, Error> {
    let url_env = settings.database_url_env().to_owned();
    loaded.env.push(url_env.clone());
    loaded.env.push(OFFLINE_ENV.to_owned());
    let offline =
        from != From::Live && std::env::var(OFFLINE_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    let url = given_url
        .map(str::to_owned)
        .or_else(|| std::env::var(&url_env).ok())
        .filter(|u| !u.is_empty());
    let reason = if offline {
        format!("{OFFLINE_ENV} is set")
    } else if let Some(url) = &url {
        match introspect(url, settings, names, timeout) {
            Ok(sections) => return Ok(sections),
            Err(e) if from == From::Live => return Err(e),
            Err(e) => format!(
                "the database is not usable ({})",
                first_line(&e.to_string())
            ),
        }
    } else {
        if from == From::Live {
            return Err(Error::MissingDatabaseUrl {
                purpose: "to read the live database".to_owned(),
                variable: url_env.clone(),
            });
        }
        format!("{url_env} is not set")
    };
    let mut sections = Vec::new();
    for name in names {
        let path = snapshot::path(dir, name);
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
    loaded.warnings.push(format!(
        "{reason}; section{} {} come{} from the committed snapshot{}",
        if names.len() == 1 { "" } else { "s" },
        names.join(", "),
        if names.len() == 1 { "s" } else { "" },
        if names.len() == 1 { "" } else { "s" },
    ));
    Ok(sections)
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
