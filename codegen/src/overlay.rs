//! Overlays: a section that `extends` another in `sections.toml`.
//!
//! An overlay may reference its base (foreign keys, types, views); the base
//! never depends on an overlay. The DDL source refuses such a reference at
//! the statement that makes it; [`check`] holds every source (live, shadow,
//! snapshot) to the same rule over the model. In code, a base and its
//! overlay are two sections like any others.

use std::collections::BTreeMap;

use crate::config::Settings;
use crate::error::Error;
use crate::model::{PgType, Section};

/// The sections `section` extends, nearest first (its base, the base's
/// base, …). Assumes [`validate`] passed.
#[must_use]
pub fn bases<'a>(settings: &'a Settings, section: &str) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    let mut at = section;
    while let Some(base) = settings.section.get(at).and_then(|s| s.extends.as_deref()) {
        if out.contains(&base) || base == section {
            break;
        }
        out.push(base);
        at = base;
    }
    out
}

/// The sections that extend `section`, directly or through another
/// overlay, sorted by name.
#[must_use]
pub fn overlays<'a>(settings: &'a Settings, section: &str) -> Vec<&'a str> {
    settings
        .section
        .keys()
        .map(String::as_str)
        .filter(|name| bases(settings, name).contains(&section))
        .collect()
}

/// The sections of `names` that share a root base with `section` (itself
/// left out): its bases, its overlays, and their sibling overlays, which may
/// all build on what moves between them.
#[must_use]
pub fn family<'a>(settings: &Settings, section: &str, names: &[&'a str]) -> Vec<&'a str> {
    let root = |s: &str| -> String {
        bases(settings, s)
            .last()
            .map_or_else(|| s.to_owned(), |b| (*b).to_owned())
    };
    let mine = root(section);
    names
        .iter()
        .copied()
        .filter(|s| *s != section && root(s) == mine)
        .collect()
}

/// Checks every `extends` of `settings` against the sections `names`: each
/// names another section, and no section extends itself through others.
///
/// # Errors
/// The first `extends` that breaks a rule, with what to write instead.
pub fn validate(settings: &Settings, names: &[&str]) -> Result<(), Error> {
    for (name, section) in &settings.section {
        let Some(base) = section.extends.as_deref() else {
            continue;
        };
        if settings.schema_of(name) == "public" {
            return Err(settings.error(format!(
                "section `{name}` extends `{base}` and uses schema `public`, which every section's migrations have on their `search_path`: `{base}`'s unqualified names could reach it; give `{name}` a schema of its own"
            )));
        }
        if base == name {
            return Err(settings.error(format!(
                "section `{name}` extends itself; `extends` names the section whose tables `{name}` builds on"
            )));
        }
        if !names.contains(&base) {
            let mut all = names.to_vec();
            all.sort_unstable();
            return Err(settings.error(format!(
                "section `{name}` extends `{base}`, which is no section; the sections are: {}",
                all.join(", ")
            )));
        }
        let mut chain = vec![name.as_str()];
        let mut next = Some(base);
        while let Some(at) = next {
            if at == name {
                chain.push(at);
                return Err(settings.error(format!(
                    "sections extend each other in a loop: {}; a base never builds on its overlays, so remove one `extends`",
                    chain.join(" extends ")
                )));
            }
            if chain.contains(&at) {
                // A loop that does not pass through `name`: reported at its own sections.
                break;
            }
            chain.push(at);
            next = settings.section.get(at).and_then(|s| s.extends.as_deref());
        }
    }
    Ok(())
}

/// Holds the model of every section to the overlay rule: a base's foreign
/// keys and column or domain types never point into one of its overlays.
///
/// # Errors
/// Every such reference, each naming the base's object and the overlay.
pub fn check(settings: &Settings, sections: &[Section]) -> Result<(), Error> {
    let schema_section: BTreeMap<&str, &str> = sections
        .iter()
        .map(|s| (s.schema.as_str(), s.name.as_str()))
        .collect();
    for base in sections {
        let overlays = overlays(settings, &base.name);
        if overlays.is_empty() {
            continue;
        }
        let found = references(base, |schema| {
            schema_section
                .get(schema)
                .copied()
                .filter(|s| overlays.contains(s))
        });
        if !found.is_empty() {
            return Err(settings.error(format!(
                "section `{}` depends on {}, which extend{} it:\n  {}\n  = help: a base never depends on its overlays; move the object into the overlay, or promote what it references into `{}` (`{}`)",
                base.name,
                overlays
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if overlays.len() == 1 { "s" } else { "" },
                found.join("\n  "),
                base.name,
                crate::command::suggest(&format!("promote TABLE --from OVERLAY --to {}", base.name)),
            )));
        }
    }
    Ok(())
}

/// What of `base` references a schema `overlay_of` names a section for: its
/// foreign keys, and column and domain types, in words.
pub(crate) fn references<'o>(
    base: &Section,
    overlay_of: impl Fn(&str) -> Option<&'o str>,
) -> Vec<String> {
    let type_in_overlay = |ty: &PgType| ty.schema.as_deref().and_then(&overlay_of);
    let mut found = Vec::new();
    for table in base.tables.values() {
        for fk in &table.foreign_keys {
            if let Some(overlay) = overlay_of(&fk.foreign_schema) {
                found.push(format!(
                    "foreign key `{}` of `{}.{}` references `{}.{}` of section `{overlay}`",
                    fk.name, base.schema, table.name, fk.foreign_schema, fk.foreign_table
                ));
            }
        }
    }
    let columns = base
        .tables
        .values()
        .map(|t| (&t.name, &t.columns))
        .chain(base.views.values().map(|v| (&v.name, &v.columns)));
    for (relation, columns) in columns {
        for column in columns {
            if let Some(overlay) = type_in_overlay(&column.ty) {
                found.push(format!(
                    "column `{}.{relation}.{}` has type `{}.{}` of section `{overlay}`",
                    base.schema,
                    column.name,
                    column.ty.schema.as_deref().unwrap_or_default(),
                    column.ty.name
                ));
            }
        }
    }
    for domain in base.domains.values() {
        if let Some(overlay) = type_in_overlay(&domain.base) {
            found.push(format!(
                "domain `{}.{}` is over type `{}.{}` of section `{overlay}`",
                base.schema,
                domain.name,
                domain.base.schema.as_deref().unwrap_or_default(),
                domain.base.name
            ));
        }
    }
    found
}
