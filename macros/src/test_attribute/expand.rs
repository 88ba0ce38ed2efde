//! Builds the test: a `#[test]` function that creates a fresh database,
//! applies the crate's migrations and seeds, makes the argument and calls
//! the function as written, on a tokio runtime when it is `async`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::function::TestFn;
use super::options::Options;

/// The `#[test]` function for `test` with `options`, and the check of its
/// argument's type.
pub fn expand(test: TestFn, options: &Options) -> TokenStream {
    let TestFn { item, argument } = test;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = item;
    let name = &sig.ident;
    let output = &sig.output;
    let migrate = options.migrations.then(|| {
        quote! {
            database.migrate(&::pg_sections::include_migrations!());
        }
    });
    let seeds = options.seeds.iter().map(|path| {
        // Spanned so that a missing file is reported under its path.
        let sql = quote_spanned! {path.span()=>
            ::core::include_str!(::core::concat!(::core::env!("CARGO_MANIFEST_DIR"), "/", #path))
        };
        quote! {
            database.seed(#path, #sql);
        }
    });
    let is_async = sig.asyncness.is_some();
    let (check, allow, call) = match &argument {
        Some(ty) => {
            // `#[test]` functions are compiled only under `cfg(test)`; this
            // check reports a wrong argument type in other builds too (the
            // trybuild cases, `cargo check` without `--tests`).
            let assertion = if is_async {
                quote_spanned!(ty.span()=> ::pg_sections::testing::__private::argument_of_an_async_test::<#ty>())
            } else {
                quote_spanned!(ty.span()=> ::pg_sections::testing::__private::argument_of_a_test::<#ty>())
            };
            let check = quote! {
                #[cfg(not(test))]
                const _: () = #assertion;
            };
            // The harness decides what the function takes, so the argument
            // is by value even when the body only borrows it.
            let allow = quote!(#[allow(clippy::needless_pass_by_value)]);
            let call = if is_async {
                let make = quote_spanned! {ty.span()=>
                    <#ty as ::pg_sections::testing::AsyncFromTestDatabase>::from_test_database(&database)
                };
                quote! {
                    ::pg_sections::testing::__private::block_on(async {
                        let argument = #make.await;
                        #name(argument).await
                    })
                }
            } else {
                let make = quote_spanned! {ty.span()=>
                    <#ty as ::pg_sections::testing::FromTestDatabase>::from_test_database(&database)
                };
                quote! {
                    {
                        let argument = #make;
                        #name(argument)
                    }
                }
            };
            (Some(check), Some(allow), call)
        }
        None if is_async => (
            None,
            None,
            quote!(::pg_sections::testing::__private::block_on(#name())),
        ),
        None => (None, None, quote!(#name())),
    };
    quote! {
        #(#attrs)*
        #[::core::prelude::v1::test]
        #vis fn #name() #output {
            #allow
            #sig #block

            let database = ::pg_sections::testing::database();
            #migrate
            #(#seeds)*
            let outcome = #call;
            // After the function, whose connections are closed by then.
            ::core::mem::drop(database);
            outcome
        }
        #check
    }
}
