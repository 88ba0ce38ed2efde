//! A table or view: its module (marker, trait impls, column constants), its
//! row struct and how a row is decoded.

use proc_macro2::Ident;
use std::fmt::Write as _;

use super::SectionEmitter;
use super::docs::{code, doc_with_comment};
use super::names::{column_sql, quote_ident};
use super::text::{Code, Str, strs, w};
use super::types::Wire;
use crate::error::Error;
use crate::model::{Column, Identity, Table, View};

impl SectionEmitter<'_> {
    /// One field per column: the Rust field name (resolved in
    /// `SectionEmitter::new`), its type (with `Option` for nullability, as
    /// seen from `depth` modules down) and its SQL name.
    pub(super) fn fields<'c>(
        &self,
        relation: &str,
        columns: &'c [Column],
        depth: usize,
    ) -> Result<Vec<Field<'c>>, Error> {
        let idents = &self.names_of(relation).fields;
        let mut out = Vec::new();
        for ((index, column), ident) in columns.iter().enumerate().zip(idents) {
            let mapped = self
                .map
                .column_text(relation, &column.name, &column.ty, depth)?;
            let nullable = column.nullable && mapped.domain_nullable;
            out.push(Field {
                ident: ident.clone(),
                ty: mapped.text,
                nullable,
                overridden: mapped.overridden,
                wire: mapped.wire,
                column,
                index,
            });
        }
        Ok(out)
    }

    /// A table: its module, row struct and insert struct.
    pub(super) fn table(&self, table: &Table) -> Result<String, Error> {
        let kind = if table.kind == crate::model::TableKind::Partitioned {
            "partitioned table"
        } else {
            "table"
        };
        self.relation(&Relation {
            name: &table.name,
            columns: &table.columns,
            comment: table.comment.as_deref(),
            kind,
            table: Some(table),
        })
    }

    /// A view: its module and row struct.
    pub(super) fn view(&self, view: &View) -> Result<String, Error> {
        self.relation(&Relation {
            name: &view.name,
            columns: &view.columns,
            comment: view.comment.as_deref(),
            kind: if view.materialized {
                "materialized view"
            } else {
                "view"
            },
            table: None,
        })
    }

    /// A table or view: its module (marker, trait impls, column constants,
    /// joins, key helpers), its row struct and, for tables, its insert
    /// struct, as text (`text`).
    fn relation(&self, rel: &Relation<'_>) -> Result<String, Error> {
        let r = &self.runtime_text;
        let marker = &self.marker;
        let names = self.names_of(rel.name);
        let (module, row) = (&names.module, &names.row);
        let schema = &self.section.schema;
        let name = rel.name;
        let in_module = self.fields(name, rel.columns, 1)?;
        let fields = self.fields(name, rel.columns, 0)?;
        // Each column's documentation, on its field and on its constant.
        let docs: Vec<String> = fields.iter().map(Field::doc).collect();
        let primary_key = rel
            .table
            .and_then(|t| t.primary_key.as_ref())
            .map_or(&[][..], |k| &k.columns[..]);
        let relation = format!("{schema}.{name}");
        let qualified = format!("{}.{}", quote_ident(schema), quote_ident(name));
        let column_list = fields
            .iter()
            .map(|f| f.read_sql(name))
            .collect::<Vec<_>>()
            .join(", ");
        // What `select()` sends without a clause, as the runtime renders it.
        let select_all = format!("SELECT {column_list} FROM {qualified}");
        let read_only = if rel.table.is_some() {
            ""
        } else {
            " (read-only)"
        };
        let module_doc = doc_with_comment(
            &format!(
                " The {} {}{read_only}: its marker and one constant per column.",
                rel.kind,
                code(&relation)
            ),
            rel.comment,
        );
        let row_doc = doc_with_comment(
            &format!(" A row of the {} {}.", rel.kind, code(&relation)),
            rel.comment,
        );
        // What only a table has: writes, joins, key helpers, inserts.
        let table = rel.table.zip(names.insert.as_ref());
        let mut c = Code::new();
        c.doc(&module_doc);
        c.open(format_args!("pub mod {module}"));
        c.doc(&module_doc);
        w!(
            c,
            "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]"
        );
        w!(c, "pub struct Table;");
        c.open(format_args!("impl {r}::Table for Table"));
        w!(c, "type Section = super::{marker};");
        w!(c, "type Row = super::{row};");
        w!(c, "const SCHEMA: &'static str = {};", Str(schema));
        w!(c, "const NAME: &'static str = {};", Str(name));
        w!(c, "const RELATION: &'static str = {};", Str(&relation));
        w!(
            c,
            "const QUALIFIED_NAME: &'static str = {};",
            Str(&qualified)
        );
        w!(
            c,
            "const COLUMNS: &'static [&'static str] = &[{}];",
            strs(rel.columns.iter().map(|c| c.name.as_str()))
        );
        w!(
            c,
            "const COLUMN_LIST: &'static str = {};",
            Str(&column_list)
        );
        w!(
            c,
            "const PRIMARY_KEY: &'static [&'static str] = &[{}];",
            strs(primary_key.iter().map(String::as_str))
        );
        w!(c, "const SELECT_ALL: &'static str = {};", Str(&select_all));
        c.close();
        if table.is_some() {
            w!(c, "impl {r}::Writable for Table {{}}");
        }
        w!(c, "impl {r}::InSection<super::{marker}> for Table {{}}");
        super::section_item_text(&mut c, r, "Table", format_args!("super::{marker}"));
        if let Some((table, _)) = table {
            self.key_helpers(&mut c, table, &in_module);
        }
        for f in &in_module {
            column_const(&mut c, r, name, f, &docs[f.index]);
        }
        if let Some((table, _)) = table {
            self.joins(&mut c, table);
        }
        c.close();
        self.row_struct(&mut c, row, &fields, &docs, &row_doc);
        super::section_item_text(&mut c, r, row, format_args!("{marker}"));
        from_row(&mut c, r, row, &fields, &relation);
        if let Some((_, insert)) = table {
            self.insert_struct(&mut c, insert, module, row, &fields, &relation);
            super::section_item_text(&mut c, r, insert, format_args!("{marker}"));
        }
        Ok(c.finish())
    }

    /// The row struct: one documented field per column.
    fn row_struct(&self, c: &mut Code, row: &Ident, fields: &[Field], docs: &[String], doc: &str) {
        c.doc(doc);
        w!(c, "#[derive(Debug, Clone, PartialEq)]");
        self.serde_derives_text(c);
        c.open(format_args!("pub struct {row}"));
        for f in fields {
            c.doc(&docs[f.index]);
            self.serde_rename(c, f);
            w!(c, "pub {}: {},", f.ident, f.full_type());
        }
        c.close();
    }

    /// `#[serde(rename)]` to the SQL name, when serde is on and the field
    /// is named otherwise.
    pub(super) fn serde_rename(&self, c: &mut Code, f: &Field) {
        let sql = &f.column.name;
        if self.map.serde() && f.ident.to_string().trim_start_matches("r#") != sql.as_str() {
            w!(c, "#[serde(rename = {})]", Str(sql));
        }
    }
}

