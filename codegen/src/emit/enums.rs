//! A PostgreSQL enum type as a Rust enum: variants, wire encoding, section.

use proc_macro2::TokenStream;
use quote::quote;

use super::SectionEmitter;
use super::docs::{code, doc_attrs, prose};
use super::names::{self, Role, Scope, ident_from};
use crate::error::Error;
use crate::model::Enum;

impl SectionEmitter<'_> {
    /// The Rust enum of enum type `e` of `schema`: the section's, or one
    /// of a schema that is no section, which the section uses.
    pub(super) fn enumeration(&self, schema: &str, e: &Enum) -> Result<TokenStream, Error> {
        let r = self.map.runtime;
        let marker = &self.marker;
        let ty = &self.enums[&(schema, e.name.as_str())];
        let item = super::section_item(r, &quote!(#ty), &quote!(#marker));
        let mut variants = Scope::new(format!("enum `{schema}.{}`", e.name));
        let mut idents = Vec::new();
        for label in &e.labels {
            let v = names::rust_name(label, Role::Variant);
            variants.claim(&v, format!("label '{label}'"))?;
            idents.push(ident_from(&v));
        }
        let labels = &e.labels;
        let name = &e.name;
        // A tenant template's own enum lives in each tenant's schema.
        let tenant = (self.tenant && schema == self.section.schema).then(|| {
            quote!(
                const TENANT: bool = true;
            )
        });
        let mut doc = format!(
            " The PostgreSQL enum {}.",
            code(&format!("{schema}.{name}"))
        );
        if let Some(comment) = &e.comment {
            doc = format!("{}\n\n{doc}", prose(comment));
        }
        let variant_docs_attrs: Vec<TokenStream> = labels
            .iter()
            .map(|l| doc_attrs(&format!(" {}", code(&format!("'{l}'")))))
            .collect();
        let doc_attrs = doc_attrs(&doc);
        let serde = self.serde_derives();
        let serde_renames: Vec<Option<TokenStream>> = labels
            .iter()
            .map(|l| self.map.serde().then(|| quote!(#[serde(rename = #l)])))
            .collect();
        Ok(quote! {
            #doc_attrs
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #serde
            pub enum #ty {
                #(
                    #variant_docs_attrs
                    #serde_renames
                    #idents,
                )*
            }
            impl #ty {
                /// Every label, in the enum's sort order.
                pub const ALL: &'static [Self] = &[#(Self::#idents),*];
                /// The label as PostgreSQL spells it.
                #[must_use]
                pub const fn as_str(self) -> &'static str {
                    match self {
                        #(Self::#idents => #labels,)*
                    }
                }
            }
            impl #r::PgEnum for #ty {
                const SCHEMA: &'static str = #schema;
                const NAME: &'static str = #name;
                #tenant
                fn label(self) -> &'static str {
                    self.as_str()
                }
                fn from_label(label: &str) -> Option<Self> {
                    match label {
                        #(#labels => Some(Self::#idents),)*
                        _ => None,
                    }
                }
            }
            impl #r::ColumnType for #ty {
                type Operand = Self;
            }
            #item
            impl ::std::fmt::Display for #ty {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::std::str::FromStr for #ty {
                type Err = #r::UnknownLabel;
                fn from_str(label: &str) -> Result<Self, Self::Err> {
                    #r::PgEnum::from_label(label).ok_or_else(|| #r::UnknownLabel::new::<Self>(label))
                }
            }
            impl #r::postgres_types::ToSql for #ty {
                fn to_sql(
                    &self,
                    ty: &#r::postgres_types::Type,
                    out: &mut #r::bytes::BytesMut,
                ) -> Result<#r::postgres_types::IsNull, Box<dyn ::std::error::Error + Sync + Send>> {
                    #r::enum_to_sql(*self, ty, out)
                }
                fn accepts(ty: &#r::postgres_types::Type) -> bool {
                    #r::enum_accepts::<Self>(ty)
                }
                #r::postgres_types::to_sql_checked!();
            }
            impl<'a> #r::postgres_types::FromSql<'a> for #ty {
                fn from_sql(
                    ty: &#r::postgres_types::Type,
                    raw: &'a [u8],
                ) -> Result<Self, Box<dyn ::std::error::Error + Sync + Send>> {
                    #r::enum_from_sql(ty, raw)
                }
                fn accepts(ty: &#r::postgres_types::Type) -> bool {
                    #r::enum_accepts::<Self>(ty)
                }
            }
        })
    }
}
