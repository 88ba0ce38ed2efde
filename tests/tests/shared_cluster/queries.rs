//! The query builder and section handles against a real PostgreSQL: every
//! operation, transactions, upserts, joins, paging, streaming, the statement
//! cache, and values that look like SQL.

use std::ops::Not as _;

use pg_sections::blocking::{Connection, Db};
use pg_sections::testing::TestDatabase;
use pg_sections::{Error, Table};
use tests::bundled::core::{self, Core, manufacturer, model, part};
use tests::bundled::customer::{self, Customer, customer_order, customer_profile};
use tests::bundled::vendor::{self, Vendor, vendor_inventory, vendor_profile};

/// A fresh database with the bundled sections migrated, for the tests that
/// need more than one.
fn migrated() -> TestDatabase {
    let db = pg_sections::testing::database();
    db.migrate(&pg_sections::include_migrations!());
    db
}

fn new_vendor(name: &str) -> vendor::NewVendorProfile {
    vendor::NewVendorProfile {
        contact_email: Some(format!("{}@example.com", name.to_lowercase())),
        ..vendor::NewVendorProfile::new(name)
    }
}

fn new_item(vendor_id: i32, sku: &str, quantity: i32, cents: i64) -> vendor::NewVendorInventory {
    vendor::NewVendorInventory {
        id: None,
        public_id: None,
        vendor_id,
        core_part_public_id: pg_sections::uuid::Uuid::from_u128(
            sku.bytes().fold(0u128, |acc, b| acc * 256 + u128::from(b)),
        ),
        condition: None,
        quantity: Some(quantity),
        price: pg_sections::rust_decimal::Decimal::new(cents, 2),
        sku: Some(sku.to_owned()),
        location: None,
        is_available: None,
        created_at: None,
        updated_at: None,
        for_parts_note: None,
    }
}

/// Two vendors; the first has three items, the second one.
fn stocked(conn: &Connection) -> (Db<Vendor>, vendor::VendorProfile, vendor::VendorProfile) {
    let db = conn.db::<Vendor>();
    let acme = vendor_profile::Table
        .insert(new_vendor("Acme"))
        .returning()
        .fetch_one(&db)
        .unwrap();
    let bolt = vendor_profile::Table
        .insert(new_vendor("Bolt"))
        .returning()
        .fetch_one(&db)
        .unwrap();
    let inserted = vendor_inventory::Table
        .insert_many([
            new_item(acme.id, "A-1", 5, 1000),
            new_item(acme.id, "A-2", 0, 2500),
            new_item(acme.id, "A-3", 12, 500),
            new_item(bolt.id, "B-1", 3, 750),
        ])
        .execute(&db)
        .unwrap();
    assert_eq!(inserted, 4);
    (db, acme, bolt)
}

#[pg_sections::test]
fn select_filters_orders_and_limits(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let items = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::vendor_id.eq(acme.id))
        .filter(vendor_inventory::quantity.gt(0))
        .order_by(vendor_inventory::price.desc())
        .fetch_all(&db)
        .unwrap();
    let skus: Vec<_> = items.iter().map(|i| i.sku.clone().unwrap()).collect();
    assert_eq!(skus, ["A-1", "A-3"]);

    let page = vendor_inventory::Table
        .select()
        .order_by(vendor_inventory::sku.asc())
        .limit(2)
        .offset(1)
        .fetch_all(&db)
        .unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].sku.as_deref(), Some("A-2"));

    let every: Vec<_> = vendor_inventory::Table
        .select()
        .filter(
            vendor_inventory::quantity
                .eq(0)
                .or(vendor_inventory::sku.like("B-%")),
        )
        .filter(vendor_inventory::quantity.between(0, 3))
        .filter(vendor_inventory::sku.ilike("a-2").not().not())
        .fetch_all(&db)
        .unwrap();
    assert_eq!(every.len(), 1);
    assert_eq!(every[0].sku.as_deref(), Some("A-2"));
}

