//! `promote` and `move`: the migration pair that moves a table from one
//! section into another, with the types and sequences that go with it.
//!
//! The pair lives in the migrations of the section that has the table: it
//! hands the table over, so the receiving section's migrations never name
//! the other (a base never names an overlay). The server moves a table's
//! rows, indexes, constraints and owned sequences with `ALTER TABLE … SET
//! SCHEMA`; foreign keys, which point at the table itself, still hold, and
//! so do views and defaults, which the server tracks by identity.
//!
//! A promotion (an overlay's table into a section it extends) takes every
//! type and sequence of the overlay the table uses, since the base may not
//! depend on the overlay; a move between other sections takes those only
//! the table uses, and the rest stay where they are.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::ddl;
use crate::error::Error;
use crate::layout::{Layout, Streams};
use crate::model::{PgType, Section, Table, TableKind};
use crate::overlay;

/// What `promote` or `move` wrote.
#[derive(Debug)]
pub struct Promotion {
    /// The section the table leaves.
    pub from: String,
    /// The up file: the table and what goes with it moved into the base.
    pub up: PathBuf,
    /// The down file: moved back.
    pub down: PathBuf,
    /// What moves besides the table (`type team_d.status`), in words.
    pub with: Vec<String>,
    /// What the table uses that stays in `from`, used by its other tables
    /// too (`type vendor.status`), in words.
    pub kept: Vec<String>,
    /// The sections read from migrations, with the pair: the snapshots to
    /// write (the overlay's, the base's, and any that references the table).
    pub sections: Vec<Section>,
    /// The overlay's seeds that name the table: the build does not read
    /// them, and unqualified names in them resolve in the overlay's schema.
    pub seeds: Vec<PathBuf>,
}

/// Writes, in `from`'s migrations, the pair that moves `table` from the
/// overlay `from` into `to`, a section it extends; checks that the
/// migrations still read with it. Stamped with `now` (Unix seconds, UTC).
///
/// # Errors
/// `from` does not extend `to`; the table does not exist, or would leave
/// `to` depending on an overlay (a foreign key or a type it keeps there);
/// a name taken in `to`; the files cannot be written; the migrations no
/// longer read (the pair is removed again).
pub fn promote(
    root: &Path,
    table: &str,
    from: &str,
    to: &str,
    now: u64,
) -> Result<Promotion, Error> {
    let layout = Layout::read(root)?;
    let settings = Settings::load(root)?;
    if matches!(layout.streams, Streams::Shared(_)) {
        return Err(usage(
            "`promote` moves a table between sections' migration folders; with one shared `migrations/` folder, write `ALTER TABLE schema.table SET SCHEMA other;` in a new migration",
        ));
    }
    let sections = ddl::read(&layout, &settings)?;
    let (source, target, moved) = lookup(root, &sections, table, from, to, "promote")?;
    if !overlay::bases(&settings, from).contains(&to) {
        return Err(usage(format!(
            "`{from}` does not extend `{to}`, so `{to}` cannot take its tables\n  = help: promotion moves a table from an overlay into a section it extends; declare it in {}: `[section.{from}] extends = \"{to}\"`",
            crate::config::FILE
        )));
    }
    let plan = Plan::new(&settings, &sections, source, target, moved)?;
    let command = format!(
        "cargo sections promote {} --from {from} --to {to}",
        crate::command::shell_word(table)
    );
    write_pair(
        root, &layout, &settings, &plan, from, &command, now, "promote",
    )
}

/// Writes the pair that moves `table` from section `from` (the one section
/// that has it, when `None`) into section `to`: a promotion when `from`
/// extends `to` ([`promote`]), else the table handed over with the enums,
/// domains and sequences that only it uses. Checks that the migrations
/// still read with it. Stamped with `now` (Unix seconds, UTC).
///
/// # Errors
/// No section, or several, has the table; those of [`promote`]; for a
/// move between other sections: a name taken in `to`, a partitioned table,
/// a base left depending on an overlay.
pub fn move_table(
    root: &Path,
    table: &str,
    from: Option<&str>,
    to: &str,
    now: u64,
) -> Result<Promotion, Error> {
    let layout = Layout::read(root)?;
    let settings = Settings::load(root)?;
    let sections = ddl::read(&layout, &settings)?;
    let from = match from {
        Some(from) => from.to_owned(),
        None => section_having(&sections, table, to)?,
    };
    if overlay::bases(&settings, &from).contains(&to) {
        return promote(root, table, &from, to, now);
    }
    let (source, target, moved) = lookup(root, &sections, table, &from, to, "move")?;
    let plan = Plan::handing_over(source, target, moved)?;
    let command = format!(
        "cargo sections move {} --from {from} --to {to}",
        crate::command::shell_word(table)
    );
    write_pair(
        root, &layout, &settings, &plan, &from, &command, now, "move",
    )
}

