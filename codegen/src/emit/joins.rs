//! Joins between the tables of a section: `JoinTo` for each unambiguous
//! foreign key, both ways.

use std::collections::BTreeMap;

use super::SectionEmitter;
use super::names::column_sql;
use super::text::{Code, Str, w};
use crate::model::{Section, Table};

impl SectionEmitter<'_> {
    /// `JoinTo` both ways for each foreign key to another table of this
    /// section. A pair of tables linked by more than one foreign key (or a
    /// table referencing itself) gets none: the join would be ambiguous.
    pub(super) fn joins(&self, c: &mut Code, table: &Table) {
        let r = &self.runtime_text;
        for (other, on) in self.joins.get(&table.name).into_iter().flatten() {
            let other_module = &self.names_of(other).module;
            c.open(format_args!(
                "impl {r}::JoinTo<super::{other_module}::Table> for Table"
            ));
            w!(c, "const ON: &'static str = {};", Str(on));
            c.close();
        }
    }
}

/// For each table of `section`, the tables of the section it joins
/// unambiguously, with the join condition. A pair of tables linked by more
/// than one foreign key (or a table referencing itself) gets none: the join
/// would be ambiguous.
pub(super) fn join_partners(section: &Section) -> BTreeMap<String, Vec<(String, String)>> {
    let mut links: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for t in section.tables.values() {
        for fk in &t.foreign_keys {
            if fk.foreign_schema != section.schema
                || !section.tables.contains_key(&fk.foreign_table)
                || fk.foreign_table == t.name
            {
                continue;
            }
            let on = fk
                .columns
                .iter()
                .zip(&fk.foreign_columns)
                .map(|(c, f)| {
                    format!(
                        "{} = {}",
                        column_sql(&t.name, c),
                        column_sql(&fk.foreign_table, f)
                    )
                })
                .collect::<Vec<_>>()
                .join(" AND ");
            links
                .entry((&t.name, &fk.foreign_table))
                .or_default()
                .push(on.clone());
            links
                .entry((&fk.foreign_table, &t.name))
                .or_default()
                .push(on);
        }
    }
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for ((table, other), mut ons) in links {
        if ons.len() == 1 {
            out.entry(table.to_owned())
                .or_default()
                .push((other.to_owned(), ons.remove(0)));
        }
    }
    out
}