/// What a table and a view have in common for emission.
struct Relation<'a> {
    name: &'a str,
    columns: &'a [Column],
    comment: Option<&'a str>,
    kind: &'static str,
    /// The table, for what only tables have (keys, joins, inserts).
    table: Option<&'a Table>,
}

/// A column as a Rust field.
pub(super) struct Field<'a> {
    pub(super) ident: Ident,
    /// Its Rust type, as text.
    pub(super) ty: String,
    pub(super) nullable: bool,
    /// The Rust type comes from `sections.toml`.
    pub(super) overridden: bool,
    /// How its values travel.
    pub(super) wire: Wire,
    pub(super) column: &'a Column,
    index: usize,
}

impl Field<'_> {
    /// Its type, in `Option` when nullable.
    pub(super) fn full_type(&self) -> FullType<'_> {
        FullType(self)
    }

    /// How a select list of `relation` reads the column.
    fn read_sql(&self, relation: &str) -> String {
        let sql = column_sql(relation, &self.column.name);
        match &self.wire {
            Wire::Text(ty) => format!("{sql}{}", text_of(ty)),
            Wire::Own | Wire::As(_) => sql,
        }
    }

    /// What follows the `$n` of a value for the column: a cast to the type
    /// it is sent as (through `text` for a text form), or nothing.
    pub(super) fn value_cast(&self) -> String {
        match &self.wire {
            Wire::Own => String::new(),
            Wire::As(ty) => format!("::{ty}"),
            Wire::Text(ty) => format!("{}::{ty}", text_of(ty)),
        }
    }

    /// What follows the `$n` of an array of values for the column (`IN`).
    fn values_cast(&self) -> String {
        match &self.wire {
            Wire::As(ty) | Wire::Text(ty) if ty.ends_with("[]") => String::new(),
            Wire::Own => String::new(),
            Wire::As(ty) => format!("::{ty}[]"),
            Wire::Text(ty) => format!("::text[]::{ty}[]"),
        }
    }

    /// ``` `name` type NOT NULL DEFAULT … ``` plus the SQL comment.
    fn doc(&self) -> String {
        let c = self.column;
        let mut sql = format!(" {} {}", code(&c.name), code(&c.ty.to_string()));
        if matches!(self.wire, Wire::Text(_)) {
            sql.push_str(" (read and written as its text form)");
        }
        if !c.nullable {
            sql.push_str(", not null");
        }
        match (&c.identity, &c.generated) {
            (Some(Identity::Always), _) => sql.push_str(", generated always as identity"),
            (Some(Identity::ByDefault), _) => sql.push_str(", generated by default as identity"),
            (None, Some(expr)) => {
                let _ = write!(sql, ", generated from {}", code(expr));
            }
            (None, None) => {}
        }
        if let Some(default) = &c.default {
            let _ = write!(sql, ", default {}", code(default));
        }
        doc_with_comment(&sql, c.comment.as_deref())
    }
}