#[pg_sections::test]
fn comparisons_null_tests_and_column_comparisons(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let count = |q: pg_sections::Select<vendor_inventory::Table>| q.count(&db).unwrap();
    let all = || vendor_inventory::Table.select();
    assert_eq!(count(all().filter(vendor_inventory::quantity.ne(0))), 3);
    assert_eq!(count(all().filter(vendor_inventory::quantity.lt(5))), 2);
    assert_eq!(count(all().filter(vendor_inventory::quantity.le(5))), 3);
    assert_eq!(count(all().filter(vendor_inventory::quantity.ge(12))), 1);
    assert_eq!(count(all().filter(vendor_inventory::location.is_null())), 4);
    assert_eq!(
        count(all().filter(vendor_inventory::location.is_not_null())),
        0
    );
    assert_eq!(count(all().filter(vendor_inventory::sku.not_like("A%"))), 1);
    assert_eq!(
        count(all().filter(vendor_inventory::id.lt_column(vendor_inventory::vendor_id))),
        0
    );
    assert_eq!(
        count(all().filter(vendor_inventory::vendor_id.eq_column(vendor_inventory::vendor_id))),
        4
    );
    assert_eq!(
        count(all().filter(vendor_inventory::vendor_id.eq(acme.id))),
        3
    );
    assert!(
        all()
            .filter(vendor_inventory::sku.eq("B-1"))
            .exists(&db)
            .unwrap()
    );
    assert!(
        !all()
            .filter(vendor_inventory::sku.eq("Z-9"))
            .exists(&db)
            .unwrap()
    );
}

#[pg_sections::test]
fn in_and_not_in_bind_one_array_so_the_statement_is_reused(conn: Connection) {
    let (db, _, _) = stocked(&conn);
    let q = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::sku.is_in(["A-1", "B-1"]));
    assert_eq!(q.to_sql().params, 1);
    assert_eq!(q.fetch_all(&db).unwrap().len(), 2);
    let before = conn.cache_stats().unwrap();
    let three = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::sku.is_in(["A-1", "A-2", "A-3"]))
        .fetch_all(&db)
        .unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(
        conn.cache_stats().unwrap().prepared,
        before.prepared,
        "no new statement for 3 values"
    );
    let rest = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::sku.is_not_in(["A-1", "A-2", "A-3"]))
        .fetch_all(&db)
        .unwrap();
    assert_eq!(rest.len(), 1);
    let none: Vec<&str> = Vec::new();
    assert_eq!(
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::sku.is_in(none))
            .count(&db)
            .unwrap(),
        0
    );
}

#[pg_sections::test]
fn chosen_columns_come_back_as_tuples(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let rows: Vec<(String, Option<String>)> = vendor_profile::Table
        .select()
        .columns((vendor_profile::business_name, vendor_profile::contact_email))
        .order_by(vendor_profile::business_name.asc())
        .fetch_all(&db)
        .unwrap();
    assert_eq!(
        rows,
        [
            ("Acme".to_owned(), Some("acme@example.com".to_owned())),
            ("Bolt".to_owned(), Some("bolt@example.com".to_owned()))
        ]
    );
    let (id,): (i32,) = vendor_profile::Table
        .find(acme.id)
        .columns((vendor_profile::id,))
        .fetch_one(&db)
        .unwrap();
    assert_eq!(id, acme.id);
}

