//! Columns whose type has no Rust mapping of ours, against a real server:
//! built-in types that travel as their text form, and the enums and
//! domains of a schema that is no section (`public`).

use pg_sections::blocking::{Connection, Db};
use pg_sections::{Error, Table};
use tests::outside_types::{billing, shop};
use tests::text_form::geo::{self, Geo, place};

fn migrate(conn: &Connection, case: &str) {
    conn.with_client(|client| {
        tests::apply_migrations(
            client,
            &std::path::Path::new("../codegen/tests/golden")
                .join(case)
                .join("sections"),
        );
    })
    .unwrap();
}

/// A place with every text-form column set, spelled as users write them
/// (the server prints most of them differently).
fn full_place() -> geo::NewPlace {
    geo::NewPlace {
        search: Some("fat cats ate rats".to_owned()),
        query: Some("fat & rats".to_owned()),
        seats: Some("[1,5]".to_owned()),
        stay: Some("[2025-01-01,2025-01-08)".to_owned()),
        booked: Some("[2025-01-01 10:00+00,2025-01-01 12:00+00)".to_owned()),
        prices: Some(vec!["[1,2)".to_owned(), "(,10]".to_owned()]),
        free: Some("{[1,3), [5,7)}".to_owned()),
        network: Some("10.1/16".to_owned()),
        opens: Some("08:30:00+02".to_owned()),
        path: Some("[(0,0),(1,1)]".to_owned()),
        area: Some("(1,1),(0,0)".to_owned()),
        center: Some("<(0,0),2>".to_owned()),
        edge: Some("[(0,0),(1,1)]".to_owned()),
        axis: Some("{1,-1,0}".to_owned()),
        filter: Some("$.a ? (@ > 1)".to_owned()),
        kind: Some("integer".to_owned()),
        snapshot: Some("10:20:10,14,15".to_owned()),
        row_id: Some("(0,1)".to_owned()),
        tx: Some("42".to_owned()),
        ..geo::NewPlace::new("((0,0),(1,0),(1,1))")
    }
}

