//! Reads the attribute's argument: exactly one string literal naming a
//! known section.

use proc_macro2::{Span, TokenStream};
use syn::LitStr;

use crate::manifest::Manifest;

/// Parses `("vendor")`: the section's name, checked against the manifest
/// when this crate generated its sections (without one, the expansion asks
/// the compiler whether the name is a section).
///
/// # Errors
/// Malformed arguments (under them) or a name the manifest does not have
/// (under the literal, with the nearest known name).
pub fn section(attr: TokenStream, manifest: Option<&Manifest>) -> syn::Result<LitStr> {
    if attr.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "`#[section]` needs the name of a section: `#[section(\"vendor\")]`",
        ));
    }
    let lit: LitStr = syn::parse2(attr.clone()).map_err(|_| {
        syn::Error::new_spanned(
            &attr,
            format!(
                "expected one string literal naming a section, like `#[section(\"{}\")]`",
                manifest
                    .and_then(|m| m.names().first().copied())
                    .unwrap_or("vendor")
            ),
        )
    })?;
    let Some(manifest) = manifest else {
        return Ok(lit);
    };
    let name = lit.value();
    if manifest.has_section(&name) {
        return Ok(lit);
    }
    Err({
        let names = manifest.names();
        let suggestion = nearest(&name, &names)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        syn::Error::new(
            lit.span(),
            format!(
                "unknown section `{name}`; {suggestion}the sections are: {}",
                names.join(", ")
            ),
        )
    })
}

/// The known name closest to `name`, if it is close enough to be a typo.
pub(crate) fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count().max(3) / 3).max(1) + 1)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{distance, nearest};

    #[test]
    fn suggests_the_nearest_section() {
        let known = ["auth", "core", "customer", "vendor"];
        assert_eq!(nearest("vendr", &known), Some("vendor"));
        assert_eq!(nearest("costumer", &known), Some("customer"));
        assert_eq!(nearest("billing", &known), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
