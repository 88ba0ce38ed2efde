//! The attribute on token streams: which paths are errors, what the
//! expansion adds, and snapshots of whole expansions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::expand;
use crate::manifest::Manifest;

fn manifest() -> Manifest {
    let text = pg_sections_manifest::Manifest {
        runtime: pg_sections_manifest::DEFAULT_RUNTIME.to_owned(),
        sections: vec!["customer".to_owned(), "vendor".to_owned()],
    }
    .render();
    Manifest::parse(&text).unwrap()
}

/// The messages of the `compile_error!`s in an expansion.
fn errors(attr: TokenStream, item: TokenStream) -> Vec<String> {
    let out = expand(attr, item, Some(&manifest())).to_string();
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
fn own_section_items_are_fine() {
    let errors = errors(
        quote!("vendor"),
        quote! {
            impl Repo {
                fn f(&self) {
                    let _ = vendor::vendor_inventory::Table;
                    let _ = vendor_inventory::quantity;
                    let _: VendorInventory;
                    let _: Db<Vendor>;
                    let _ = available_inventory::Table;
                }
            }
        },
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn every_path_is_probed_where_it_resolves_and_macro_input_is_not() {
    let out = pretty(expand(
        quote!("vendor"),
        quote! {
            impl Repo {
                fn f(&self) {
                    let _ = crate::db::customer::shopping_cart::Table.select();
                    let _: Vec<ShoppingCart> = Vec::new();
                    let _ = customer::OrderStatus::Paid;
                    println!("{:?}", customer::Hidden);
                }
            }
        },
        Some(&manifest()),
    ));
    // Values where they stand, types at the start of their block.
    assert!(
        out.contains("(match crate::db::customer::shopping_cart::Table {"),
        "{out}"
    );
    assert!(
        out.contains("(match customer::OrderStatus::Paid {"),
        "{out}"
    );
    // A generic type through its arguments.
    assert!(out.contains("Probe::<ShoppingCart>::new()"), "{out}");
    assert!(out.contains("GenericProbe::<Vec<ShoppingCart>>"), "{out}");
    assert!(
        !out.contains("__private::Probe::<Vec<ShoppingCart>>"),
        "{out}"
    );
    // A callee (`Vec::new`) and macro input are not probed.
    assert!(!out.contains("match Vec::new"), "{out}");
    assert!(!out.contains("Hidden;"), "{out}");
}

#[test]
fn no_false_positives_for_plain_names_strings_and_data() {
    let errors = errors(
        quote!("vendor"),
        quote! {
            /// Mentions customer::shopping_cart in a doc comment.
            fn f(customer: Uuid, shopping_cart: &str) -> String {
                let customer_id = customer;
                let s = "customer::shopping_cart::Table";
                mod customer { pub fn helper() {} }
                customer::helper();
                self::customer::helper();
                format!("{customer_id} {s} {shopping_cart}")
            }
        },
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn unknown_sections_suggest_the_nearest() {
    let typo = errors(
        quote!("vendr"),
        quote!(
            struct Repo;
        ),
    );
    assert_eq!(
        typo,
        ["unknown section `vendr`; did you mean `vendor`? the sections are: customer, vendor"]
    );
    let ident = errors_of(quote!(vendor));
    assert_eq!(
        ident,
        ["expected one string literal naming a section, like `#[section(\"customer\")]`"]
    );
    let two = errors_of(quote!("vendor", "customer"));
    assert_eq!(two.len(), 1);
    let empty = errors_of(quote!());
    assert_eq!(
        empty,
        ["`#[section]` needs the name of a section: `#[section(\"vendor\")]`"]
    );
}

fn errors_of(attr: TokenStream) -> Vec<String> {
    errors(
        attr,
        quote!(
            struct Repo;
        ),
    )
}

#[test]
fn constants_statics_and_fields_of_self_are_probed_by_reference_at_the_start() {
    let out = expand(
        quote!("vendor"),
        quote! {
            impl Repo {
                fn f(&self, LIMIT: i64) -> i64 {
                    let cart = CART.select();
                    let rows = self.carts.list(self.inner.db.clone());
                    let local = LIMIT;
                    crate::MAX + local
                }
            }
        },
        Some(&manifest()),
    )
    .to_string()
    .replace(char::is_whitespace, "");
    for place in [
        "of_val(&CART)",
        "of_val(&crate::MAX)",
        // Beside the `impl`, on a reference to `Repo`, once for all its
        // methods.
        "fn__pg_sections_probes(this:&Repo)",
        // Fields by a raw pointer: no reference to a union's or a packed
        // struct's field.
        "of_place(&rawconstthis.carts)",
        "of_place(&rawconstthis.inner)",
        "of_place(&rawconstthis.inner.db)",
    ] {
        assert!(out.contains(place), "{place} in {out}");
    }
    // A name the function binds is a variable, not a constant; constants
    // are never moved where they stand.
    assert!(!out.contains("of_val(&LIMIT)"), "{out}");
    assert!(!out.contains("matchCART"), "{out}");
}

#[test]
fn annotated_types_name_their_section_for_other_items() {
    let out = pretty(expand(
        quote!("customer"),
        quote! {
            mod carts {
                pub struct CartRepo<'a, T: Clone> where T: Send { db: &'a T }
                pub enum Event { Added }
            }
        },
        Some(&manifest()),
    ));
    assert!(
        out.contains("impl<'a, T: Clone> ::pg_sections::__private::Annotated for CartRepo<'a, T>"),
        "{out}"
    );
    assert!(
        out.contains("impl ::pg_sections::__private::Annotated for Event"),
        "{out}"
    );
}

#[test]
fn without_a_manifest_the_compiler_is_asked_whether_the_name_is_a_section() {
    let item = quote!(
        struct Repo;
    );
    let with = expand(quote!("vendor"), item.clone(), Some(&manifest())).to_string();
    assert!(!with.contains("__PgSectionsKnown"), "{with}");
    let without = pretty(expand(quote!("billing"), item, None)).replace(char::is_whitespace, "");
    assert!(without.contains("nosectionisnamed`billing`"), "{without}");
    assert!(
        without.contains("(::pg_sections::Char<'b'>,::pg_sections::Char<'i'>,"),
        "{without}"
    );
    assert!(!without.contains("compile_error"), "{without}");
}

#[test]
fn only_structs_enums_impls_fns_and_inline_mods() {
    let on_trait = errors(
        quote!("vendor"),
        quote!(
            trait T {}
        ),
    );
    assert_eq!(
        on_trait,
        [
            "`#[section]` applies to a `struct`, an `enum`, an `impl` block, a `fn` or an inline `mod`"
        ]
    );
    let on_mod_file = errors(
        quote!("vendor"),
        quote!(
            mod elsewhere;
        ),
    );
    assert_eq!(on_mod_file.len(), 1);
}

#[test]
fn the_item_is_still_emitted_next_to_its_errors() {
    let out = expand(
        quote!("vendr"),
        quote!(
            struct Repo {
                cart: customer::ShoppingCart,
            }
        ),
        Some(&manifest()),
    )
    .to_string();
    assert!(out.contains("compile_error"));
    assert!(out.contains("struct Repo"));
}

#[test]
fn an_error_leaves_one_message_and_the_item_without_its_other_sections() {
    let item = quote!(
        #[section("customer")]
        #[derive(Debug)]
        struct Repo;
    );
    for attr in [quote!("vendr"), quote!("vendor")] {
        let messages = errors(attr.clone(), item.clone());
        assert_eq!(messages.len(), 1, "{attr}: {messages:?}");
        let out = expand(attr, item.clone(), Some(&manifest())).to_string();
        assert!(!out.contains("section (\"customer\")"), "{out}");
        assert!(out.contains("derive (Debug)"), "{out}");
    }
    // Nor those of an annotated module's items.
    let module = quote!(
        mod stock {
            #[section("vendor")]
            pub struct A;
        }
    );
    assert_eq!(errors(quote!("vendr"), module.clone()).len(), 1);
    let out = expand(quote!("vendr"), module, Some(&manifest())).to_string();
    assert!(!out.contains("# [section"), "{out}");
}

#[test]
fn items_of_an_annotated_module_it_cannot_check_are_refused() {
    let messages = errors(
        quote!("vendor"),
        quote! {
            mod stock {
                trait Both = Clone + Send;
                use std::fmt;
            }
        },
    );
    assert_eq!(
        messages,
        ["`#[section]` cannot check a trait alias; move it out of the annotated module"]
    );
}

#[test]
fn struct_handles_are_checked_by_type() {
    let out = expand(
        quote!("vendor"),
        quote! {
            pub struct Repo<D: pg_sections::Runs<T>, T> {
                db: pg_sections::blocking::Db<Buyer>,
                other: D,
                marker: std::marker::PhantomData<T>,
            }
        },
        Some(&manifest()),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn impl_blocks_check_signatures_and_bodies() {
    let out = expand(
        quote!("vendor"),
        quote! {
            impl Repo {
                fn carts(&self, db: &Db<Alias>) -> usize {
                    let other = self.conn.db::<Elsewhere>();
                    0
                }
            }
        },
        Some(&manifest()),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn the_manifest_format_is_checked() {
    assert!(Manifest::parse("something else\n").is_err());
    assert!(
        Manifest::parse("pg-sections manifest 1\nsection\tvendor\tvendor\tVendor\tvendor\n")
            .is_err()
    );
    assert!(Manifest::parse("pg-sections manifest 2\ntable\tnowhere\n").is_err());
    let m = manifest();
    assert_eq!(m.names(), ["customer", "vendor"]);
    assert_eq!(m.runtime(), "::pg_sections");
}
