//! Builds the test: a `#[test]` function that creates a fresh database,
//! applies the crate's migrations and seeds, makes the argument and calls
//! the function as written, on a tokio runtime when it is `async`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::function::TestFn;
use super::options::Options;

/// The `#[test]` function for `test` with `options`, and the check of its
/// argument's type. `embedded`: whether the crate's build script wrote
/// embedded migrations (see [`embedded_migrations`]).
pub fn expand(test: TestFn, options: &Options, embedded: bool) -> TokenStream {
    let TestFn {
        item,
        argument: argument_type,
    } = test;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = item;
    let name = &sig.ident;
    let output = &sig.output;
    // Local names the user's code cannot see or shadow (a test named
    // `database` calls itself, not this variable).
    let database = Ident::new("database", Span::mixed_site());
    let argument = Ident::new("argument", Span::mixed_site());
    let setup = Ident::new("setup", Span::mixed_site());
    let migrate = options.migrations.then(|| {
        let missing = (!embedded).then(migrations_missing);
        let section_seeds = options.section_seeds.then(|| {
            quote! {
                #database.seed_sections(&::pg_sections::include_migrations!());
            }
        });
        quote! {
            #missing
            #database.migrate(&::pg_sections::include_migrations!());
            #section_seeds
        }
    });
    let seeds = options.seeds.iter().map(|path| {
        // Spanned so that a missing file is reported under its path.
        let sql = quote_spanned! {path.span()=>
            ::core::include_str!(::core::concat!(::core::env!("CARGO_MANIFEST_DIR"), "/", #path))
        };
        quote! {
            #database.seed(#path, #sql);
        }
    });
    let is_async = sig.asyncness.is_some();
    let (check, allow, call) = match &argument_type {
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
            let allow = quote!(#[allow(
                clippy::needless_pass_by_value,
                reason = "the harness passes the argument by value"
            )]);
            let call = if is_async {
                let make = quote_spanned! {ty.span()=>
                    <#ty as ::pg_sections::testing::AsyncFromTestDatabase>::from_test_database(&#database)
                };
                quote! {
                    ::pg_sections::testing::__private::block_on(async {
                        let #argument = #make.await;
                        #name(#argument).await
                    })
                }
            } else {
                let make = quote_spanned! {ty.span()=>
                    <#ty as ::pg_sections::testing::FromTestDatabase>::from_test_database(&#database)
                };
                quote! {
                    {
                        let #argument = #make;
                        #name(#argument)
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
    let seeds: Vec<TokenStream> = seeds.collect();
    let make_database = quote! {
        let #database = ::pg_sections::testing::database();
        #migrate
        #(#seeds)*
    };
    // A `#[should_panic]` test must not pass because its database could not
    // be made: then it returns without calling the function, and fails as
    // a test that did not panic, under the setup's own panic message.
    let should_panic = attrs.iter().any(|a| a.path().is_ident("should_panic"));
    let prepare = if should_panic {
        quote! {
            let #setup = ::std::panic::catch_unwind(|| {
                #make_database
                #database
            });
            let ::core::result::Result::Ok(#database) = #setup else {
                ::std::eprintln!(
                    "pg_sections::test: the test database could not be set up (see the panic above), so the test did not run"
                );
                return;
            };
        }
    } else {
        make_database
    };
    quote! {
        #(#attrs)*
        #[::core::prelude::v1::test]
        #vis fn #name() #output {
            #allow
            #sig #block

            #prepare
            let outcome = #call;
            // After the function, whose connections are closed by then.
            ::core::mem::drop(#database);
            outcome
        }
        #check
    }
}

/// Whether the crate being compiled has embedded migrations: its build
/// script ran `codegen`, which wrote them into `OUT_DIR`.
pub fn embedded_migrations() -> bool {
    std::env::var_os("OUT_DIR").is_some_and(|out| {
        std::path::Path::new(&out)
            .join("pg-sections-migrations.rs")
            .is_file()
    })
}

/// A clear error when the crate has no embedded migrations to apply (no
/// build script, or one that does not call `codegen`), instead of the
/// compiler's about `OUT_DIR` or a missing file.
fn migrations_missing() -> TokenStream {
    quote! {
        ::core::compile_error!(
            "`#[pg_sections::test]` applies the crate's embedded migrations, which its build script writes, and this crate has none\n\
             help: call `codegen::Config::new(\"sections\").build()` from build.rs, or write `#[pg_sections::test(migrations = false)]` for an empty database"
        );
    }
}