/// A `SELECT` on a parent table reads its inheritance children too, so a
/// primary key can match a row in the parent and one in each child: `find`
/// gives the first, on a cached statement as on a new one, and leaves the
/// connection ready for the next query.
#[pg_sections::test]
fn find_by_a_key_an_inheritance_child_repeats(conn: Connection) {
    let (db, acme, bolt) = stocked(&conn);
    copies_in_a_child(&conn, acme.id, 2);
    for _ in 0..2 {
        assert_eq!(
            vendor_profile::Table.find(acme.id).fetch_one(&db).unwrap(),
            acme
        );
        assert_eq!(
            vendor_profile::Table
                .find(acme.id)
                .fetch_optional(&db)
                .unwrap(),
            Some(acme.clone())
        );
        assert_eq!(
            vendor_profile::Table
                .find(acme.id)
                .fetch_all(&db)
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            vendor_profile::Table.find(bolt.id).fetch_one(&db).unwrap(),
            bolt
        );
    }
    // Inside a transaction too: the answer read again is the same, and the
    // transaction is not aborted by it.
    let inside = db
        .transaction(|tx| {
            let row = vendor_profile::Table.find(acme.id).fetch_one(tx)?;
            let others = vendor_profile::Table.select().fetch_all(tx)?;
            Ok::<_, Error>((row, others.len()))
        })
        .unwrap();
    assert_eq!(inside, (acme, 4));
}

/// An inheritance child of `vendor.vendor_profile` holding `copies` copies
/// of the parent's row `id`, key and all.
fn copies_in_a_child(conn: &Connection, id: i32, copies: usize) {
    let copy = format!(
        "INSERT INTO vendor.vendor_profile_copies SELECT * FROM ONLY vendor.vendor_profile WHERE id = {id};"
    );
    conn.batch_execute(&format!(
        "CREATE TABLE vendor.vendor_profile_copies () INHERITS (vendor.vendor_profile);{}",
        copy.repeat(copies)
    ))
    .unwrap();
}

/// A key found twice, then a failure later in the same answer (a child
/// that cannot be read): `find` reports the server's failure, outside a
/// transaction and inside one, where a second read would only meet the
/// aborted transaction.
#[pg_sections::test]
fn find_reports_a_failure_after_a_repeated_key(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    copies_in_a_child(&conn, acme.id, 1);
    conn.batch_execute(
        "CREATE EXTENSION file_fdw;
         CREATE SERVER unreadable FOREIGN DATA WRAPPER file_fdw;
         CREATE FOREIGN TABLE vendor.vendor_profile_unreadable () INHERITS (vendor.vendor_profile)
             SERVER unreadable OPTIONS (program 'echo not-a-number', format 'text');",
    )
    .unwrap();
    let bad_text = Some(&postgres::error::SqlState::INVALID_TEXT_REPRESENTATION);
    let outside = vendor_profile::Table
        .find(acme.id)
        .fetch_one(&db)
        .unwrap_err();
    assert_eq!(outside.code(), bad_text, "{outside}");
    let mut inside = Vec::new();
    let outcome = db.transaction(|tx| {
        let one = vendor_profile::Table.find(acme.id).fetch_one(tx);
        inside.push(one.as_ref().err().and_then(Error::code).cloned());
        one.map(drop)
    });
    assert!(outcome.is_err());
    let optional = db.transaction(|tx| vendor_profile::Table.find(acme.id).fetch_optional(tx));
    inside.push(optional.as_ref().err().and_then(Error::code).cloned());
    assert_eq!(inside, vec![bad_text.cloned(), bad_text.cloned()]);
}

#[pg_sections::test]
fn fetch_one_and_fetch_optional(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let found = vendor_profile::Table.find(acme.id).fetch_one(&db).unwrap();
    assert_eq!(found, acme);
    let missing = vendor_profile::Table.find(-1).fetch_one(&db).unwrap_err();
    assert!(matches!(
        missing,
        Error::NotFound {
            table: "vendor.vendor_profile",
            ..
        }
    ));
    assert!(
        missing
            .to_string()
            .starts_with("no row of `vendor.vendor_profile` matched")
    );
    assert_eq!(
        vendor_profile::Table.find(-1).fetch_optional(&db).unwrap(),
        None
    );
    assert_eq!(
        vendor_profile::Table
            .find(acme.id)
            .fetch_optional(&db)
            .unwrap(),
        Some(acme)
    );
}

