//! The test attribute on token streams: what each option and signature
//! expands to, and which inputs are errors with which messages.

use proc_macro2::TokenStream;
use quote::quote;

use super::test_with;

/// The attribute in a crate whose build script embedded its migrations.
fn test_inner(attr: TokenStream, item: TokenStream) -> TokenStream {
    test_with(attr, item, true)
}

#[test]
fn a_crate_without_embedded_migrations_is_told_how_to_get_them_or_opt_out() {
    let item = quote! {
        fn t(conn: pg_sections::blocking::Connection) {}
    };
    let out = test_with(quote!(), item.clone(), false).to_string();
    assert!(
        out.contains("which its build script writes, and this crate has none")
            && out.contains("migrations = false"),
        "{out}"
    );
    // With `migrations = false` there is nothing to apply, and no error.
    let out = test_with(quote!(migrations = false), item, false).to_string();
    assert!(!out.contains("compile_error"), "{out}");
}

/// The messages of the `compile_error!`s in an expansion.
fn errors(attr: TokenStream, item: TokenStream) -> Vec<String> {
    let out = test_inner(attr, item).to_string();
    out.split("compile_error ! {")
        .skip(1)
        .map(|rest| {
            let start = rest.find('"').unwrap() + 1;
            let end = rest[start..].find("\" }").unwrap() + start;
            rest[start..end].replace("\\\"", "\"")
        })
        .collect()
}

fn pretty(tokens: TokenStream) -> String {
    prettyplease::unparse(&syn::parse2(tokens).unwrap())
}