/// The one section read from migrations that has `table`, which is not
/// `to`.
fn section_having(sections: &[Section], table: &str, to: &str) -> Result<String, Error> {
    let having: Vec<&str> = sections
        .iter()
        .filter(|s| s.tables.contains_key(table))
        .map(|s| s.name.as_str())
        .collect();
    match having.as_slice() {
        [one] if *one == to => Err(usage(format!(
            "`{table}` is in section `{to}` already; nothing to move"
        ))),
        [one] => Ok((*one).to_owned()),
        [] => Err(usage(format!(
            "no section read from migrations has a table `{table}`; name it as the migrations do (its SQL name, unqualified)"
        ))),
        several => Err(usage(format!(
            "sections {} each have a table `{table}`: say which with `--from SECTION`",
            names(several.iter().copied())
        ))),
    }
}

/// The sections `from` and `to` and the table `table` of `from`, or the
/// error that says what is wrong with them.
fn lookup<'s>(
    root: &Path,
    sections: &'s [Section],
    table: &str,
    from: &str,
    to: &str,
    verb: &str,
) -> Result<(&'s Section, &'s Section, &'s Table), Error> {
    let find = |name: &str| {
        sections.iter().find(|s| s.name == name).ok_or_else(|| {
            usage(format!(
                "no section `{name}` with migrations in `{}`; the sections read from migrations are: {}",
                root.display(),
                names(sections.iter().map(|s| s.name.as_str()))
            ))
        })
    };
    let (source, target) = (find(from)?, find(to)?);
    if from == to {
        return Err(usage(format!(
            "`--from` and `--to` both name `{from}`; `{verb}` moves a table from one section into another"
        )));
    }
    let Some(moved) = source.tables.get(table) else {
        let what = if source.views.contains_key(table) {
            format!(
                "`{from}.{table}` is a view; `{verb}` moves tables (a view moves by being created in `{to}`'s migrations, once what it reads is there)"
            )
        } else if target.tables.contains_key(table) {
            format!("`{table}` is in `{to}` already, and `{from}` has no table of that name")
        } else {
            format!(
                "section `{from}` has no table `{table}`; its tables are: {}",
                names(source.tables.keys().map(String::as_str))
            )
        };
        return Err(usage(what));
    };
    Ok((source, target, moved))
}

/// Writes `plan`'s pair in `from`'s migrations (or the shared stream), and
/// reads the migrations again: the pair goes again when they no longer
/// read.
#[allow(
    clippy::too_many_arguments,
    reason = "the one writer of both commands; each argument is what its caller read once"
)]
fn write_pair(
    root: &Path,
    layout: &Layout,
    settings: &Settings,
    plan: &Plan,
    from: &str,
    command: &str,
    now: u64,
    verb: &str,
) -> Result<Promotion, Error> {
    let (up, down) = crate::migrate::new(
        root,
        Some(layout),
        from,
        &format!("{verb}_{}_to_{}", plan.table, plan.to_section),
        now,
    )?;
    let written = std::fs::write(&up, plan.up_sql(command))
        .and_then(|()| std::fs::write(&down, plan.down_sql(command)));
    if let Err(e) = written {
        remove(&up, &down);
        return Err(Error::io(&up, e));
    }
    // The pair must read as the build will read it, or it goes again.
    let read = Layout::read(root).and_then(|layout| {
        let sections = ddl::read(&layout, settings)?;
        overlay::check(settings, &sections)?;
        Ok((layout, sections))
    });
    let (layout, sections) = match read {
        Ok(read) => read,
        Err(e) => {
            remove(&up, &down);
            return Err(e);
        }
    };
    let seeds = seeds_naming(&layout, from, &plan.table)?;
    Ok(Promotion {
        from: from.to_owned(),
        up,
        down,
        with: plan.with(),
        kept: plan.kept.clone(),
        sections,
        seeds,
    })
}

