//! Primary-key helpers on a table marker: `find`, `update_by_key`,
//! `delete_by_key`.

use super::SectionEmitter;
use super::docs::code;
use super::names;
use super::relation::Field;
use super::text::{Code, List, Str, w};
use crate::model::Table;

impl SectionEmitter<'_> {
    /// `find`, `update_by_key` and `delete_by_key` on the table marker, when
    /// the table has a primary key whose columns can be compared.
    pub(super) fn key_helpers(&self, c: &mut Code, table: &Table, fields: &[Field<'_>]) {
        let r = &self.runtime_text;
        let Some(pk) = table.primary_key.as_ref() else {
            return;
        };
        let key_fields: Vec<&Field<'_>> = pk
            .columns
            .iter()
            .filter_map(|c| fields.iter().find(|f| &f.column.name == c))
            .collect();
        if key_fields.len() != pk.columns.len() || key_fields.iter().any(|f| f.overridden) {
            return;
        }
        let key = names::fresh("key", &self.names_of(&table.name).fields);
        let text = names::fresh("TEXT", &self.names_of(&table.name).fields);
        let types = key_fields.iter().map(|f| format!("impl Into<{}>", f.ty));
        let (param, filters) = if key_fields.len() == 1 {
            (
                format!("{key}: impl Into<{}>", key_fields[0].ty),
                format!(".filter({}.eq({key}))", key_fields[0].ident),
            )
        } else {
            let filters = key_fields
                .iter()
                .enumerate()
                .map(|(i, f)| format!(".filter({}.eq({key}.{i}))", f.ident));
            (
                format!("{key}: ({})", List(types, ", ")),
                List(filters, "").to_string(),
            )
        };
        let key_doc = if pk.columns.len() == 1 {
            format!(" the row whose primary key {} is", code(&pk.columns[0]))
        } else {
            format!(
                " the row whose primary key ({}) is",
                pk.columns
                    .iter()
                    .map(|c| code(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        c.open(format_args!("impl Table"));
        w!(c, "#[doc = {}]", Str(&format!(" Selects{key_doc} given.")));
        c.open(format_args!(
            "pub fn find(self, {param}) -> {r}::Select<Self>"
        ));
        w!(
            c,
            "static {text}: {r}::__private::StatementText = {r}::__private::StatementText::new();"
        );
        w!(c, "{text}.fix({r}::Table::select(self){filters})");
        c.close();
        w!(
            c,
            "#[doc = {}]",
            Str(&format!(" Updates{key_doc} given; add `set`s."))
        );
        c.open(format_args!(
            "pub fn update_by_key(self, {param}) -> {r}::query::Update<Self>"
        ));
        w!(c, "{r}::Table::update(self){filters}");
        c.close();
        w!(c, "#[doc = {}]", Str(&format!(" Deletes{key_doc} given.")));
        c.open(format_args!(
            "pub fn delete_by_key(self, {param}) -> {r}::query::Delete<Self>"
        ));
        w!(c, "{r}::Table::delete(self){filters}");
        c.close();
        c.close();
    }
}