#[pg_sections::test]
fn joins_follow_foreign_keys_inner_and_left(conn: Connection) {
    let (db, acme, bolt) = stocked(&conn);
    let joined = vendor_inventory::Table
        .select()
        .inner_join(vendor_profile::Table)
        .filter(vendor_profile::business_name.eq("Bolt"))
        .fetch_all(&db)
        .unwrap();
    assert_eq!(joined.len(), 1);
    let (item, owner) = &joined[0];
    assert_eq!(item.sku.as_deref(), Some("B-1"));
    assert_eq!(owner, &bolt);

    let empty = vendor_profile::Table
        .insert(new_vendor("Empty"))
        .returning()
        .fetch_one(&db)
        .unwrap();
    let left = vendor_profile::Table
        .select()
        .left_join(vendor_inventory::Table)
        .order_by(vendor_profile::id.asc())
        .order_by(vendor_inventory::sku.asc())
        .fetch_all(&db)
        .unwrap();
    assert_eq!(left.len(), 5);
    assert_eq!(left[0].0, acme);
    assert!(left[0].1.is_some());
    let last = left.last().unwrap();
    assert_eq!(last.0, empty);
    assert_eq!(last.1, None, "a vendor without stock has no inventory row");

    let two_hops = customer_order::Table
        .select()
        .inner_join(customer_profile::Table)
        .to_sql();
    assert_eq!(
        two_hops.text,
        format!(
            "SELECT {} , {} FROM \"customer\".\"customer_order\" INNER JOIN \"customer\".\"customer_profile\" ON \"customer_order\".\"customer_id\" = \"customer_profile\".\"id\"",
            customer_order::Table::COLUMN_LIST,
            customer_profile::Table::COLUMN_LIST
        )
        .replace(" , ", ", ")
    );
}

#[pg_sections::test]
fn updates_and_deletes_with_filters_and_returning(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let changed = vendor_inventory::Table
        .update()
        .set(vendor_inventory::quantity, 99)
        .set(vendor_inventory::location, "Shelf 4")
        .filter(vendor_inventory::vendor_id.eq(acme.id))
        .filter(vendor_inventory::quantity.eq(0))
        .returning()
        .fetch_all(&db)
        .unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].quantity, 99);
    assert_eq!(changed[0].location.as_deref(), Some("Shelf 4"));

    let cleared = vendor_inventory::Table
        .update()
        .set_null(vendor_inventory::location)
        .execute(&db)
        .unwrap();
    assert_eq!(cleared, 4);

    let item = changed[0].clone();
    let by_key = vendor_inventory::Table
        .update_by_key(item.id)
        .set(vendor_inventory::quantity, 1)
        .returning()
        .fetch_one(&db)
        .unwrap();
    assert_eq!(by_key.quantity, 1);

    let gone = vendor_inventory::Table
        .delete()
        .filter(vendor_inventory::quantity.gt(10))
        .returning()
        .fetch_all(&db)
        .unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].sku.as_deref(), Some("A-3"));
    assert_eq!(
        vendor_inventory::Table
            .delete_by_key(item.id)
            .execute(&db)
            .unwrap(),
        1
    );
    assert_eq!(
        vendor_inventory::Table
            .delete_by_key(item.id)
            .execute(&db)
            .unwrap(),
        0
    );
    assert_eq!(vendor_inventory::Table.select().count(&db).unwrap(), 2);
}

