//! The function under `#[pg_sections::test]`, parsed from the input tokens
//! (which keep their spans for errors): a free function with at most one
//! argument, whose type says what the test is given.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, Type};

/// A test function.
pub struct TestFn {
    /// The function as written; its attributes go on the generated test.
    pub item: ItemFn,
    /// The type of its argument, if it takes one.
    pub argument: Option<Type>,
}

/// Parses the item the attribute is on.
///
/// # Errors
/// An item that is not a function; and, all in one error, each generic
/// parameter, receiver, extra argument and `#[test]` attribute, under its
/// tokens.
pub fn parse(item: TokenStream) -> syn::Result<TestFn> {
    let item: ItemFn = syn::parse2(item.clone()).map_err(|_| {
        syn::Error::new_spanned(
            &item,
            "`#[pg_sections::test]` goes on a function: `fn name(conn: pg_sections::blocking::Connection) { … }`",
        )
    })?;
    let mut errors: Vec<syn::Error> = Vec::new();
    let sig = &item.sig;
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new_spanned(
            &sig.generics,
            "a test function cannot be generic; name the argument's type",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "a test function takes one argument at most",
        ));
    }
    let mut argument = None;
    for (index, input) in sig.inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(receiver) => errors.push(syn::Error::new_spanned(
                receiver,
                "a test is a free function, not a method; remove `self`",
            )),
            FnArg::Typed(typed) if index == 0 => argument = Some((*typed.ty).clone()),
            FnArg::Typed(typed) => errors.push(syn::Error::new(
                typed.span(),
                "a test function takes one argument at most: what its database gives (a `postgres::Client`, a `pg_sections::blocking::Connection`, a `pg_sections::blocking::Db<S>`, a `pg_sections::testing::TestDatabase`, or a type of yours implementing `pg_sections::testing::FromTestDatabase`)",
            )),
        }
    }
    for attr in &item.attrs {
        let path = attr.path();
        if path.segments.last().is_some_and(|s| s.ident == "test") {
            let shown = quote::ToTokens::to_token_stream(path)
                .to_string()
                .replace(' ', "");
            errors.push(syn::Error::new_spanned(
                attr,
                format!(
                    "`#[pg_sections::test]` makes the function a test and runs `async fn`s itself; remove `#[{shown}]`"
                ),
            ));
        }
    }
    let mut errors = errors.into_iter();
    match errors.next() {
        None => Ok(TestFn { item, argument }),
        Some(mut first) => {
            errors.for_each(|e| first.combine(e));
            Err(first)
        }
    }
}
