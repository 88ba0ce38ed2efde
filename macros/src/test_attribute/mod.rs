//! `#[pg_sections::test]`: a test on a fresh database with the crate's
//! sections migrated, optionally seeded. The steps: read the options
//! (`options.rs`), the function (`function.rs`), build the test
//! (`expand.rs`).

mod expand;
mod function;
mod options;

use proc_macro2::TokenStream;
use quote::quote;

/// The attribute on token streams.
pub fn test_inner(attr: TokenStream, item: TokenStream) -> TokenStream {
    test_with(attr, item, expand::embedded_migrations())
}

/// The attribute for a crate that has embedded migrations (`embedded`) or
/// not.
fn test_with(attr: TokenStream, item: TokenStream, embedded: bool) -> TokenStream {
    let options = options::parse(attr);
    let test = function::parse(item.clone());
    match (options, test) {
        (Ok(options), Ok(test)) => expand::expand(test, &options, embedded),
        (options, test) => {
            let mut errors = options.err().into_iter().chain(test.err());
            let mut error = errors.next().expect("BUG: one of the two failed");
            errors.for_each(|e| error.combine(e));
            let error = error.to_compile_error();
            // The function as written, so that what calls it still resolves
            // and the errors above are the only ones.
            quote! {
                #error
                #[allow(
                    dead_code,
                    unused_attributes,
                    reason = "kept so that its callers resolve; the error above is the one to read"
                )]
                #item
            }
        }
    }
}

#[cfg(test)]
mod tests;
