//! SQL names → Rust identifiers.
//!
//! PostgreSQL allows any name: keywords (`type`), mixed case (`"lastName"`),
//! spaces, punctuation, non-ASCII, a leading digit. Rust identifiers are made
//! deterministic and ASCII: Latin letters with accents lose them (`é` → `e`),
//! other characters become `u<hex>`, keywords become raw identifiers
//! (`r#type`) or take a trailing `_` where raw is not allowed (`self_`), and a
//! leading digit gets a prefix that says what the item is (`col_2fast`). The
//! SQL name is always kept for the SQL itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::error::Error;

/// Words Rust reserves, in every edition we emit for.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union",
];

/// Names of Rust's prelude (and `Self`): a generated type of the same name
/// would shadow the prelude's inside the section module, where the
/// generated code itself writes `Option`, `String`, `Vec`, `Into`, … So a
/// type whose name is one of these takes a `Type` suffix (`OptionType`).
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces what is not ASCII alphanumeric by word breaks, folding Latin
/// accents to their base letter and writing other characters as `u<hex>`.
fn asciify(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    for c in sql.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(base) = fold_latin(c) {
            out.push_str(base);
        } else if c.is_ascii() {
            out.push('_');
        } else {
            let _ = write!(out, "_u{:x}_", u32::from(c));
        }
    }
    out
}

/// Latin-1 letters with diacritics → ASCII (keeps the case).
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' => "A",
        'Æ' => "AE",
        'Ç' => "C",
        'È'..='Ë' => "E",
        'Ì'..='Ï' => "I",
        'Ð' => "D",
        'Ñ' => "N",
        'Ò'..='Ö' | 'Ø' => "O",
        'Ù'..='Ü' => "U",
        'Ý' => "Y",
        'Þ' => "Th",
        'ß' => "ss",
        'à'..='å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è'..='ë' => "e",
        'ì'..='ï' => "i",
        'ð' => "d",
        'ñ' => "n",
        'ò'..='ö' | 'ø' => "o",
        'ù'..='ü' => "u",
        'ý' | 'ÿ' => "y",
        'þ' => "th",
        _ => return None,
    })
}

/// What an identifier names: decides the case and the prefix for names that
/// would start with a digit or be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Struct field and column constant: `snake_case`, prefix `col_`.
    Column,
    /// Table module: `snake_case`, prefix `table_`.
    Module,
    /// Section module: `snake_case`, prefix `section_`.
    Section,
    /// Struct, enum, section marker: `UpperCamelCase`, prefix `T`.
    Type,
    /// Enum variant: `UpperCamelCase`, prefix `V`.
    Variant,
}

/// The Rust spelling of a SQL name, as text (`r#type` for keywords).
pub(crate) fn rust_name(sql: &str, role: Role) -> String {
    let ascii = asciify(sql);
    let (mut name, prefix) = match role {
        Role::Column => (ascii.to_snake_case(), "col_"),
        Role::Module => (ascii.to_snake_case(), "table_"),
        Role::Section => (ascii.to_snake_case(), "section_"),
        Role::Type => (ascii.to_upper_camel_case(), "T"),
        Role::Variant => (ascii.to_upper_camel_case(), "V"),
    };
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, prefix);
    }
    if role == Role::Type && PRELUDE.contains(&name.as_str()) {
        name.push_str("Type");
    } else if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// The identifier for a SQL name.
pub(crate) fn ident(sql: &str, role: Role) -> Ident {
    let name = rust_name(sql, role);
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&name, Span::call_site()),
    }
}

/// `base`, or `base` with as many `_` appended as it takes to differ from
/// every name in `taken`: for names the emitter invents (parameters,
/// locals) beside names that come from SQL.
pub(crate) fn fresh(base: &str, taken: &[Ident]) -> Ident {
    let mut name = base.to_owned();
    while taken
        .iter()
        .any(|t| t.to_string().trim_start_matches("r#") == name)
    {
        name.push('_');
    }
    Ident::new(&name, Span::call_site())
}

/// Collects the Rust names used in one scope and reports the first clash.
pub(crate) struct Scope {
    description: String,
    taken: BTreeMap<String, String>,
}

impl Scope {
    pub fn new(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            taken: BTreeMap::new(),
        }
    }

    /// Claims `rust` for the SQL thing described by `sql`.
    pub fn claim(&mut self, rust: &str, sql: impl Into<String>) -> Result<(), Error> {
        let sql = sql.into();
        if let Some(first) = self.taken.get(rust) {
            return Err(Error::NameCollision {
                scope: self.description.clone(),
                rust: rust.to_owned(),
                first: first.clone(),
                second: sql,
            });
        }
        self.taken.insert(rust.to_owned(), sql);
        Ok(())
    }

    /// Whether `rust` is taken.
    pub fn contains(&self, rust: &str) -> bool {
        self.taken.contains_key(rust)
    }
}

/// `"relation"."column"`: how statements name a column.
pub(super) fn column_sql(relation: &str, column: &str) -> String {
    format!("{}.{}", quote_ident(relation), quote_ident(column))
}

/// An identifier quoted for SQL: always, so any name works.
pub(super) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An identifier from a name `rust_name` made, raw (`r#type`) or not.
pub(super) fn ident_from(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Role, rust_name};

    #[test]
    fn hostile_names_become_valid_identifiers() {
        assert_eq!(rust_name("type", Role::Column), "r#type");
        assert_eq!(rust_name("self", Role::Column), "self_");
        assert_eq!(rust_name("Self", Role::Column), "self_");
        assert_eq!(rust_name("Self", Role::Type), "SelfType");
        assert_eq!(rust_name("First Name", Role::Column), "first_name");
        assert_eq!(rust_name("lastName", Role::Column), "last_name");
        assert_eq!(rust_name("ÉtéPrénom", Role::Column), "ete_prenom");
        assert_eq!(rust_name("2fast", Role::Column), "col_2fast");
        assert_eq!(rust_name("2fast", Role::Type), "T2fast");
        assert_eq!(rust_name("in progress", Role::Variant), "InProgress");
        assert_eq!(rust_name("日本", Role::Column), "u65e5_u672c");
        assert_eq!(rust_name("!!", Role::Column), "col_");
        assert_eq!(rust_name("vendor_inventory", Role::Type), "VendorInventory");
        assert_eq!(rust_name("option", Role::Type), "OptionType");
        assert_eq!(rust_name("string", Role::Type), "StringType");
        assert_eq!(rust_name("option", Role::Column), "option");
        assert_eq!(rust_name("some", Role::Variant), "Some");
    }
}
