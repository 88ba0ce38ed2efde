//! A table's insert struct: `Option` where the server can fill a column
//! in, a constructor of the required columns, `Insertable`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::SectionEmitter;
use super::docs::{code, doc_attrs};
use super::relation::Field;
use crate::model::Identity;

impl SectionEmitter<'_> {
    /// The insert struct `insert` of the table in `module` whose rows are
    /// `row`, named `relation` (`schema.table`) in its docs.
    pub(super) fn insert_struct(
        &self,
        insert: &Ident,
        module: &Ident,
        row: &Ident,
        fields: &[Field],
        relation: &str,
    ) -> TokenStream {
        let r = self.map.runtime;
        // Identity ALWAYS and generated columns take no value on insert.
        let insertable: Vec<&Field> = fields
            .iter()
            .filter(|f| f.column.identity != Some(Identity::Always) && f.column.generated.is_none())
            .collect();
        let all_optional = insertable
            .iter()
            .all(|f| f.column.has_server_value() || f.nullable);
        let serde = self.serde_derives();
        let defs = insertable.iter().map(|f| {
            let ident = &f.ident;
            let ty = f.full_type();
            let rename = self.serde_rename(f);
            // The column is documented on the row struct; link there
            // (rustdoc cannot link to a raw identifier, so name it instead).
            let field = ident.to_string();
            let target = match field.strip_prefix("r#") {
                Some(bare) => format!("`{row}`'s `{bare}`"),
                None => format!("[`{row}::{field}`]"),
            };
            if f.column.has_server_value() {
                let doc = format!(" {target}; `None` lets the server fill it in (`DEFAULT`).");
                quote! {
                    #[doc = #doc]
                    #rename
                    pub #ident: Option<#ty>,
                }
            } else {
                let doc = format!(" {target}.");
                quote! {
                    #[doc = #doc]
                    #rename
                    pub #ident: #ty,
                }
            }
        });
        let column_names: Vec<&String> = insertable.iter().map(|f| &f.column.name).collect();
        // The casts of values sent as another type, when any is.
        let casts = insertable
            .iter()
            .any(|f| f.wire != super::types::Wire::Own)
            .then(|| {
                let casts = insertable.iter().map(|f| f.value_cast());
                quote!(const CASTS: &'static [&'static str] = &[#(#casts),*];)
            });
        let pushes = insertable.iter().map(|f| {
            let ident = &f.ident;
            if f.column.has_server_value() {
                quote!(out.push(#r::or_default(&self.#ident));)
            } else {
                quote!(out.push(Some(&self.#ident));)
            }
        });
        let default = all_optional.then(|| quote!(Default,));
        let doc = format!(
            " A new row for {}: columns the server can fill in are `Option`s.",
            code(relation)
        );
        let doc_attrs = doc_attrs(&doc);
        let constructor = (!all_optional).then(|| Self::insert_constructor(insert, &insertable));
        quote! {
            #doc_attrs
            #[derive(Debug, Clone, PartialEq, #default)]
            #serde
            pub struct #insert {
                #(#defs)*
            }
            #constructor
            impl #r::Insertable for #insert {
                type Table = #module::Table;
                const COLUMNS: &'static [&'static str] = &[#(#column_names),*];
                #casts
                fn values<'v>(&'v self, out: &mut Vec<Option<&'v (dyn #r::postgres_types::ToSql + Sync)>>) {
                    #(#pushes)*
                }
            }
        }
    }
}

impl SectionEmitter<'_> {
    /// `new(required…)`: the columns an insert must give, every other field
    /// `None` (server default, or NULL).
    fn insert_constructor(insert: &Ident, insertable: &[&Field<'_>]) -> TokenStream {
        let required: Vec<&&Field<'_>> = insertable
            .iter()
            .filter(|f| !f.column.has_server_value() && !f.nullable)
            .collect();
        let params = required.iter().map(|f| {
            let ident = &f.ident;
            let ty = &f.ty;
            quote!(#ident: impl Into<#ty>)
        });
        let inits = insertable.iter().map(|f| {
            let ident = &f.ident;
            if required.iter().any(|r| r.ident == f.ident) {
                quote!(#ident: #ident.into(),)
            } else {
                quote!(#ident: None,)
            }
        });
        let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required column")]));
        let names: Vec<String> = required.iter().map(|f| code(&f.column.name)).collect();
        let doc = format!(
            " A new row with the columns it must have ({}); every other field is `None`: the server's default, or NULL.",
            names.join(", ")
        );
        quote! {
            impl #insert {
                #[doc = #doc]
                #[must_use]
                #allow
                pub fn new(#(#params),*) -> Self {
                    Self {
                        #(#inits)*
                    }
                }
            }
        }
    }
}