/// The statements of a promotion.
struct Plan {
    from: String,
    to: String,
    table: String,
    /// Enums and domains of the overlay the table's columns use, by name.
    types: Vec<String>,
    /// Which of `types` are domains (moved by `ALTER DOMAIN`).
    domains: Vec<String>,
    /// Sequences of the overlay its defaults draw from, other than its
    /// `serial` columns' (which move with it), by name.
    sequences: Vec<String>,
    /// What it uses that stays behind, in words (a move only).
    kept: Vec<String>,
    /// The first line of the up file's header.
    headline: String,
    /// The name of the section that takes the table.
    to_section: String,
}

impl Plan {
    fn new(
        settings: &Settings,
        sections: &[Section],
        source: &Section,
        target: &Section,
        table: &Table,
    ) -> Result<Self, Error> {
        let (from, to) = (source.schema.as_str(), target.schema.as_str());
        let overlays: BTreeMap<&str, &str> = overlay::overlays(settings, &target.name)
            .into_iter()
            .filter_map(|o| {
                sections
                    .iter()
                    .find(|s| s.name == o)
                    .map(|s| (s.schema.as_str(), o))
            })
            .collect();
        let mut refusals = Vec::new();
        if table.kind == TableKind::Partitioned {
            refusals.push(PARTITIONED.to_owned());
        }
        // A function of the overlay that a default or generation
        // expression calls stays behind.
        let function = format!("{}.", ddl::quote_identifier(from));
        for column in &table.columns {
            for text in column.default.iter().chain(&column.generated) {
                if let Some(name) = called_function(text, &function) {
                    refusals.push(format!(
                        "column `{}` calls `{from}.{name}`, a function of `{}` that stays there: move it into `{}` first",
                        column.name, source.name, target.name
                    ));
                }
            }
        }
        for fk in &table.foreign_keys {
            let itself = fk.foreign_schema == from && fk.foreign_table == table.name;
            if let Some(overlay) = overlays.get(fk.foreign_schema.as_str())
                && !itself
            {
                refusals.push(format!(
                    "its foreign key `{}` references `{}.{}` of `{overlay}`, and the base never depends on an overlay: promote that table first",
                    fk.name, fk.foreign_schema, fk.foreign_table
                ));
            }
        }
        // The overlay's types the columns use, domains' base types included.
        let mut types: Vec<String> = Vec::new();
        let mut pending: Vec<PgType> = table.columns.iter().map(|c| c.ty.element()).collect();
        while let Some(ty) = pending.pop() {
            let Some(schema) = ty.schema.as_deref() else {
                continue;
            };
            if schema == from {
                if !types.contains(&ty.name) {
                    if let Some(domain) = source.domains.get(&ty.name) {
                        pending.push(domain.base.element());
                    }
                    types.push(ty.name.clone());
                }
            } else if let Some(overlay) = overlays.get(schema) {
                refusals.push(format!(
                    "it uses type `{schema}.{}` of `{overlay}`, another overlay of `{}`, and the base never depends on an overlay",
                    ty.name, target.name
                ));
            }
        }
        types.sort();
        let domains = types
            .iter()
            .filter(|t| source.domains.contains_key(*t))
            .cloned()
            .collect();
        refusals.extend(name_clashes(target, table));
        for ty in &types {
            if target.enums.contains_key(ty) || target.domains.contains_key(ty) {
                refusals.push(format!(
                    "it takes type `{from}.{ty}` along, and `{}` already has a type named `{ty}`: rename one first",
                    target.name
                ));
            }
        }
        let mut sequences = Vec::new();
        for column in &table.columns {
            let Some(named) = column
                .default
                .as_deref()
                .and_then(|d| d.strip_prefix("nextval('"))
                .and_then(|d| d.strip_suffix("'::regclass)"))
            else {
                continue;
            };
            // A `serial` column's sequence is the table's: it moves with it.
            if named == ddl::serial_sequence(from, &table.name, &column.name) {
                continue;
            }
            // Another table's `serial` sequence cannot move without it.
            if let Some((owner, owner_column)) = source
                .tables
                .values()
                .filter(|t| t.name != table.name)
                .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
                .find(|(t, c)| named == ddl::serial_sequence(from, &t.name, &c.name))
            {
                refusals.push(format!(
                    "column `{}` draws from the sequence of `{from}.{}.{}`, which that table owns and keeps: give `{}` a sequence of its own first",
                    column.name, owner.name, owner_column.name, table.name
                ));
                continue;
            }
            if let Some([schema, sequence]) =
                ddl::qualified_name(&named.replace("''", "'"), false).as_deref()
                && schema == from
                && !sequences.contains(sequence)
            {
                sequences.push(sequence.clone());
            }
        }
        refuse(from, table, target, &refusals)?;
        Ok(Self {
            from: from.to_owned(),
            to: to.to_owned(),
            headline: format!(
                "Promotes `{}` from `{from}` into `{to}`, the section it extends.",
                in_comment(&table.name)
            ),
            table: table.name.clone(),
            types,
            domains,
            sequences,
            kept: Vec::new(),
            to_section: target.name.clone(),
        })
    }

