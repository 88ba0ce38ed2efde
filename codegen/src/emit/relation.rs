//! A table or view: its module (marker, trait impls, column constants), its
//! row struct and how a row is decoded.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use std::fmt::Write as _;

use super::SectionEmitter;
use super::docs::{code, doc_attrs, doc_with_comment};
use super::names::{column_sql, quote_ident};
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
            let mapped = self.map.column(relation, &column.name, &column.ty, depth)?;
            let nullable = column.nullable && mapped.domain_nullable;
            out.push(Field {
                ident: ident.clone(),
                ty: mapped.tokens,
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
    pub(super) fn table(&self, table: &Table) -> Result<TokenStream, Error> {
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
    pub(super) fn view(&self, view: &View) -> Result<TokenStream, Error> {
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
    /// joins, key helpers), its row struct and, for tables, its insert struct.
    fn relation(&self, rel: &Relation<'_>) -> Result<TokenStream, Error> {
        let r = self.map.runtime;
        let marker = &self.marker;
        let names = self.names_of(rel.name);
        let (module, row) = (&names.module, &names.row);
        let schema = &self.section.schema;
        let name = rel.name;
        let in_module = self.fields(name, rel.columns, 1)?;
        let fields = self.fields(name, rel.columns, 0)?;
        let column_names: Vec<&String> = rel.columns.iter().map(|c| &c.name).collect();
        let primary_key: Vec<&String> = rel
            .table
            .and_then(|t| t.primary_key.as_ref())
            .iter()
            .flat_map(|k| k.columns.iter())
            .collect();
        let relation = format!("{schema}.{name}");
        let qualified = format!("{}.{}", quote_ident(schema), quote_ident(name));
        let column_list = fields
            .iter()
            .map(|f| f.read_sql(name))
            .collect::<Vec<_>>()
            .join(", ");
        // What `select()` sends without a clause, as the runtime renders it.
        let select_all = format!("SELECT {column_list} FROM {qualified}");
        let column_consts = in_module.iter().map(|f| column_const(r, name, f));
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
        let module_doc_attrs = doc_attrs(&module_doc);
        let row_struct = self.row_struct(row, &fields, &row_doc);
        let from_row = from_row(r, row, &fields, &relation);
        // What only a table has: writes, joins, key helpers, inserts.
        let table = rel.table.zip(names.insert.as_ref());
        let table_item = super::section_item(r, &quote!(Table), &quote!(super::#marker));
        let row_item = super::section_item(r, &quote!(#row), &quote!(#marker));
        let writable = table.map(|_| quote!(impl #r::Writable for Table {}));
        let joins = table.map(|(table, _)| self.joins(table));
        let keys = table.and_then(|(table, _)| self.key_helpers(table, &in_module));
        let insert_struct = table.map(|(_, insert)| {
            let insert_struct = self.insert_struct(insert, module, row, &fields, &relation);
            let insert_item = super::section_item(r, &quote!(#insert), &quote!(#marker));
            quote! {
                #insert_struct
                #insert_item
            }
        });
        Ok(quote! {
            #module_doc_attrs
            pub mod #module {
                #module_doc_attrs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
                pub struct Table;
                impl #r::Table for Table {
                    type Section = super::#marker;
                    type Row = super::#row;
                    const SCHEMA: &'static str = #schema;
                    const NAME: &'static str = #name;
                    const RELATION: &'static str = #relation;
                    const QUALIFIED_NAME: &'static str = #qualified;
                    const COLUMNS: &'static [&'static str] = &[#(#column_names),*];
                    const COLUMN_LIST: &'static str = #column_list;
                    const PRIMARY_KEY: &'static [&'static str] = &[#(#primary_key),*];
                    const SELECT_ALL: &'static str = #select_all;
                }
                #writable
                impl #r::InSection<super::#marker> for Table {}
                #table_item
                #keys
                #(#column_consts)*
                #joins
            }
            #row_struct
            #row_item
            #from_row
            #insert_struct
        })
    }

    /// The row struct: one documented field per column.
    fn row_struct(&self, row: &Ident, fields: &[Field], doc: &str) -> TokenStream {
        let serde = self.serde_derives();
        let defs = fields.iter().map(|f| {
            let ident = &f.ident;
            let ty = f.full_type();
            let doc_attrs = doc_attrs(&f.doc());
            let rename = self.serde_rename(f);
            quote! {
                #doc_attrs
                #rename
                pub #ident: #ty,
            }
        });
        let doc_attrs = doc_attrs(doc);
        quote! {
            #doc_attrs
            #[derive(Debug, Clone, PartialEq)]
            #serde
            pub struct #row {
                #(#defs)*
            }
        }
    }

    /// `#[serde(rename)]` to the SQL name, when serde is on and the field
    /// is named otherwise.
    pub(super) fn serde_rename(&self, f: &Field) -> Option<TokenStream> {
        let sql = &f.column.name;
        (self.map.serde() && f.ident.to_string().trim_start_matches("r#") != sql.as_str())
            .then(|| quote!(#[serde(rename = #sql)]))
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
    pub(super) ty: TokenStream,
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
    pub(super) fn full_type(&self) -> TokenStream {
        let ty = &self.ty;
        if self.nullable {
            quote!(Option<#ty>)
        } else {
            quote!(#ty)
        }
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

fn column_const(r: &TokenStream, relation: &str, f: &Field<'_>) -> TokenStream {
    let ident = &f.ident;
    let ty = f.full_type();
    let sql = &f.column.name;
    let qualified = column_sql(relation, &f.column.name);
    let index = Literal::usize_unsuffixed(f.index);
    let doc_attrs = doc_attrs(&f.doc());
    let constructor = if f.wire == Wire::Own {
        quote!(#r::Column::new(#sql, #index, #qualified))
    } else {
        let (read, value, values) = (f.read_sql(relation), f.value_cast(), f.values_cast());
        quote!(#r::Column::new(#sql, #index, #qualified).cast(#read, #value, #values))
    };
    quote! {
        #doc_attrs
        pub const #ident: #r::Column<Table, #ty> = #constructor;
    }
}

fn from_row(r: &TokenStream, row: &Ident, fields: &[Field], relation: &str) -> TokenStream {
    let width = Literal::usize_unsuffixed(fields.len());
    let gets = fields.iter().map(|f| {
        let ident = &f.ident;
        let column = &f.column.name;
        let index = Literal::usize_unsuffixed(f.index);
        quote!(#ident: row.get(#index, #column)?,)
    });
    // Wide tables make a long function; that is the point of generating it.
    let allow = (fields.len() > 15)
        .then(|| quote!(#[allow(clippy::too_many_lines, reason = "one line per column")]));
    quote! {
        impl #r::FromRow for #row {
            const WIDTH: usize = #width;
            #allow
            fn from_row_at(row: &#r::postgres::Row, start: usize) -> Result<Self, #r::Error> {
                let row = #r::RowReader::new(row, start, #relation);
                Ok(Self {
                    #(#gets)*
                })
            }
        }
    }
}