#[pg_sections::test(migrations = false)]
fn built_in_types_without_a_mapping_read_and_write_as_text(conn: Connection) {
    migrate(&conn, "builtin_types_without_a_mapping_travel_as_text");
    let db: Db<Geo> = conn.db();
    let inserted = place::Table
        .insert(full_place())
        .returning()
        .fetch_one(&db)
        .unwrap();
    // What comes back is what the server stored, printed by the server.
    assert_eq!(inserted.outline, "((0,0),(1,0),(1,1))");
    assert_eq!(
        inserted.search.as_deref(),
        Some("'ate' 'cats' 'fat' 'rats'")
    );
    assert_eq!(inserted.query.as_deref(), Some("'fat' & 'rats'"));
    assert_eq!(inserted.seats.as_deref(), Some("[1,6)"));
    assert_eq!(
        inserted.booked.as_deref(),
        Some("[\"2025-01-01 10:00:00+00\",\"2025-01-01 12:00:00+00\")")
    );
    assert_eq!(
        inserted.prices,
        Some(vec!["[1,2)".to_owned(), "(,10]".to_owned()])
    );
    assert_eq!(inserted.free.as_deref(), Some("{[1,3),[5,7)}"));
    assert_eq!(inserted.network.as_deref(), Some("10.1.0.0/16"));
    assert_eq!(inserted.opens.as_deref(), Some("08:30:00+02"));
    assert_eq!(inserted.area.as_deref(), Some("(1,1),(0,0)"));
    assert_eq!(inserted.center.as_deref(), Some("<(0,0),2>"));
    assert_eq!(inserted.filter.as_deref(), Some("$.\"a\"?(@ > 1)"));
    assert_eq!(inserted.kind.as_deref(), Some("integer"));
    assert_eq!(inserted.tx.as_deref(), Some("42"));
    // The server's own types, not text: a range holds its bounds.
    let holds: bool = conn
        .with_client(|client| {
            client
                .query_one("SELECT seats @> 5 AND search @@ query FROM geo.place", &[])
                .unwrap()
                .get(0)
        })
        .unwrap();
    assert!(holds);

    // Filters compare as the column's type: `[1,5]` equals `[1,6)`.
    let found = place::Table
        .select()
        .filter(place::seats.eq("[1,5]"))
        .filter(place::stay.is_in(["[2025-01-01,2025-01-07]", "empty"]))
        .filter(place::network.between("10.0.0.0/8", "10.2.0.0/16"))
        .filter(place::kind.is_not_in(["text", "pg_catalog.bool"]))
        .fetch_all(&db)
        .unwrap();
    assert_eq!(found.len(), 1);
    // Patterns match the text form.
    let by_pattern = place::Table
        .select()
        .filter(place::search.contains("'rats'"))
        .count(&db)
        .unwrap();
    assert_eq!(by_pattern, 1);
    // Chosen columns read the text form too.
    let (seats, prices) = place::Table
        .select()
        .columns((place::seats, place::prices))
        .fetch_one(&db)
        .unwrap();
    assert_eq!(seats.as_deref(), Some("[1,6)"));
    assert_eq!(prices.map(|p| p.len()), Some(2));

    // Updates send text the server parses, also through an upsert.
    let updated = place::Table
        .update()
        .set(place::seats, "(0,3)")
        .set(place::prices, vec!["[5,6]".to_owned()])
        .filter(place::id.eq(inserted.id))
        .returning()
        .fetch_one(&db)
        .unwrap();
    assert_eq!(updated.seats.as_deref(), Some("[1,3)"));
    assert_eq!(updated.prices, Some(vec!["[5,6]".to_owned()]));

    // Text the type refuses is the server's error, and nothing is written.
    let refused = place::Table
        .insert(geo::NewPlace {
            seats: Some("[5,1]".to_owned()),
            ..geo::NewPlace::new("((0,0),(1,0),(1,1))")
        })
        .execute(&db)
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("range lower bound must be less than or equal to range upper bound"),
        "{refused}"
    );
    assert!(matches!(refused, Error::Database { .. }), "{refused:?}");
    // A domain's check still holds: `geo.slot` refuses an empty range.
    let empty = place::Table
        .insert(geo::NewPlace {
            booked: Some("empty".to_owned()),
            ..geo::NewPlace::new("((0,0),(1,0),(1,1))")
        })
        .execute(&db)
        .unwrap_err();
    assert!(empty.to_string().contains("slot_check"), "{empty}");
    assert_eq!(place::Table.select().count(&db).unwrap(), 1);

    // A view's columns read the same way.
    let named = geo::named_place::Table.select().fetch_all(&db).unwrap();
    assert_eq!(named[0].query.as_deref(), Some("'x'"));
}