    /// A move between sections neither of which extends the other: the
    /// enums, domains and sequences of `source` that only the table uses
    /// go with it; those others use too stay, and the table uses them
    /// across the sections.
    fn handing_over(source: &Section, target: &Section, table: &Table) -> Result<Self, Error> {
        let (from, to) = (source.schema.as_str(), target.schema.as_str());
        let mut refusals = Vec::new();
        if table.kind == TableKind::Partitioned {
            refusals.push(PARTITIONED.to_owned());
        }
        refusals.extend(name_clashes(target, table));
        let (mut types, mut kept) = types_only_it_uses(source, target, table, &mut refusals);
        types.sort();
        let domains = types
            .iter()
            .filter(|t| source.domains.contains_key(*t))
            .cloned()
            .collect();
        let sequences = sequences_only_it_uses(source, table, &mut kept);
        refuse(from, table, target, &refusals)?;
        Ok(Self {
            from: from.to_owned(),
            to: to.to_owned(),
            headline: format!(
                "Moves `{}` from section `{}` into section `{}`.",
                in_comment(&table.name),
                in_comment(&source.name),
                in_comment(&target.name)
            ),
            table: table.name.clone(),
            types,
            domains,
            sequences,
            kept,
            to_section: target.name.clone(),
        })
    }

    fn with(&self) -> Vec<String> {
        let types = self.types.iter().map(|t| {
            let kind = if self.domains.contains(t) {
                "domain"
            } else {
                "type"
            };
            format!(
                "{kind} {}.{}",
                ddl::quote_identifier(&self.from),
                ddl::quote_identifier(t)
            )
        });
        let sequences = self.sequences.iter().map(|s| {
            format!(
                "sequence {}.{}",
                ddl::quote_identifier(&self.from),
                ddl::quote_identifier(s)
            )
        });
        types.chain(sequences).collect()
    }

    fn statements(&self, from: &str, to: &str) -> String {
        let q = ddl::quote_identifier;
        let mut sql = format!(
            "ALTER TABLE {}.{} SET SCHEMA {};\n",
            q(from),
            q(&self.table),
            q(to)
        );
        for ty in &self.types {
            let kind = if self.domains.contains(ty) {
                "DOMAIN"
            } else {
                "TYPE"
            };
            let _ = writeln!(
                sql,
                "ALTER {kind} {}.{} SET SCHEMA {};",
                q(from),
                q(ty),
                q(to)
            );
        }
        for sequence in &self.sequences {
            let _ = writeln!(
                sql,
                "ALTER SEQUENCE IF EXISTS {}.{} SET SCHEMA {};",
                q(from),
                q(sequence),
                q(to)
            );
        }
        sql
    }

    fn up_sql(&self, command: &str) -> String {
        format!(
            "-- {headline}\n\
             -- Rows, indexes, constraints and owned sequences move with the table;\n\
             -- foreign keys to it still hold. Written by:\n\
             --     {command}\n\n{}",
            self.statements(&self.from, &self.to),
            headline = self.headline,
            command = in_comment(command),
        )
    }

    fn down_sql(&self, command: &str) -> String {
        format!(
            "-- Returns `{table}` from `{to}` to `{from}`. Written by:\n\
             --     {command}\n\n{}",
            self.statements(&self.to, &self.from),
            table = in_comment(&self.table),
            command = in_comment(command),
            from = self.from,
            to = self.to,
        )
    }
}

/// The names `target` already has that `table` would take: its own, and
/// its row type's.
fn name_clashes(target: &Section, table: &Table) -> Vec<String> {
    let mut clashes = Vec::new();
    if target.tables.contains_key(&table.name) || target.views.contains_key(&table.name) {
        clashes.push(format!(
            "`{}` already has a relation named `{}`: rename one first",
            target.name, table.name
        ));
    }
    // A table's row type has its name.
    if target.enums.contains_key(&table.name) || target.domains.contains_key(&table.name) {
        clashes.push(format!(
            "`{}` already has a type named `{}`, which the table's row type would take: rename one first",
            target.name, table.name
        ));
    }
    clashes
}