#[test]
fn a_sync_test_migrates_and_passes_its_argument() {
    let out = test_inner(
        quote!(),
        quote! {
            /// Docs stay.
            #[should_panic(expected = "boom")]
            #[allow(unused_variables)]
            fn finds_vendors(conn: pg_sections::blocking::Connection) {
                conn.batch_execute("SELECT 1").unwrap();
            }
        },
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn an_async_test_with_seeds_and_no_migrations_makes_its_argument_in_the_runtime() {
    let out = test_inner(
        quote!(
            migrations = false,
            seed = "tests/a.sql",
            seed = ["tests/b.sql", "tests/c.sql"]
        ),
        quote! {
            async fn seeded(db: pg_sections::testing::TestDatabase) -> Result<(), String> {
                Ok(())
            }
        },
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn a_test_without_argument_calls_the_function_as_is() {
    let out = test_inner(
        quote!(),
        quote!(
            async fn t() {}
        ),
    )
    .to_string();
    assert!(out.contains("block_on (t ())"), "{out}");
    assert!(!out.contains("argument_of"), "nothing to check: {out}");
}

#[test]
fn options_are_read() {
    assert!(
        errors(
            quote!(migrations = true),
            quote!(
                fn t() {}
            )
        )
        .is_empty()
    );
    let out = test_inner(
        quote!(migrations = false),
        quote!(
            fn t() {}
        ),
    )
    .to_string();
    assert!(!out.contains("include_migrations"), "{out}");
    let out = test_inner(
        quote!(),
        quote!(
            fn t() {}
        ),
    )
    .to_string();
    assert!(out.contains("include_migrations"), "{out}");
}

#[test]
fn unknown_and_malformed_options_are_errors_all_at_once() {
    let errors = errors(
        quote!(
            migration = false,
            seed = 3,
            migrations = "no",
            flavour,
            seed = "/etc/seed.sql"
        ),
        quote!(
            fn t() {}
        ),
    );
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(
        errors[0].starts_with("unknown option `migration`; did you mean `migrations`? the options are `migrations = false`"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("`seed` takes a string literal"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].starts_with("`migrations` is `true`"),
        "{}",
        errors[2]
    );
    assert!(
        errors[3].starts_with("unknown option `flavour`; the options are"),
        "{}",
        errors[3]
    );
    assert!(
        errors[4].starts_with("a seed file's path is relative"),
        "{}",
        errors[4]
    );

    assert_eq!(
        errors_of(
            quote!(migrations),
            quote!(
                fn t() {}
            )
        ),
        ["`migrations` takes a value: `migrations = false`"]
    );
    assert_eq!(
        errors_of(
            quote!(migrations = false, migrations = false),
            quote!(
                fn t() {}
            )
        ),
        ["`migrations` is given twice; keep one"]
    );
    assert!(
        errors_of(
            quote!("tests/seed.sql"),
            quote!(
                fn t() {}
            )
        )[0]
        .starts_with("expected options like `migrations = false`")
    );
}

fn errors_of(attr: TokenStream, item: TokenStream) -> Vec<String> {
    errors(attr, item)
}

#[test]
fn signatures_a_test_cannot_have_are_errors_with_the_options_ones() {
    let errors = errors(
        quote!(sed = "x.sql"),
        quote! {
            #[test]
            fn t<T>(a: Client, b: Connection) {}
        },
    );
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(errors[0].starts_with("unknown option `sed`; did you mean `seed`?"));
    assert_eq!(
        errors[1],
        "a test function cannot be generic; name the argument's type"
    );
    assert!(errors[2].starts_with("a test function takes one argument at most"));
    assert_eq!(
        errors[3],
        "`#[pg_sections::test]` makes the function a test and runs `async fn`s itself; remove `#[test]`"
    );
    assert_eq!(
        errors_of(
            quote!(),
            quote!(
                #[tokio::test]
                async fn t() {}
            )
        ),
        [
            "`#[pg_sections::test]` makes the function a test and runs `async fn`s itself; remove `#[tokio::test]`"
        ]
    );
    assert_eq!(
        errors_of(
            quote!(),
            quote!(
                struct NotAFunction;
            )
        ),
        [
            "`#[pg_sections::test]` goes on a function: `fn name(conn: pg_sections::blocking::Connection) { … }`"
        ]
    );
}

#[test]
fn on_error_the_function_is_kept_as_written() {
    let out = test_inner(
        quote!(nope),
        quote!(
            fn helper(x: u8) -> u8 {
                x
            }
        ),
    )
    .to_string();
    assert!(out.contains("fn helper (x : u8) -> u8 { x }"), "{out}");
    assert!(!out.contains(":: test"), "not a test: {out}");
}

#[test]
fn seeds_true_applies_the_sections_seeds_after_the_migrations() {
    let out = test_inner(
        quote!(seeds = true),
        quote!(
            fn t() {}
        ),
    )
    .to_string()
    .replace(' ', "");
    let migrate = out.find("database.migrate(").expect(&out);
    let seed = out.find("database.seed_sections(").expect(&out);
    assert!(migrate < seed, "{out}");
    let out = test_inner(
        quote!(seeds = false),
        quote!(
            fn t() {}
        ),
    )
    .to_string();
    assert!(!out.contains("seed_sections"), "{out}");
    assert_eq!(
        errors_of(
            quote!(seeds = "tests/seed.sql"),
            quote!(
                fn t() {}
            )
        ),
        [
            "`seeds` is `true` (the sections' own `seeds/*.sql` run after the migrations) or `false` (the default); for a file of your own, write `seed = \"tests/seed.sql\"`"
        ]
    );
    assert_eq!(
        errors_of(
            quote!(seeds = true, migrations = false),
            quote!(
                fn t() {}
            )
        ),
        [
            "`seeds = true` runs the sections' seeds after their migrations, and `migrations = false` leaves the database empty; drop one of them"
        ]
    );
    assert_eq!(
        errors_of(
            quote!(seeds = true, seeds = true),
            quote!(
                fn t() {}
            )
        ),
        ["`seeds` is given twice; keep one"]
    );
    assert_eq!(
        errors_of(
            quote!(seeds),
            quote!(
                fn t() {}
            )
        ),
        ["`seeds` takes a value: `seeds = true`"]
    );
}
