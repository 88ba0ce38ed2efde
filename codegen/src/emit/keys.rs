//! Primary-key helpers on a table marker: `find`, `update_by_key`,
//! `delete_by_key`.

use proc_macro2::TokenStream;
use quote::quote;

use super::SectionEmitter;
use super::docs::code;
use super::names;
use super::relation::Field;
use crate::model::Table;

impl SectionEmitter<'_> {
    /// `find`, `update_by_key` and `delete_by_key` on the table marker, when
    /// the table has a primary key whose columns can be compared.
    pub(super) fn key_helpers(&self, table: &Table, fields: &[Field<'_>]) -> Option<TokenStream> {
        let r = self.map.runtime;
        let pk = table.primary_key.as_ref()?;
        let key_fields: Vec<&Field<'_>> = pk
            .columns
            .iter()
            .filter_map(|c| fields.iter().find(|f| &f.column.name == c))
            .collect();
        // A type from sections.toml may not implement ColumnType.
        if key_fields.len() != pk.columns.len() || key_fields.iter().any(|f| f.overridden) {
            return None;
        }
        // Key columns are NOT NULL, so their operand is their own type.
        let types: Vec<TokenStream> = key_fields
            .iter()
            .map(|f| {
                let ty = &f.ty;
                quote!(impl Into<#ty>)
            })
            .collect();
        // The parameter sits beside the column constants: never one of their names.
        let key = names::fresh("key", &self.names_of(&table.name).fields);
        // `find`'s kept statement, a `static` in its body: no column's name.
        let text = names::fresh("TEXT", &self.names_of(&table.name).fields);
        // One key column: `key: impl Into<i32>`; several: a tuple of them.
        let (param, filters): (TokenStream, Vec<TokenStream>) = if key_fields.len() == 1 {
            let ty = &types[0];
            let column = &key_fields[0].ident;
            (quote!(#key: #ty), vec![quote!(.filter(#column.eq(#key)))])
        } else {
            let filters = key_fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let column = &f.ident;
                    let index = syn::Index::from(i);
                    quote!(.filter(#column.eq(#key.#index)))
                })
                .collect();
            (quote!(#key: (#(#types),*)), filters)
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
        let find_doc = format!(" Selects{key_doc} given.");
        let update_doc = format!(" Updates{key_doc} given; add `set`s.");
        let delete_doc = format!(" Deletes{key_doc} given.");
        Some(quote! {
            impl Table {
                #[doc = #find_doc]
                pub fn find(self, #param) -> #r::Select<Self> {
                    static #text: #r::__private::StatementText = #r::__private::StatementText::new();
                    #text.fix(#r::Table::select(self) #(#filters)*)
                }
                #[doc = #update_doc]
                pub fn update_by_key(self, #param) -> #r::query::Update<Self> {
                    #r::Table::update(self) #(#filters)*
                }
                #[doc = #delete_doc]
                pub fn delete_by_key(self, #param) -> #r::query::Delete<Self> {
                    #r::Table::delete(self) #(#filters)*
                }
            }
        })
    }
}