/// Why a partitioned table does not move.
const PARTITIONED: &str = "it is partitioned, and `SET SCHEMA` moves the parent alone: its partitions and their rows would stay behind (move each partition in the same migration, by hand)";

/// The error listing `refusals`, when there are any.
fn refuse(from: &str, table: &Table, target: &Section, refusals: &[String]) -> Result<(), Error> {
    if refusals.is_empty() {
        return Ok(());
    }
    Err(usage(format!(
        "`{from}.{}` cannot move into `{}`:\n  {}",
        table.name,
        target.name,
        refusals.join("\n  ")
    )))
}

/// The enums and domains of `source` that `table` uses and nothing else
/// of `source` does (they move with it), and, in words, those others use
/// too (they stay); a name taken in `target` is a refusal.
fn types_only_it_uses(
    source: &Section,
    target: &Section,
    table: &Table,
    refusals: &mut Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let from = source.schema.as_str();
    // What else of `source` uses each of its types: other tables' and
    // views' columns, and domains over it.
    let others: Vec<(String, PgType)> = source
        .tables
        .values()
        .filter(|t| t.name != table.name)
        .flat_map(|t| {
            t.columns
                .iter()
                .map(move |c| (format!("table `{}`", t.name), c.ty.element()))
        })
        .chain(source.views.values().flat_map(|v| {
            v.columns
                .iter()
                .map(move |c| (format!("view `{}`", v.name), c.ty.element()))
        }))
        .collect();
    let mut types: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    let mut pending: Vec<PgType> = table.columns.iter().map(|c| c.ty.element()).collect();
    while let Some(ty) = pending.pop() {
        if ty.schema.as_deref() != Some(from)
            || types.contains(&ty.name)
            || kept
                .iter()
                .any(|k| k.ends_with(&format!(".{}", ddl::quote_identifier(&ty.name))))
        {
            continue;
        }
        let is_domain = source.domains.contains_key(&ty.name);
        if !is_domain && !source.enums.contains_key(&ty.name) {
            continue;
        }
        let users: Vec<&str> = others
            .iter()
            .filter(|(_, t)| t.schema.as_deref() == Some(from) && t.name == ty.name)
            .map(|(user, _)| user.as_str())
            .chain(
                source
                    .domains
                    .values()
                    .filter(|d| {
                        d.base.element().schema.as_deref() == Some(from)
                            && d.base.element().name == ty.name
                    })
                    .filter(|d| !types.contains(&d.name))
                    .map(|_| "a domain"),
            )
            .collect();
        let kind = if is_domain { "domain" } else { "type" };
        if users.is_empty() {
            if let Some(domain) = source.domains.get(&ty.name) {
                pending.push(domain.base.element());
            }
            if target.enums.contains_key(&ty.name) || target.domains.contains_key(&ty.name) {
                refusals.push(format!(
                    "it takes {kind} `{from}.{}` along, and `{}` already has a type named `{}`: rename one first",
                    ty.name, target.name, ty.name
                ));
            }
            types.push(ty.name.clone());
        } else {
            kept.push(format!(
                "{kind} {}.{} (also used by {})",
                ddl::quote_identifier(from),
                ddl::quote_identifier(&ty.name),
                users.join(", ")
            ));
        }
    }
    (types, kept)
}

