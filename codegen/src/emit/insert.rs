//! A table's insert struct: `Option` where the server can fill a column
//! in, a constructor of the required columns, `Insertable`.

use proc_macro2::Ident;

use super::SectionEmitter;
use super::docs::code;
use super::relation::Field;
use super::text::{Code, List, Str, strs, w};
use crate::model::Identity;

impl SectionEmitter<'_> {
    /// The insert struct `insert` of the table in `module` whose rows are
    /// `row`, named `relation` (`schema.table`) in its docs.
    pub(super) fn insert_struct(
        &self,
        c: &mut Code,
        insert: &Ident,
        module: &Ident,
        row: &Ident,
        fields: &[Field],
        relation: &str,
    ) {
        let r = &self.runtime_text;
        let insertable: Vec<&Field> = fields
            .iter()
            .filter(|f| f.column.identity != Some(Identity::Always) && f.column.generated.is_none())
            .collect();
        let all_optional = insertable
            .iter()
            .all(|f| f.column.has_server_value() || f.nullable);
        c.doc(&format!(
            " A new row for {}: columns the server can fill in are `Option`s.",
            code(relation)
        ));
        let default = if all_optional { " Default," } else { "" };
        w!(c, "#[derive(Debug, Clone, PartialEq,{default})]");
        self.serde_derives_text(c);
        c.open(format_args!("pub struct {insert}"));
        for f in &insertable {
            let field = f.ident.to_string();
            let target = match field.strip_prefix("r#") {
                Some(bare) => format!("`{row}`'s `{bare}`"),
                None => format!("[`{row}::{field}`]"),
            };
            if f.column.has_server_value() {
                let doc = format!(" {target}; `None` lets the server fill it in (`DEFAULT`).");
                w!(c, "#[doc = {}]", Str(&doc));
                self.serde_rename(c, f);
                w!(c, "pub {}: Option<{}>,", f.ident, f.full_type());
            } else {
                w!(c, "#[doc = {}]", Str(&format!(" {target}.")));
                self.serde_rename(c, f);
                w!(c, "pub {}: {},", f.ident, f.full_type());
            }
        }
        c.close();
        if !all_optional {
            Self::insert_constructor(c, insert, &insertable);
        }
        c.open(format_args!("impl {r}::Insertable for {insert}"));
        w!(c, "type Table = {module}::Table;");
        w!(
            c,
            "const COLUMNS: &'static [&'static str] = &[{}];",
            strs(insertable.iter().map(|f| f.column.name.as_str()))
        );
        if insertable.iter().any(|f| f.wire != super::types::Wire::Own) {
            let casts: Vec<String> = insertable.iter().map(|f| f.value_cast()).collect();
            w!(
                c,
                "const CASTS: &'static [&'static str] = &[{}];",
                strs(casts.iter().map(String::as_str))
            );
        }
        // A table of nothing insertable gives no value.
        let out = if insertable.is_empty() { "_out" } else { "out" };
        c.open(format_args!(
            "fn values<'v>(&'v self, {out}: &mut Vec<Option<&'v (dyn {r}::postgres_types::ToSql + Sync)>>)"
        ));
        for f in &insertable {
            if f.column.has_server_value() {
                w!(c, "out.push({r}::or_default(&self.{}));", f.ident);
            } else {
                w!(c, "out.push(Some(&self.{}));", f.ident);
            }
        }
        c.close();
        c.close();
    }
}

impl SectionEmitter<'_> {
    /// `new(required…)`: the columns an insert must give, every other field
    /// `None` (server default, or NULL).
    fn insert_constructor(c: &mut Code, insert: &Ident, insertable: &[&Field<'_>]) {
        let required: Vec<&&Field<'_>> = insertable
            .iter()
            .filter(|f| !f.column.has_server_value() && !f.nullable)
            .collect();
        let names: Vec<String> = required.iter().map(|f| code(&f.column.name)).collect();
        let doc = format!(
            " A new row with the columns it must have ({}); every other field is `None`: the server's default, or NULL.",
            names.join(", ")
        );
        c.open(format_args!("impl {insert}"));
        w!(c, "#[doc = {}]", Str(&doc));
        w!(c, "#[must_use]");
        if required.len() > 7 {
            w!(
                c,
                "#[allow(clippy::too_many_arguments, reason = \"one argument per required column\")]"
            );
        }
        let params = required
            .iter()
            .map(|f| format!("{}: impl Into<{}>", f.ident, f.ty));
        c.open(format_args!("pub fn new({}) -> Self", List(params, ", ")));
        c.open(format_args!("Self"));
        for f in insertable {
            if required.iter().any(|r| r.ident == f.ident) {
                w!(c, "{0}: {0}.into(),", f.ident);
            } else {
                w!(c, "{}: None,", f.ident);
            }
        }
        c.close();
        c.close();
        c.close();
    }
}