#[pg_sections::test]
fn upserts_do_nothing_or_update(conn: Connection) {
    let db = conn.db::<Customer>();
    let new = |email: &str, name: &str| customer::NewCustomerProfile {
        id: None,
        public_id: None,
        email: email.to_owned(),
        full_name: Some(name.to_owned()),
        phone: None,
        marketing_opt_in: None,
        created_at: None,
        updated_at: None,
    };
    customer_profile::Table
        .insert(new("ada@example.com", "Ada"))
        .execute(&db)
        .unwrap();
    let skipped = customer_profile::Table
        .insert(new("ada@example.com", "Not Ada"))
        .on_conflict((customer_profile::email,))
        .do_nothing()
        .returning()
        .fetch_optional(&db)
        .unwrap();
    assert_eq!(skipped, None);
    let upserted = customer_profile::Table
        .insert(new("ada@example.com", "Ada Lovelace"))
        .on_conflict((customer_profile::email,))
        .do_update(
            pg_sections::Assignments::new()
                .excluded(customer_profile::full_name)
                .set(customer_profile::marketing_opt_in, true),
        )
        .returning()
        .fetch_one(&db)
        .unwrap();
    assert_eq!(upserted.full_name.as_deref(), Some("Ada Lovelace"));
    assert!(upserted.marketing_opt_in);
    assert_eq!(customer_profile::Table.select().count(&db).unwrap(), 1);
}

#[pg_sections::test]
fn pagination_returns_rows_and_total(conn: Connection) {
    let db = conn.db::<Core>();
    let rows: Vec<_> = (0..23)
        .map(|i| core::NewManufacturer {
            id: None,
            public_id: None,
            name: format!("Maker {i:02}"),
            country_code: None,
            website: None,
            tags: None,
            attributes: None,
            created_at: None,
            updated_at: None,
        })
        .collect();
    manufacturer::Table.insert_many(rows).execute(&db).unwrap();
    let page = manufacturer::Table
        .select()
        .filter(manufacturer::name.like("Maker%"))
        .order_by(manufacturer::name.asc())
        .paginate(&db, 3, 10)
        .unwrap();
    assert_eq!(page.total, 23);
    assert_eq!(page.pages(), 3);
    assert_eq!(page.page, 3);
    let names: Vec<_> = page.rows.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Maker 20", "Maker 21", "Maker 22"]);
}

#[pg_sections::test]
fn streaming_reads_large_results_in_batches(conn: Connection) {
    let db = conn.db::<Core>();
    conn.batch_execute(
        "INSERT INTO core.manufacturer (name) SELECT 'm' || g FROM generate_series(1, 2500) g",
    )
    .unwrap();
    let stream = manufacturer::Table
        .select()
        .order_by(manufacturer::id.asc())
        .fetch_stream(&db, 1000)
        .unwrap();
    let mut seen = 0;
    let mut last = 0;
    for row in stream {
        let row = row.unwrap();
        assert!(row.id > last);
        last = row.id;
        seen += 1;
    }
    assert_eq!(seen, 2500);
    // The stream's own transaction ended with it: the connection is usable.
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 2500);
    let filtered: Vec<_> = manufacturer::Table
        .select()
        .filter(manufacturer::name.eq("m42"))
        .fetch_stream(&db, 10)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(filtered.len(), 1);
}

#[pg_sections::test]
fn transactions_commit_roll_back_on_error_and_on_panic(conn: Connection) {
    let db = conn.db::<Vendor>();
    db.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Kept"))
            .execute(tx)?;
        Ok::<_, Error>(())
    })
    .unwrap();
    let failed: Result<(), Error> = db.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Lost"))
            .execute(tx)?;
        vendor_profile::Table.find(-1).fetch_one(tx)?;
        Ok(())
    });
    assert!(matches!(failed, Err(Error::NotFound { .. })));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.transaction(|tx| {
            vendor_profile::Table
                .insert(new_vendor("Panicked"))
                .execute(tx)?;
            panic!("boom");
            #[allow(unreachable_code, reason = "the closure must return a Result")]
            Ok::<_, Error>(())
        })
    }));
    assert!(panicked.is_err());
    let names: Vec<(String,)> = vendor_profile::Table
        .select()
        .columns((vendor_profile::business_name,))
        .fetch_all(&db)
        .unwrap();
    assert_eq!(names, [("Kept".to_owned(),)]);

    // Nested transactions are savepoints: the inner failure keeps the outer work.
    db.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Outer"))
            .execute(tx)?;
        let inner: Result<(), Error> = tx.transaction(|tx| {
            vendor_profile::Table
                .insert(new_vendor("Inner"))
                .execute(tx)?;
            Err(Error::Busy)
        });
        assert!(inner.is_err());
        Ok::<_, Error>(())
    })
    .unwrap();
    assert_eq!(vendor_profile::Table.select().count(&db).unwrap(), 2);
}