/// The sequences of `source` that only `table`'s defaults draw from,
/// besides its `serial` columns' (which move with it); those others draw
/// from too stay, in words in `kept`.
fn sequences_only_it_uses(source: &Section, table: &Table, kept: &mut Vec<String>) -> Vec<String> {
    let from = source.schema.as_str();
    let drawn_from = |column: &crate::model::Column| -> Option<String> {
        column
            .default
            .as_deref()?
            .strip_prefix("nextval('")?
            .strip_suffix("'::regclass)")
            .map(str::to_owned)
    };
    let mut sequences = Vec::new();
    for column in &table.columns {
        let Some(named) = drawn_from(column) else {
            continue;
        };
        // A `serial` column's sequence is the table's: it moves with it.
        if named == ddl::serial_sequence(from, &table.name, &column.name) {
            continue;
        }
        let parts = ddl::qualified_name(&named.replace("''", "'"), false);
        let Some([schema, sequence]) = parts.as_deref() else {
            continue;
        };
        if schema != from || sequences.contains(sequence) {
            continue;
        }
        let sequence = sequence.clone();
        let shared: Vec<&str> = source
            .tables
            .values()
            .filter(|t| t.name != table.name)
            .filter(|t| {
                t.columns
                    .iter()
                    .any(|c| drawn_from(c).as_deref() == Some(named.as_str()))
            })
            .map(|t| t.name.as_str())
            .collect();
        if shared.is_empty() {
            sequences.push(sequence);
        } else {
            kept.push(format!(
                "sequence {}.{} (also used by {})",
                ddl::quote_identifier(from),
                ddl::quote_identifier(&sequence),
                shared
                    .iter()
                    .map(|t| format!("table `{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    sequences
}

/// The first function `text` (an expression as the server prints it)
/// calls with the schema prefix `prefix` (`team_d.`): `team_d.f(…)`, not a
/// cast `::team_d.t` or a name in a string.
fn called_function(text: &str, prefix: &str) -> Option<String> {
    let mut in_string = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if bytes[i] == b'\'' {
            in_string = !in_string;
        } else if !in_string
            && text[i..].starts_with(prefix)
            && !text[..i].ends_with("::")
            && !text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"')
        {
            let rest = &text[i + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '"')
                .collect();
            if rest[name.len()..].starts_with('(') {
                return Some(name);
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The seeds of `section` whose text names `table` as a word (any case).
fn seeds_naming(layout: &Layout, section: &str, table: &str) -> Result<Vec<PathBuf>, Error> {
    let table = table.to_lowercase();
    let mut out = Vec::new();
    for (stream, files) in layout.seeds()? {
        if stream != section {
            continue;
        }
        for file in files {
            let text = std::fs::read_to_string(&file.up)
                .map_err(|e| Error::io(&file.up, e))?
                .to_lowercase();
            let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
            let named = text.match_indices(&table).any(|(at, _)| {
                !text[..at].ends_with(word) && !text[at + table.len()..].starts_with(word)
            });
            if named {
                out.push(file.up);
            }
        }
    }
    Ok(out)
}

/// `text` for a `--` comment line: a line break or other control
/// character in a name is written escaped, never as itself.
fn in_comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if all.is_empty() {
        "(none)".to_owned()
    } else {
        all.join(", ")
    }
}

fn usage(message: impl Into<String>) -> Error {
    Error::Usage {
        message: message.into(),
    }
}

fn remove(up: &Path, down: &Path) {
    // Best effort: what failed is reported, and a left-over file is visible.
    let _ = std::fs::remove_file(up);
    let _ = std::fs::remove_file(down);
}

#[cfg(test)]
mod tests {
    use crate::ddl::qualified_name;

    #[test]
    fn qualified_names_are_read_as_the_server_prints_them_or_as_regclass_folds_them() {
        let read = |text| qualified_name(text, false);
        assert_eq!(read("s.n"), Some(vec!["s".into(), "n".into()]));
        assert_eq!(
            read(r#""Team D"."a.""b""#),
            Some(vec!["Team D".into(), r#"a."b"#.into()])
        );
        assert_eq!(read("n"), Some(vec!["n".into()]));
        assert_eq!(read("S.N"), Some(vec!["S".into(), "N".into()]));
        assert_eq!(
            qualified_name(r#" S."N" "#, true),
            Some(vec!["s".into(), "N".into()])
        );
        for bad in ["", "s.", ".n", r#""open"#, r#""a"x.n"#] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn functions_of_the_overlay_are_found_in_expressions_as_the_server_prints_them() {
        use super::called_function;
        assert_eq!(
            called_function("team_d.next_code()", "team_d."),
            Some("next_code".to_owned())
        );
        assert_eq!(
            called_function("upper(team_d.f(x, 'a'))", "team_d."),
            Some("f".to_owned())
        );
        for none in [
            "'draft'::team_d.status",
            "nextval('team_d.seq'::regclass)",
            "'team_d.f()'::text",
            "my_team_d.f()",
            "team_d.col",
        ] {
            assert_eq!(called_function(none, "team_d."), None, "{none}");
        }
    }

    #[test]
    fn a_line_break_in_a_name_stays_inside_the_comment() {
        assert_eq!(super::in_comment("a\nTRUNCATE x; --"), "a\\nTRUNCATE x; --");
    }
}
