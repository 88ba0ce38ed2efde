//! Reads the options of `#[pg_sections::test(…)]`: whether the crate's
//! migrations run, and which seed files follow them.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitBool, LitStr, Meta, Token};

use crate::attr::nearest;

/// The options, as written.
pub struct Options {
    /// Whether the crate's embedded migrations are applied (the default), or
    /// the test starts on an empty database (`migrations = false`).
    pub migrations: bool,
    /// The seed files, relative to the crate's folder, in the order given.
    pub seeds: Vec<LitStr>,
    /// Whether the sections' own seeds (`<section>/seeds/*.sql`, embedded
    /// with the migrations) run after the migrations (`seeds = true`).
    pub section_seeds: bool,
}

/// The option names, for suggestions.
const NAMES: [&str; 3] = ["migrations", "seed", "seeds"];

/// What every message about an unknown or malformed option ends with.
const ACCEPTED: &str = "the options are `migrations = false` (an empty database, for a crate without a build script that calls `codegen`), `seeds = true` (the sections' own `seeds/*.sql`, after the migrations) and `seed = \"tests/seed.sql\"` (a SQL file run after the migrations, relative to the crate's folder; several with `seed = [\"a.sql\", \"b.sql\"]`)";

/// Parses `(migrations = false, seed = "tests/seed.sql")`.
///
/// # Errors
/// Every malformed, unknown or repeated option, each under its tokens, in
/// one error.
pub fn parse(attr: TokenStream) -> syn::Result<Options> {
    let mut options = Options {
        migrations: true,
        seeds: Vec::new(),
        section_seeds: false,
    };
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated
        .parse2(attr.clone())
        .map_err(|_| {
            syn::Error::new_spanned(
                &attr,
                format!("expected options like `migrations = false`; {ACCEPTED}"),
            )
        })?;
    let mut errors: Option<syn::Error> = None;
    let mut push = |error: syn::Error| match &mut errors {
        Some(errors) => errors.combine(error),
        None => errors = Some(error),
    };
    let mut migrations_given = false;
    let mut section_seeds: Option<syn::Path> = None;
    for meta in metas {
        let name = meta.path().get_ident().map(ToString::to_string);
        match (name.as_deref(), &meta) {
            (Some("migrations"), Meta::NameValue(pair)) => {
                if migrations_given {
                    push(syn::Error::new_spanned(
                        &pair.path,
                        "`migrations` is given twice; keep one",
                    ));
                }
                migrations_given = true;
                match &pair.value {
                    Expr::Lit(ExprLit {
                        lit: Lit::Bool(LitBool { value, .. }),
                        ..
                    }) => options.migrations = *value,
                    other => push(syn::Error::new_spanned(
                        other,
                        "`migrations` is `true` (the default: the crate's migrations run) or `false` (an empty database)",
                    )),
                }
            }
            (Some("seeds"), Meta::NameValue(pair)) => {
                if section_seeds.is_some() {
                    push(syn::Error::new_spanned(
                        &pair.path,
                        "`seeds` is given twice; keep one",
                    ));
                }
                section_seeds = Some(pair.path.clone());
                match &pair.value {
                    Expr::Lit(ExprLit {
                        lit: Lit::Bool(LitBool { value, .. }),
                        ..
                    }) => options.section_seeds = *value,
                    other => push(syn::Error::new_spanned(
                        other,
                        "`seeds` is `true` (the sections' own `seeds/*.sql` run after the migrations) or `false` (the default); for a file of your own, write `seed = \"tests/seed.sql\"`",
                    )),
                }
            }
            (Some("seed"), Meta::NameValue(pair)) => match &pair.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(path),
                    ..
                }) => seed(path, &mut options.seeds, &mut push),
                Expr::Array(array) => {
                    for element in &array.elems {
                        match element {
                            Expr::Lit(ExprLit {
                                lit: Lit::Str(path),
                                ..
                            }) => seed(path, &mut options.seeds, &mut push),
                            other => push(not_a_seed(other)),
                        }
                    }
                }
                other => push(not_a_seed(other)),
            },
            (Some(known @ ("migrations" | "seed" | "seeds")), _) => {
                let example = match known {
                    "seed" => "seed = \"tests/seed.sql\"",
                    "seeds" => "seeds = true",
                    _ => "migrations = false",
                };
                push(syn::Error::new_spanned(
                    &meta,
                    format!("`{known}` takes a value: `{example}`"),
                ));
            }
            _ => {
                let path = meta.path();
                let shown = quote::ToTokens::to_token_stream(path)
                    .to_string()
                    .replace(' ', "");
                let suggestion = nearest(&shown, &NAMES)
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                push(syn::Error::new_spanned(
                    path,
                    format!("unknown option `{shown}`; {suggestion}{ACCEPTED}"),
                ));
            }
        }
    }
    if let Some(path) = &section_seeds
        && options.section_seeds
        && !options.migrations
    {
        push(syn::Error::new_spanned(
            path,
            "`seeds = true` runs the sections' seeds after their migrations, and `migrations = false` leaves the database empty; drop one of them",
        ));
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(options),
    }
}

/// Adds the seed file `path`, which must be a relative path.
fn seed(path: &LitStr, seeds: &mut Vec<LitStr>, push: &mut impl FnMut(syn::Error)) {
    let value = path.value();
    if value.trim().is_empty() {
        push(syn::Error::new(
            path.span(),
            "the seed file's path is empty; give a SQL file relative to the crate's folder, like `seed = \"tests/seed.sql\"`",
        ));
    } else if value.starts_with('/') || value.starts_with('\\') || value.get(1..2) == Some(":") {
        push(syn::Error::new(
            path.span(),
            "a seed file's path is relative to the crate's folder (`CARGO_MANIFEST_DIR`), so that the crate builds anywhere: `seed = \"tests/seed.sql\"`",
        ));
    } else {
        seeds.push(path.clone());
    }
}

fn not_a_seed(value: &Expr) -> syn::Error {
    syn::Error::new_spanned(
        value,
        "`seed` takes a string literal naming a SQL file relative to the crate's folder (`seed = \"tests/seed.sql\"`), or an array of them",
    )
}