/// `::text`, or `::text[]` for an array type.
fn text_of(ty: &str) -> &'static str {
    if ty.ends_with("[]") {
        "::text[]"
    } else {
        "::text"
    }
}

/// A field's type, in `Option` when nullable.
pub(super) struct FullType<'f>(&'f Field<'f>);

impl std::fmt::Display for FullType<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.nullable {
            write!(f, "Option<{}>", self.0.ty)
        } else {
            f.write_str(&self.0.ty)
        }
    }
}

fn column_const(c: &mut Code, r: &str, relation: &str, f: &Field<'_>, doc: &str) {
    let sql = Str(&f.column.name);
    let qualified = column_sql(relation, &f.column.name);
    let qualified = Str(&qualified);
    let index = f.index;
    c.doc(doc);
    if f.wire == Wire::Own {
        w!(
            c,
            "pub const {}: {r}::Column<Table, {}> = {r}::Column::new({sql}, {index}, {qualified});",
            f.ident,
            f.full_type()
        );
    } else {
        let (read, value, values) = (f.read_sql(relation), f.value_cast(), f.values_cast());
        w!(
            c,
            "pub const {}: {r}::Column<Table, {}> = {r}::Column::new({sql}, {index}, {qualified}).cast({}, {}, {});",
            f.ident,
            f.full_type(),
            Str(&read),
            Str(&value),
            Str(&values)
        );
    }
}

fn from_row(c: &mut Code, r: &str, row: &Ident, fields: &[Field], relation: &str) {
    c.open(format_args!("impl {r}::FromRow for {row}"));
    w!(c, "const WIDTH: usize = {};", fields.len());
    // Wide tables make a long function; that is the point of generating it.
    if fields.len() > 15 {
        w!(
            c,
            "#[allow(clippy::too_many_lines, reason = \"one line per column\")]"
        );
    }
    c.open(format_args!(
        "fn from_row_at(row: &{r}::postgres::Row, start: usize) -> Result<Self, {r}::Error>"
    ));
    if fields.is_empty() {
        // A relation of no columns: nothing to read.
        w!(c, "let _ = (row, start);");
        w!(c, "Ok(Self {{}})");
    } else {
        w!(
            c,
            "let row = {r}::RowReader::new(row, start, {});",
            Str(relation)
        );
        c.open(format_args!("Ok(Self"));
        for f in fields {
            w!(
                c,
                "{}: row.get({}, {})?,",
                f.ident,
                f.index,
                Str(&f.column.name)
            );
        }
        c.close_with("})");
    }
    c.close();
    c.close();
}