#[pg_sections::test(migrations = false)]
fn enums_and_domains_of_a_schema_that_is_no_section_round_trip(conn: Connection) {
    migrate(&conn, "types_of_a_schema_that_is_not_a_section");
    let shop_db: Db<shop::Shop> = conn.db();
    let billing_db: Db<billing::Billing> = conn.db();
    let line = shop::line::Table
        .insert(shop::NewLine {
            weight: Some(250),
            currency: Some(shop::PublicCurrency::Chf),
            accepted: Some(vec![shop::PublicCurrency::Eur, shop::PublicCurrency::Usd]),
            paid_in: Some(shop::Currency::Points),
            buyer: Some("Ann@Example.com".to_owned()),
            tags: Some(std::collections::HashMap::from([
                ("colour".to_owned(), Some("red".to_owned())),
                ("size".to_owned(), None),
            ])),
            category: Some("Top.Science.Astronomy".to_owned()),
            category_pattern: Some("*.Science.*".to_owned()),
            ..shop::NewLine::new(1, 3)
        })
        .returning()
        .fetch_one(&shop_db)
        .unwrap();
    assert_eq!(line.quantity, 3);
    // `hstore`, the one extension type with a mapping: a map, NULL values
    // included, read and written in its binary form.
    let tags = line.tags.as_ref().unwrap();
    assert_eq!(tags.get("colour"), Some(&Some("red".to_owned())));
    assert_eq!(tags.get("size"), Some(&None));
    let tagged: bool = conn
        .with_client(|client| {
            client
                .query_one(
                    "SELECT tags -> 'colour' = 'red' AND tags ? 'size' FROM shop.line",
                    &[],
                )
                .unwrap()
                .get(0)
        })
        .unwrap();
    assert!(tagged);
    // `ltree` and `lquery` as text, in their binary form: the server
    // matches them as paths.
    assert_eq!(line.category.as_deref(), Some("Top.Science.Astronomy"));
    let matching = shop::line::Table
        .select()
        .filter(shop::line::category.eq("Top.Science.Astronomy"))
        .count(&shop_db)
        .unwrap();
    assert_eq!(matching, 1);
    let matched: bool = conn
        .with_client(|client| {
            client
                .query_one("SELECT category ~ category_pattern FROM shop.line", &[])
                .unwrap()
                .get(0)
        })
        .unwrap();
    assert!(matched);
    assert_eq!(line.currency, shop::PublicCurrency::Chf);
    assert_eq!(
        line.accepted,
        vec![shop::PublicCurrency::Eur, shop::PublicCurrency::Usd]
    );
    // citext under the domain: equal whatever the case.
    let by_buyer = shop::line::Table
        .select()
        .filter(shop::line::buyer.eq("ann@example.COM"))
        .filter(shop::line::currency.is_in([shop::PublicCurrency::Chf]))
        .count(&shop_db)
        .unwrap();
    assert_eq!(by_buyer, 1);
    // The domain's check is the server's.
    let refused = shop::line::Table
        .insert(shop::NewLine::new(2, 0))
        .execute(&shop_db)
        .unwrap_err();
    assert!(
        refused.to_string().contains("positive_int_check"),
        "{refused}"
    );

    // Another section has its own Rust enum of the same PostgreSQL enum.
    let invoice = billing::invoice::Table
        .insert(billing::NewInvoice {
            allowed: Some(vec![billing::Currency::Eur, billing::Currency::Chf]),
            ..billing::NewInvoice::new(1, billing::Currency::Usd)
        })
        .returning()
        .fetch_one(&billing_db)
        .unwrap();
    assert_eq!(invoice.currency, billing::Currency::Usd);
    assert_eq!(
        invoice.allowed,
        Some(vec![billing::Currency::Eur, billing::Currency::Chf])
    );
    assert_eq!(
        billing::invoice::Table
            .select()
            .filter(billing::invoice::currency.eq(billing::Currency::Usd))
            .count(&billing_db)
            .unwrap(),
        1
    );
}

/// A section's own domains: values are sent as the base type, which the
/// server checks against the domain (it infers the domain for a parameter it
/// assigns to the column, which no Rust type accepts).
#[pg_sections::test(migrations = false)]
fn a_sections_domains_are_written_as_their_base_type(conn: Connection) {
    use tests::every_statement::shop::{self, Shop, every_type};
    conn.with_client(|client| {
        tests::apply_migrations(
            client,
            std::path::Path::new("../codegen/tests/golden/every_statement/sections"),
        );
    })
    .unwrap();
    let db: Db<Shop> = conn.db();
    let row = every_type::Table
        .insert(shop::NewEveryType {
            contact: Some("ann@example.com".to_owned()),
            labels: Some(vec!["a".to_owned(), "b".to_owned()]),
            ..shop::NewEveryType::new(1_i16, 5)
        })
        .returning()
        .fetch_one(&db)
        .unwrap();
    assert_eq!(
        (row.quantity, row.contact.as_deref()),
        (5, Some("ann@example.com"))
    );
    let updated = every_type::Table
        .update()
        .set(every_type::quantity, 6)
        .set(every_type::labels, vec!["c".to_owned()])
        .filter(every_type::contact.is_in(["ann@example.com"]))
        .filter(every_type::quantity.between(1, 9))
        .execute(&db)
        .unwrap();
    assert_eq!(updated, 1);
    let refused = every_type::Table
        .update()
        .set(every_type::contact, "no at sign")
        .execute(&db)
        .unwrap_err();
    assert!(refused.to_string().contains("email_check"), "{refused}");
}