#[pg_sections::test]
fn one_transaction_spans_sections_of_one_database(conn: Connection) {
    let (core_db, vendor_db) = (conn.db::<Core>(), conn.db::<Vendor>());
    let result: Result<(), Error> = conn.transaction(|| {
        manufacturer::Table
            .insert(core::NewManufacturer {
                id: None,
                public_id: None,
                name: "Spanning".into(),
                country_code: None,
                website: None,
                tags: None,
                attributes: None,
                created_at: None,
                updated_at: None,
            })
            .execute(&core_db)?;
        vendor_profile::Table
            .insert(new_vendor("Spanning"))
            .execute(&vendor_db)?;
        // A unique violation in the second section undoes the first as well.
        vendor_profile::Table
            .insert(vendor::NewVendorProfile {
                id: Some(1),
                ..new_vendor("Clash")
            })
            .execute(&vendor_db)?;
        Ok(())
    });
    let err = result.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
    );
    assert!(
        err.to_string()
            .contains("query on `vendor.vendor_profile` failed")
    );
    assert_eq!(manufacturer::Table.select().count(&core_db).unwrap(), 0);
    assert_eq!(vendor_profile::Table.select().count(&vendor_db).unwrap(), 0);
}

#[test]
fn sections_in_different_databases_use_a_connection_each() {
    let (core_side, vendor_side) = (migrated(), migrated());
    let core_db: Db<Core> = Db::connect(core_side.url()).unwrap();
    let vendor_db: Db<Vendor> = Db::connect(vendor_side.url()).unwrap();
    vendor_profile::Table
        .insert(new_vendor("Far"))
        .execute(&vendor_db)
        .unwrap();
    assert_eq!(vendor_profile::Table.select().count(&vendor_db).unwrap(), 1);
    assert_eq!(model::Table.select().count(&core_db).unwrap(), 0);
    let other = Connection::from_client(vendor_side.connect()).db::<Vendor>();
    assert_eq!(vendor_profile::Table.select().count(&other).unwrap(), 1);
}

#[pg_sections::test]
fn a_repeated_query_is_prepared_once(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let before = conn.cache_stats().unwrap();
    for quantity in 0..20 {
        vendor_inventory::Table
            .select()
            .filter(vendor_inventory::vendor_id.eq(acme.id))
            .filter(vendor_inventory::quantity.gt(quantity))
            .fetch_all(&db)
            .unwrap();
    }
    let after = conn.cache_stats().unwrap();
    assert_eq!(after.prepared - before.prepared, 1);
    assert_eq!(after.hits - before.hits, 19);

    // The server agrees: one prepared statement with that text.
    let sql = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::vendor_id.eq(0))
        .filter(vendor_inventory::quantity.gt(0))
        .to_sql()
        .text;
    let prepared = conn
        .with_client(|c| {
            c.query_one(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1",
                &[&sql],
            )
            .map(|r| r.get::<_, i64>(0))
        })
        .unwrap()
        .unwrap();
    assert_eq!(prepared, 1);
}

