//! PostgreSQL types → Rust types, with the user's overrides from
//! `sections.toml` applied first.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{Role, ident, ident_from, quote_ident, rust_name};
use crate::config::SectionSettings;
use crate::error::Error;
use crate::model::{Domain, PgType, Section};

/// Which crate date and time types come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateTimeCrate {
    /// `chrono` (the default).
    #[default]
    Chrono,
    /// `time`.
    Time,
}

/// Everything needed to name a column's Rust type.
pub(crate) struct TypeMap<'a> {
    pub runtime: &'a TokenStream,
    pub datetime: DateTimeCrate,
    /// All sections, by schema, to resolve enums and domains across sections.
    pub by_schema: &'a BTreeMap<String, &'a Section>,
    /// The sections that get a module (`Config::sections`): another
    /// section's enum is named through its module, so only these.
    pub generated: &'a BTreeSet<&'a str>,
    /// The section being generated.
    pub section: &'a Section,
    pub settings: &'a SectionSettings,
    /// Parsed overrides (`types` and `columns` of the section's settings).
    pub type_overrides: BTreeMap<String, TokenStream>,
    pub column_overrides: BTreeMap<String, TokenStream>,
    /// The Rust names of the enums of schemas that are no section, which
    /// the section generates for itself, by schema and SQL name.
    pub outside_enums: BTreeMap<(String, String), String>,
    /// Overrides whose Rust type cannot carry their PostgreSQL type, found
    /// while mapping: errors against `sections.toml`.
    mismatches: std::cell::RefCell<Vec<String>>,
    /// Each type's mapping as text, by nesting depth: a type maps the same
    /// in every column without an override of its own, and a section has
    /// few types in many columns.
    texts: std::cell::RefCell<std::collections::HashMap<PgType, [Option<MappedText>; 2]>>,
}

/// A column's Rust type, before `Option` for nullability.
pub(crate) struct Mapped {
    pub tokens: TokenStream,
    /// The type comes from `sections.toml`.
    pub overridden: bool,
    /// `false` when a `NOT NULL` domain makes the value non-null.
    pub domain_nullable: bool,
    /// How its values travel.
    pub wire: Wire,
}

/// [`Mapped`] with its type written as text (`compact::inline`).
#[derive(Debug, Clone)]
pub(crate) struct MappedText {
    pub text: String,
    pub overridden: bool,
    pub domain_nullable: bool,
    pub wire: Wire,
}

impl Mapped {
    /// A type of our mapping, whose values travel as the column's own.
    fn own(tokens: TokenStream) -> Self {
        Self {
            tokens,
            overridden: false,
            domain_nullable: true,
            wire: Wire::Own,
        }
    }

    /// A type given in `sections.toml`.
    fn overridden(tokens: TokenStream) -> Self {
        Self {
            overridden: true,
            ..Self::own(tokens)
        }
    }
}

/// How a column's values travel, as SQL spells the type of a cast
/// (`int4`, `"public"."currency"[]`, `tsvector`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wire {
    /// As the column's own type.
    Own,
    /// As another type: a domain's base type, which the server infers for
    /// no parameter it assigns to the column.
    As(String),
    /// As the text form of a type with no Rust mapping of ours: the field
    /// is a `String`, read as `column::text`, sent as `$n::text::type`.
    Text(String),
}

impl Wire {
    /// The same, for an array of such values.
    fn array(&mut self) {
        if let Self::As(ty) | Self::Text(ty) = self {
            ty.push_str("[]");
        }
    }
}

