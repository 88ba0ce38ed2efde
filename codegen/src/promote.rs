//! `promote`: the migration pair that moves a table of an overlay into a
//! section it extends, with the types and sequences that go with it.
//!
//! The pair lives in the overlay's migrations: the overlay hands the table
//! to its base, so the base's own migrations never name the overlay. The
//! server moves a table's rows, indexes, constraints and owned sequences
//! with `ALTER TABLE … SET SCHEMA`; foreign keys, which point at the table
//! itself, still hold.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::ddl;
use crate::error::Error;
use crate::layout::{Layout, Streams};
use crate::model::{PgType, Section, Table, TableKind};
use crate::overlay;

/// What `promote` wrote.
#[derive(Debug)]
pub struct Promotion {
    /// The up file: the table and what goes with it moved into the base.
    pub up: PathBuf,
    /// The down file: moved back.
    pub down: PathBuf,
    /// What moves besides the table (`type team_d.status`), in words.
    pub with: Vec<String>,
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
            "`--from` and `--to` both name `{from}`; `promote` moves a table from an overlay into the section it extends"
        )));
    }
    if !overlay::bases(&settings, from).contains(&to) {
        return Err(usage(format!(
            "`{from}` does not extend `{to}`, so `{to}` cannot take its tables\n  = help: promotion moves a table from an overlay into a section it extends; declare it in {}: `[section.{from}] extends = \"{to}\"`",
            crate::config::FILE
        )));
    }
    let Some(moved) = source.tables.get(table) else {
        let what = if source.views.contains_key(table) {
            format!(
                "`{from}.{table}` is a view; `promote` moves tables (a view moves by being created in `{to}`'s migrations, once what it reads is there)"
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
    let plan = Plan::new(&settings, &sections, source, target, moved)?;
    let (up, down) = crate::migrate::new(
        root,
        Some(&layout),
        from,
        &format!("promote_{table}_to_{to}"),
        now,
    )?;
    // Quoted for a shell; the headers write it through `in_comment`.
    let command = format!(
        "cargo sections promote {} --from {from} --to {to}",
        crate::command::shell_word(table)
    );
    let written = std::fs::write(&up, plan.up_sql(&command))
        .and_then(|()| std::fs::write(&down, plan.down_sql(&command)));
    if let Err(e) = written {
        remove(&up, &down);
        return Err(Error::io(&up, e));
    }
    // The pair must read as the build will read it, or it goes again.
    let read = Layout::read(root).and_then(|layout| {
        let sections = ddl::read(&layout, &settings)?;
        overlay::check(&settings, &sections)?;
        Ok((layout, sections))
    });
    let (layout, sections) = match read {
        Ok(read) => read,
        Err(e) => {
            remove(&up, &down);
            return Err(e);
        }
    };
    let seeds = seeds_naming(&layout, from, table)?;
    Ok(Promotion {
        up,
        down,
        with: plan.with(),
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
            refusals.push(
                "it is partitioned, and `SET SCHEMA` moves the parent alone: its partitions and their rows would stay behind (move each partition in the same migration, by hand)".to_owned(),
            );
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
        if target.tables.contains_key(&table.name) || target.views.contains_key(&table.name) {
            refusals.push(format!(
                "`{}` already has a relation named `{}`: rename one first",
                target.name, table.name
            ));
        }
        // A table's row type has its name.
        if target.enums.contains_key(&table.name) || target.domains.contains_key(&table.name) {
            refusals.push(format!(
                "`{}` already has a type named `{}`, which the table's row type would take: rename one first",
                target.name, table.name
            ));
        }
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
        if !refusals.is_empty() {
            return Err(usage(format!(
                "`{from}.{}` cannot move into `{}`:\n  {}",
                table.name,
                target.name,
                refusals.join("\n  ")
            )));
        }
        Ok(Self {
            from: from.to_owned(),
            to: to.to_owned(),
            table: table.name.clone(),
            types,
            domains,
            sequences,
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
            "-- Promotes `{table}` from `{from}` into `{to}`, the section it extends.\n\
             -- Rows, indexes, constraints and owned sequences move with the table;\n\
             -- foreign keys to it still hold. Written by:\n\
             --     {command}\n\n{}",
            self.statements(&self.from, &self.to),
            table = in_comment(&self.table),
            command = in_comment(command),
            from = self.from,
            to = self.to,
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