#[pg_sections::test]
fn the_statement_cache_is_bounded(client: postgres::Client) {
    let conn = Connection::with_cache_capacity(client, 3);
    let db = conn.db::<Core>();
    for limit in 1..=4 {
        // Four different statements per round; the limit and offset are parameters.
        manufacturer::Table
            .select()
            .limit(limit)
            .fetch_all(&db)
            .unwrap();
        manufacturer::Table
            .select()
            .offset(limit)
            .fetch_all(&db)
            .unwrap();
        manufacturer::Table
            .select()
            .filter(manufacturer::id.eq(1))
            .fetch_all(&db)
            .unwrap();
        manufacturer::Table
            .select()
            .filter(manufacturer::id.gt(1))
            .fetch_all(&db)
            .unwrap();
    }
    let stats = conn.cache_stats().unwrap();
    assert_eq!(stats.cached, 3, "never more than the capacity");
    assert_eq!(stats.prepared + stats.hits, 16);
    assert!(stats.prepared > 4, "evicted statements were prepared again");
}

#[pg_sections::test]
fn values_that_look_like_sql_are_stored_verbatim(conn: Connection) {
    let db = conn.db::<Vendor>();
    let nasty = [
        "Robert'); DROP TABLE vendor.vendor_profile; --",
        "\" OR 1=1 --",
        "$1 $2 $$ \\ \0x",
        "ünïcödé ☃",
    ];
    for name in nasty {
        let name = name.replace('\0', "");
        let stored = vendor_profile::Table
            .insert(new_vendor(&name))
            .returning()
            .fetch_one(&db)
            .unwrap();
        assert_eq!(stored.business_name, name);
        let found = vendor_profile::Table
            .select()
            .filter(vendor_profile::business_name.eq(name.as_str()))
            .fetch_one(&db)
            .unwrap();
        assert_eq!(found.business_name, name);
    }
    assert_eq!(vendor_profile::Table.select().count(&db).unwrap(), 4);
}

#[pg_sections::test]
fn a_null_where_the_schema_says_not_null_names_the_column(conn: Connection) {
    let db = conn.db::<Vendor>();
    vendor_profile::Table
        .insert(new_vendor("Drifted"))
        .execute(&db)
        .unwrap();
    conn.batch_execute(
        "ALTER TABLE vendor.vendor_profile ALTER COLUMN business_name DROP NOT NULL;
             UPDATE vendor.vendor_profile SET business_name = NULL;",
    )
    .unwrap();
    let err = vendor_profile::Table.select().fetch_all(&db).unwrap_err();
    assert!(matches!(
        err,
        Error::UnexpectedNull {
            relation: "vendor.vendor_profile",
            column: "business_name"
        }
    ));
}

#[pg_sections::test]
fn database_errors_carry_the_sql_and_the_table(conn: Connection) {
    let db = conn.db::<Customer>();
    let err = customer_order::Table
        .insert(customer::NewCustomerOrder {
            id: None,
            public_id: None,
            customer_id: 12345,
            status: Some(customer::OrderStatus::Paid),
            total: None,
            placed_at: None,
            shipping_address: None,
            created_at: None,
            updated_at: None,
            notes: None,
        })
        .execute(&db)
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION)
    );
    let Error::Database { table, sql, .. } = &err else {
        panic!("expected a database error, got {err:?}");
    };
    assert_eq!(*table, "customer.customer_order");
    assert!(sql.starts_with("INSERT INTO \"customer\".\"customer_order\""));
}