impl<'a> TypeMap<'a> {
    pub fn new(
        runtime: &'a TokenStream,
        datetime: DateTimeCrate,
        by_schema: &'a BTreeMap<String, &'a Section>,
        generated: &'a BTreeSet<&'a str>,
        section: &'a Section,
        settings: &'a SectionSettings,
        config_error: &dyn Fn(String) -> Error,
    ) -> Result<Self, Error> {
        let parse = |key: &str, value: &str, table: &str| -> Result<TokenStream, Error> {
            let ty = syn::parse_str::<syn::Type>(value).map_err(|e| {
                config_error(format!(
                    "`[section.{}.{table}]` `{key} = \"{value}\"` is not a Rust type: {e}",
                    section.name
                ))
            })?;
            // A field needs a type that names one value type: not `_`, `!`,
            // `impl Trait` or a bare trait object.
            if matches!(
                ty,
                syn::Type::Infer(_)
                    | syn::Type::Never(_)
                    | syn::Type::ImplTrait(_)
                    | syn::Type::TraitObject(_)
                    | syn::Type::Macro(_)
                    | syn::Type::Verbatim(_)
            ) {
                return Err(config_error(format!(
                    "`[section.{}.{table}]` `{key} = \"{value}\"` cannot be the type of a field; name a type that implements `ToSql` and `FromSql`, like `String` or `my_crate::Money`",
                    section.name
                )));
            }
            Ok(quote!(#ty))
        };
        let mut type_overrides = BTreeMap::new();
        for (key, value) in &settings.types {
            type_overrides.insert(key.clone(), parse(key, value, "types")?);
        }
        let mut column_overrides = BTreeMap::new();
        for (key, value) in &settings.columns {
            let known = key.split_once('.').is_some_and(|(t, c)| {
                section.tables.get(t).and_then(|t| t.column(c)).is_some()
                    || section
                        .views
                        .get(t)
                        .is_some_and(|v| v.columns.iter().any(|x| x.name == c))
            });
            if !known {
                return Err(config_error(format!(
                    "`[section.{}.columns]` names `{key}`, which is not a `table.column` of section `{}`",
                    section.name, section.name
                )));
            }
            column_overrides.insert(key.clone(), parse(key, value, "columns")?);
        }
        Ok(Self {
            runtime,
            datetime,
            by_schema,
            generated,
            section,
            settings,
            type_overrides,
            column_overrides,
            outside_enums: outside_enum_names(section),
            mismatches: std::cell::RefCell::new(Vec::new()),
            texts: std::cell::RefCell::default(),
        })
    }

    /// Every column of the section that has no Rust type, and every
    /// override that cannot carry its column's type: all of them, so that
    /// one build shows them all. `config_error` places an override's error
    /// in `sections.toml`.
    pub fn problems(&self, config_error: &dyn Fn(String) -> Error) -> Vec<Error> {
        let mut out = Vec::new();
        let relations = self
            .section
            .tables
            .values()
            .map(|t| (&t.name, &t.columns))
            .chain(self.section.views.values().map(|v| (&v.name, &v.columns)));
        for (relation, columns) in relations {
            for column in columns {
                if let Err(e) = self.column_text(relation, &column.name, &column.ty, 0) {
                    out.push(e);
                }
            }
        }
        let mut seen = BTreeSet::new();
        for message in self.mismatches.borrow_mut().drain(..) {
            if seen.insert(message.clone()) {
                out.push(config_error(message));
            }
        }
        out
    }

    /// Notes an override whose Rust type cannot carry `ty`.
    fn check_override(&self, key: &str, table: &str, tokens: &TokenStream, ty: &PgType) {
        let rust = tokens.to_string().replace(' ', "");
        let element_rust = match (ty.array_dims > 0, rust.strip_prefix("Vec<")) {
            (true, Some(inner)) => inner.strip_suffix('>').unwrap_or(inner).to_owned(),
            (true, None) => return,
            (false, _) => rust.clone(),
        };
        // A domain's values are its base type's.
        let mut pg = ty.element();
        for _ in 0..32 {
            let Some(schema) = &pg.schema else { break };
            let domains = match self.by_schema.get(schema) {
                Some(owner) => Some(&owner.domains),
                None => self.section.outside.get(schema).map(|o| &o.domains),
            };
            match domains.and_then(|d| d.get(&pg.name)) {
                Some(domain) if domain.base.array_dims == 0 => pg = domain.base.clone(),
                Some(_) => return,
                None => break,
            }
        }
        // `String` reads and writes a few extensions' types by their names;
        // no other Rust type we know carries a type of the database's own.
        if pg.schema.is_some()
            && (carries(&element_rust).is_none()
                || (carries(&element_rust) == carries("String")
                    && ["citext", "ltree", "lquery", "ltxtquery"].contains(&pg.name.as_str())))
        {
            return;
        }
        if let Some(carried) = carries(&element_rust)
            && (pg.schema.is_some() || !carried.contains(&pg.name.as_str()))
        {
            let key = if key.contains('.') {
                format!("\"{key}\"")
            } else {
                key.to_owned()
            };
            self.mismatches.borrow_mut().push(format!(
                "`[section.{}.{table}]` `{key} = \"{rust}\"`: `{element_rust}` cannot carry PostgreSQL's `{pg}` (it reads and writes only {}), so every query on it would fail at run time{}",
                self.section.name,
                carried.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                match pg.name.as_str() {
                    "money" => "; `money` maps to `pg_sections::Money` without an override".to_owned(),
                    _ => String::new(),
                }
            ));
        }
    }

    /// [`TypeMap::column`] as text: the field's type, `depth` modules down
    /// from the section's (0 or 1), computed once per type.
    ///
    /// # Errors
    /// As [`TypeMap::column`].
    pub fn column_text(
        &self,
        relation: &str,
        column: &str,
        ty: &PgType,
        depth: usize,
    ) -> Result<MappedText, Error> {
        let own = !self.column_overrides.is_empty()
            && self
                .column_overrides
                .contains_key(&format!("{relation}.{column}"));
        // Kept for the two depths fields are written at.
        let kept = !own && depth <= 1;
        if kept && let Some(Some(known)) = self.texts.borrow().get(ty).map(|t| &t[depth]) {
            return Ok(known.clone());
        }
        let mapped = self.column(relation, column, ty, depth)?;
        let text = MappedText {
            text: super::compact::inline(mapped.tokens),
            overridden: mapped.overridden,
            domain_nullable: mapped.domain_nullable,
            wire: mapped.wire,
        };
        if kept {
            self.texts.borrow_mut().entry(ty.clone()).or_default()[depth] = Some(text.clone());
        }
        Ok(text)
    }

    /// The Rust type of `relation.column` of type `ty`, as seen from code
    /// `depth` modules below the section module (0: in it, 1: in a table module).
    fn column(
        &self,
        relation: &str,
        column: &str,
        ty: &PgType,
        depth: usize,
    ) -> Result<Mapped, Error> {
        let key = format!("{relation}.{column}");
        if let Some(tokens) = self.column_overrides.get(&key) {
            self.check_override(&key, "columns", tokens, ty);
            return Ok(Mapped::overridden(tokens.clone()));
        }
        let element = ty.element();
        let mut mapped = self.scalar(&element, depth).ok_or_else(|| {
            let location = format!("{}.{relation}.{column}", self.section.name);
            let key = element.to_string();
            let key = key.split('(').next().unwrap_or(&key).to_owned();
            let outside = self.enum_outside(&element).map_or_else(String::new, |owner| {
                format!(
                    "it is an enum of section `{owner}`, which this crate does not generate (`Config::sections`), so no module of it can be named; generate `{owner}` too, or "
                )
            });
            Error::UnmappedType {
                column: location,
                ty: ty.to_string(),
                help: format!(
                    "{outside}add a Rust type for it to sections.toml, for this column:\n        [section.{s}.columns]\n        \"{relation}.{column}\" = \"MyType\"\n    or for every `{key}` column of the section:\n        [section.{s}.types]\n        \"{key}\" = \"MyType\"\n    (the type must implement postgres_types::ToSql and FromSql)",
                    s = self.section.name
                ),
            }
        })?;
        if ty.array_dims > 0 {
            let inner = mapped.tokens;
            mapped.tokens = quote!(Vec<#inner>);
            mapped.wire.array();
        }
        Ok(mapped)
    }

    /// The section of the enum `ty` is (directly or as a domain's base)
    /// when that section gets no module.
    fn enum_outside(&self, ty: &PgType) -> Option<&'a str> {
        let owner = self.by_schema.get(ty.schema.as_ref()?)?;
        if owner.enums.contains_key(&ty.name) {
            return (!self.generated.contains(owner.name.as_str())).then_some(owner.name.as_str());
        }
        self.enum_outside(&owner.domains.get(&ty.name)?.base.element())
    }

    fn scalar(&self, ty: &PgType, depth: usize) -> Option<Mapped> {
        let key = match &ty.schema {
            Some(schema) => format!("{schema}.{}", ty.name),
            None => ty.name.clone(),
        };
        if let Some(tokens) = self.type_overrides.get(&key) {
            self.check_override(&key, "types", tokens, ty);
            return Some(Mapped::overridden(tokens.clone()));
        }
        if let Some(schema) = &ty.schema
            && !self.by_schema.contains_key(schema)
        {
            // A type of a schema that is no section: the section's own copy
            // of an enum, a domain's base type, or an extension's type we
            // know by its name.
            if let Some(name) = self.outside_enums.get(&(schema.clone(), ty.name.clone())) {
                let name = ident_from(name);
                let ups = (0..depth).map(|_| quote!(super::));
                return Some(Mapped::own(quote!(#(#ups)* #name)));
            }
            if let Some(domain) = self
                .section
                .outside
                .get(schema)
                .and_then(|o| o.domains.get(&ty.name))
            {
                return self.domain(domain, depth);
            }
            return extension_type(&ty.name);
        }
        if let Some(schema) = &ty.schema {
            let owner = self.by_schema.get(schema)?;
            if owner.enums.contains_key(&ty.name) {
                if !self.generated.contains(owner.name.as_str()) {
                    return None;
                }
                let name = ident(&ty.name, Role::Type);
                let ups = (0..depth).map(|_| quote!(super::));
                let tokens = if owner.name == self.section.name {
                    quote!(#(#ups)* #name)
                } else {
                    let section = ident(&owner.name, Role::Section);
                    quote!(#(#ups)* super:: #section :: #name)
                };
                return Some(Mapped::own(tokens));
            }
            return match owner.domains.get(&ty.name) {
                Some(domain) => self.domain(domain, depth),
                // An extension created in the section's schema.
                None => extension_type(&ty.name),
            };
        }
        let r = self.runtime;
        let chrono = self.datetime == DateTimeCrate::Chrono;
        let tokens = match ty.name.as_str() {
            "int2" => quote!(i16),
            "int4" => quote!(i32),
            "int8" => quote!(i64),
            "float4" => quote!(f32),
            "float8" => quote!(f64),
            "bool" => quote!(bool),
            "oid" => quote!(u32),
            "char" => quote!(i8),
            "text" | "varchar" | "bpchar" | "citext" | "name" => quote!(String),
            "bytea" => quote!(Vec<u8>),
            "uuid" => quote!(#r::uuid::Uuid),
            "numeric" => quote!(#r::rust_decimal::Decimal),
            "json" | "jsonb" => quote!(#r::serde_json::Value),
            "inet" => quote!(::std::net::IpAddr),
            "interval" => quote!(#r::Interval),
            "money" => quote!(#r::Money),
            "macaddr" => quote!(#r::MacAddr),
            "macaddr8" => quote!(#r::MacAddr8),
            "point" => quote!(#r::Point),
            "bit" | "varbit" => quote!(#r::Bits),
            "xml" => quote!(#r::Xml),
            "pg_lsn" => quote!(#r::postgres_types::PgLsn),
            "date" if chrono => quote!(#r::chrono::NaiveDate),
            "time" if chrono => quote!(#r::chrono::NaiveTime),
            "timestamp" if chrono => quote!(#r::chrono::NaiveDateTime),
            "timestamptz" if chrono => quote!(#r::chrono::DateTime<#r::chrono::Utc>),
            "date" => quote!(#r::time::Date),
            "time" => quote!(#r::time::Time),
            "timestamp" => quote!(#r::time::PrimitiveDateTime),
            "timestamptz" => quote!(#r::time::OffsetDateTime),
            name if travels_as_text(name) => {
                return Some(Mapped {
                    wire: Wire::Text(sql_spelling(ty)),
                    ..Mapped::own(quote!(String))
                });
            }
            _ => return None,
        };
        Some(Mapped::own(tokens))
    }

    /// A domain's Rust type: its base type's.
    ///
    /// Its values are sent as the base type: the server infers the domain
    /// for a parameter it assigns to the column, which no Rust type of the
    /// base accepts, and checks the domain when it assigns the base value.
    fn domain(&self, domain: &Domain, depth: usize) -> Option<Mapped> {
        let element = domain.base.element();
        let mut base = self.scalar(&element, depth)?;
        if !base.overridden && base.wire == Wire::Own {
            base.wire = Wire::As(sql_spelling(&element));
        }
        if domain.base.array_dims > 0 {
            let inner = base.tokens;
            base.tokens = quote!(Vec<#inner>);
            base.wire.array();
        }
        base.domain_nullable = base.domain_nullable && domain.nullable;
        Some(base)
    }

    /// Whether rows derive serde traits.
    pub fn serde(&self) -> bool {
        self.settings.serde
    }
}

/// `ty` (a scalar) as a cast names it: quoted when it is a user type.
fn sql_spelling(ty: &PgType) -> String {
    match &ty.schema {
        Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&ty.name)),
        // `char` alone is `bpchar`.
        None if ty.name == "char" => "\"char\"".to_owned(),
        None => ty.name.clone(),
    }
}

/// Whether a built-in type with no Rust mapping of ours travels as its text
/// form (`::text` out, `$n::text::type` in): every type a column can have,
/// which is every built-in type but the pseudo-types.
fn travels_as_text(name: &str) -> bool {
    !matches!(
        name,
        "record"
            | "cstring"
            | "internal"
            | "void"
            | "trigger"
            | "event_trigger"
            | "language_handler"
            | "fdw_handler"
            | "table_am_handler"
            | "index_am_handler"
            | "tsm_handler"
            | "pg_ddl_command"
            | "unknown"
    ) && !name.starts_with("any")
}

/// The Rust names of the enums of schemas that are no section which
/// `section` uses: the enum's name (`Currency`), or with its schema's
/// (`PublicCurrency`) when the section already has a type of that name.
fn outside_enum_names(section: &Section) -> BTreeMap<(String, String), String> {
    let mut taken: BTreeSet<String> = section
        .tables
        .keys()
        .flat_map(|t| {
            let row = rust_name(t, Role::Type);
            [format!("New{row}"), row]
        })
        .chain(section.views.keys().map(|v| rust_name(v, Role::Type)))
        .chain(section.enums.keys().map(|e| rust_name(e, Role::Type)))
        .chain([rust_name(&section.name, Role::Type)])
        .collect();
    let mut out = BTreeMap::new();
    for (schema, outside) in &section.outside {
        for name in outside.enums.keys() {
            let mut rust = rust_name(name, Role::Type);
            if taken.contains(&rust) {
                rust = rust_name(&format!("{schema}_{name}"), Role::Type);
            }
            taken.insert(rust.clone());
            out.insert((schema.clone(), name.clone()), rust);
        }
    }
    out
}

/// The types of extensions that `postgres-types` reads and writes, by
/// their names: `hstore` as a map, `ltree`, `lquery` and `ltxtquery` as
/// text.
fn extension_type(name: &str) -> Option<Mapped> {
    match name {
        "hstore" => Some(Mapped::own(
            quote!(::std::collections::HashMap<String, Option<String>>),
        )),
        "ltree" | "lquery" | "ltxtquery" => Some(Mapped::own(quote!(String))),
        _ => None,
    }
}

/// The PostgreSQL types a Rust type named in an override reads and writes,
/// for the types whose `ToSql`/`FromSql` we know; `None` for any other
/// (the user's own types are trusted).
fn carries(rust: &str) -> Option<&'static [&'static str]> {
    let name = rust.trim_start_matches("::").trim_start_matches("std::");
    Some(match name {
        "i8" => &["char"],
        "i16" => &["int2"],
        "i32" => &["int4"],
        "i64" => &["int8"],
        "u32" => &["oid"],
        "f32" => &["float4"],
        "f64" => &["float8"],
        "bool" => &["bool"],
        "String" | "string::String" => &["text", "varchar", "bpchar", "name", "citext", "unknown"],
        "Vec<u8>" | "vec::Vec<u8>" => &["bytea"],
        "net::IpAddr" => &["inet"],
        _ => return None,
    })
}