#[test]
fn generated_sql_is_quoted_qualified_and_parameterised() {
    let q = vendor_inventory::Table
        .select()
        .filter(vendor_inventory::vendor_id.eq(7))
        .filter(
            vendor_inventory::sku
                .is_in(["a", "b"])
                .or(vendor_inventory::location.is_null()),
        )
        .order_by(vendor_inventory::price.desc().nulls_last())
        .limit(20);
    let sql = q.to_sql();
    assert_eq!(sql.params, 3);
    assert_eq!(
        sql.text,
        format!(
            "SELECT {} FROM \"vendor\".\"vendor_inventory\" WHERE (\"vendor_inventory\".\"vendor_id\" = $1 AND (\"vendor_inventory\".\"sku\" = ANY($2) OR \"vendor_inventory\".\"location\" IS NULL)) ORDER BY \"vendor_inventory\".\"price\" DESC NULLS LAST LIMIT $3",
            vendor_inventory::Table::COLUMN_LIST
        )
    );
    let insert = vendor_profile::Table.insert(new_vendor("x")).to_sql();
    assert_eq!(
        insert.text,
        // The columns left to their default in every row are left out.
        "INSERT INTO \"vendor\".\"vendor_profile\" (\"business_name\", \"contact_email\", \"website\", \"rating\") VALUES ($1, $2, $3, $4)"
    );
    let update = vendor_inventory::Table
        .update_by_key(3)
        .set(vendor_inventory::quantity, 1)
        .to_sql();
    assert_eq!(
        update.text,
        "UPDATE \"vendor\".\"vendor_inventory\" SET \"quantity\" = $1 WHERE \"vendor_inventory\".\"id\" = $2"
    );
    let delete = part::Table.delete_by_key(9_i64).returning().to_sql();
    assert!(delete.text.starts_with(
        "DELETE FROM \"core\".\"part\" WHERE \"part\".\"id\" = $1 RETURNING \"part\".\"id\", "
    ));
}

#[pg_sections::test]
fn pinned_search_path_follows_the_section_of_each_query(conn: Connection) {
    let show = |conn: &Connection| -> String {
        conn.with_client(|c| c.query_one("SHOW search_path", &[]).unwrap().get(0))
            .unwrap()
    };
    let vendor_db = conn.db::<Vendor>();
    let core_db = conn.db::<Core>();
    vendor_profile::Table.select().count(&vendor_db).unwrap();
    assert_eq!(show(&conn), "\"$user\", public", "off by default");
    conn.pin_search_path(true).unwrap();
    vendor_profile::Table.select().count(&vendor_db).unwrap();
    assert_eq!(show(&conn), "vendor");
    manufacturer::Table.select().count(&core_db).unwrap();
    assert_eq!(show(&conn), "core");
    // Raw SQL now resolves unqualified names in the section's schema.
    let unqualified: i64 = conn
        .with_client(|c| {
            c.query_one("SELECT count(*) FROM manufacturer", &[])
                .unwrap()
                .get(0)
        })
        .unwrap();
    assert_eq!(unqualified, 0);
}

#[pg_sections::test]
fn inserting_no_rows_sends_nothing(conn: Connection) {
    let db = conn.db::<Vendor>();
    let none: Vec<vendor::NewVendorProfile> = Vec::new();
    assert_eq!(
        vendor_profile::Table
            .insert_many(none.clone())
            .execute(&db)
            .unwrap(),
        0
    );
    assert!(
        vendor_profile::Table
            .insert_many(none.clone())
            .returning()
            .fetch_all(&db)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        vendor_profile::Table
            .insert_many(none)
            .returning()
            .fetch_optional(&db)
            .unwrap(),
        None
    );
}

#[pg_sections::test]
fn server_side_arithmetic_and_row_locks(conn: Connection) {
    let (db, acme, _) = stocked(&conn);
    let update = vendor_inventory::Table
        .update()
        .add(vendor_inventory::quantity, -2)
        .filter(vendor_inventory::sku.eq("A-1"));
    assert_eq!(
        update.to_sql().text,
        "UPDATE \"vendor\".\"vendor_inventory\" SET \"quantity\" = \"quantity\" + $1 WHERE \"vendor_inventory\".\"sku\" = $2"
    );
    let after = update.returning().fetch_one(&db).unwrap();
    assert_eq!(after.quantity, 3);
    let locked = db
        .transaction(|tx| {
            vendor_inventory::Table
                .select()
                .filter(vendor_inventory::vendor_id.eq(acme.id))
                .for_update()
                .fetch_all(tx)
        })
        .unwrap();
    assert_eq!(locked.len(), 3);
    assert!(
        vendor_inventory::Table
            .select()
            .for_share()
            .to_sql()
            .text
            .ends_with(" FOR SHARE")
    );
}
