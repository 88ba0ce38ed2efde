//! The generated structs, enums and column types read real PostgreSQL rows.

use pg_sections::{FromRow, Insertable, PgEnum, Table};
use tests::bundled::{customer, vendor};
use tests::every_statement::shop;

fn select_all<T: Table>() -> String {
    let columns: Vec<String> = T::COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
    format!("SELECT {} FROM {}", columns.join(", "), T::QUALIFIED_NAME)
}

#[pg_sections::test]
fn rows_decode_into_generated_structs(mut client: postgres::Client) {
    client
        .batch_execute(
            "INSERT INTO vendor.vendor_profile (business_name, contact_email)
             VALUES ('Parts & Co', 'a@example.com');
             INSERT INTO vendor.vendor_inventory (vendor_id, core_part_public_id, condition, quantity, price, sku)
             VALUES (1, gen_random_uuid(), 'used', 7, 12.50, 'SKU-1');",
        )
        .unwrap();
    let rows = client
        .query(&select_all::<vendor::vendor_inventory::Table>(), &[])
        .unwrap();
    let item = vendor::VendorInventory::from_row(&rows[0]).unwrap();
    assert_eq!(item.quantity, 7);
    assert_eq!(item.condition, vendor::ItemCondition::Used);
    assert_eq!(item.price.to_string(), "12.50");
    assert_eq!(item.sku.as_deref(), Some("SKU-1"));
    assert_eq!(vendor::vendor_inventory::quantity.name(), "quantity");
    assert_eq!(
        vendor::vendor_inventory::quantity.index(),
        vendor::vendor_inventory::Table::COLUMNS
            .iter()
            .position(|c| *c == "quantity")
            .unwrap()
    );
}

#[pg_sections::test]
fn enums_round_trip_as_parameters(mut client: postgres::Client) {
    for status in customer::OrderStatus::ALL {
        let row = client
            .query_one("SELECT $1::customer.order_status", &[status])
            .unwrap();
        let back: customer::OrderStatus = row.get(0);
        assert_eq!(back, *status);
        assert_eq!(status.to_string(), status.label());
    }
    let labels: Vec<String> = client
        .query(
            "SELECT enumlabel::text FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
             JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = 'customer' AND t.typname = 'order_status' ORDER BY e.enumsortorder",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let ours: Vec<&str> = customer::OrderStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(
        labels, ours,
        "the DDL source folded the labels in server order"
    );
    assert_eq!(
        "shipped".parse::<customer::OrderStatus>(),
        Ok(customer::OrderStatus::Shipped)
    );
    let err = "lost".parse::<customer::OrderStatus>().unwrap_err();
    assert!(
        err.to_string()
            .contains("'lost' is not a label of enum `customer.order_status`")
    );
}

#[pg_sections::test]
fn a_null_in_a_not_null_column_is_an_error_naming_the_column(mut client: postgres::Client) {
    client
        .batch_execute(
            "INSERT INTO vendor.vendor_profile (business_name, contact_email)
             VALUES ('Parts & Co', 'a@example.com');",
        )
        .unwrap();
    // The database drifted from the generated code: the column became nullable.
    client
        .batch_execute(
            "ALTER TABLE vendor.vendor_profile ALTER COLUMN business_name DROP NOT NULL;
             UPDATE vendor.vendor_profile SET business_name = NULL;",
        )
        .unwrap();
    let rows = client
        .query(&select_all::<vendor::vendor_profile::Table>(), &[])
        .unwrap();
    let err = vendor::VendorProfile::from_row(&rows[0]).unwrap_err();
    assert!(matches!(
        err,
        pg_sections::Error::UnexpectedNull {
            relation: "vendor.vendor_profile",
            column: "business_name"
        }
    ));
    assert!(
        err.to_string()
            .contains("`vendor.vendor_profile.business_name` is NULL")
    );
}

#[pg_sections::test(migrations = false)]
fn every_supported_type_decodes(mut client: postgres::Client) {
    tests::apply_migrations(
        &mut client,
        std::path::Path::new("../codegen/tests/golden/every_statement/sections"),
    );
    client
        .batch_execute(
            "INSERT INTO shop.every_type (small, span, address, int_list, moods, quantity, contact, labels, raw, doc, at_time, day, at_timestamp)
             VALUES (3, '1 mon 2 days 00:00:03', '10.0.0.1', '{1,2}', '{happy,ok}', 5, 'x@y.z', '{red}', '\\x0102', '[1]', '12:30', '2025-01-02', '2025-01-02 03:04:05');",
        )
        .unwrap();
    let rows = client
        .query(&select_all::<shop::every_type::Table>(), &[])
        .unwrap();
    let row = shop::EveryType::from_row(&rows[0]).unwrap();
    assert_eq!(row.small, 3);
    assert_eq!(row.regular, 0);
    assert_eq!(row.span, Some(pg_sections::Interval::new(1, 2, 3_000_000)));
    assert_eq!(row.address, Some("10.0.0.1".parse().unwrap()));
    assert_eq!(row.int_list, Some(vec![1, 2]));
    assert_eq!(row.moods, Some(vec![shop::Mood::Happy, shop::Mood::Ok]));
    assert_eq!(row.mood, shop::Mood::Ok);
    // A NOT NULL domain makes the field non-optional even though the column is nullable.
    assert_eq!(row.quantity, 5);
    assert_eq!(row.labels, Some(vec!["red".to_owned()]));
    assert_eq!(row.raw, Some(vec![1, 2]));
    assert_eq!(row.doubled, Some(0));
    assert_eq!(row.doc, Some(pg_sections::serde_json::json!([1])));
    assert_eq!(
        row.day.map(|d| d.to_string()),
        Some("2025-01-02".to_owned())
    );
    let interval: pg_sections::Interval = client
        .query_one(
            "SELECT $1::interval",
            &[&pg_sections::Interval::new(-1, 0, 5)],
        )
        .unwrap()
        .get(0);
    assert_eq!(interval, pg_sections::Interval::new(-1, 0, 5));
}

/// The scalars `postgres-types` does not map read what the server wrote,
/// and what they write reads back on the server as the same text.
#[pg_sections::test(migrations = false)]
fn scalars_without_a_postgres_types_mapping_round_trip(mut client: postgres::Client) {
    tests::apply_migrations(
        &mut client,
        std::path::Path::new("../codegen/tests/golden/every_statement/sections"),
    );
    client
        .batch_execute(
            "INSERT INTO shop.every_type (small, quantity, cash, mac, mac8, spot, flags, more_flags, page, lsn, cash_list)
             VALUES (1, 1, '12.34', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '(1.5,-2)', B'1010',
                     B'110', '<a>b</a>', '16/B374D848', '{1.00,2.50}');",
        )
        .unwrap();
    let rows = client
        .query(&select_all::<shop::every_type::Table>(), &[])
        .unwrap();
    let row = shop::EveryType::from_row(&rows[0]).unwrap();
    assert_eq!(row.cash, Some(pg_sections::Money(1234)));
    assert_eq!(
        row.mac.map(|m| m.to_string()),
        Some("08:00:2b:01:02:03".to_owned())
    );
    assert_eq!(
        row.mac8.map(|m| m.to_string()),
        Some("08:00:2b:01:02:03:04:05".to_owned())
    );
    assert_eq!(row.spot, Some(pg_sections::Point { x: 1.5, y: -2.0 }));
    assert_eq!(
        row.flags.as_ref().map(ToString::to_string),
        Some("1010".to_owned())
    );
    assert_eq!(
        row.more_flags.as_ref().map(ToString::to_string),
        Some("110".to_owned())
    );
    assert_eq!(row.page, Some(pg_sections::Xml("<a>b</a>".to_owned())));
    assert_eq!(
        row.lsn.map(|l| l.to_string()),
        Some("16/B374D848".to_owned())
    );
    assert_eq!(
        row.cash_list,
        Some(vec![pg_sections::Money(100), pg_sections::Money(250)])
    );
    // Written by us, printed by the server.
    let printed: Vec<String> = client
        .query_one(
            "SELECT $1::money::text, $2::macaddr::text, $3::macaddr8::text, $4::point::text,
                    $5::bit(3)::text, $6::varbit::text, $7::xml::text",
            &[
                &pg_sections::Money(-5),
                &pg_sections::MacAddr([1, 2, 3, 4, 5, 0xff]),
                &pg_sections::MacAddr8([1, 2, 3, 4, 5, 6, 7, 8]),
                &pg_sections::Point { x: 0.25, y: 3.0 },
                &pg_sections::Bits::from_bools(&[true, false, true]),
                &pg_sections::Bits::from_bools(&[false; 9]),
                &pg_sections::Xml("<x/>".to_owned()),
            ],
        )
        .map(|row| (0..7).map(|i| row.get(i)).collect())
        .unwrap();
    assert_eq!(
        printed,
        [
            "-$0.05",
            "01:02:03:04:05:ff",
            "01:02:03:04:05:06:07:08",
            "(0.25,3)",
            "101",
            "000000000",
            "<x/>"
        ]
    );
}

#[test]
fn insert_structs_leave_server_filled_columns_optional() {
    let new = vendor::NewVendorInventory {
        id: None,
        public_id: None,
        vendor_id: 1,
        core_part_public_id: pg_sections::uuid::Uuid::nil(),
        condition: None,
        quantity: None,
        price: pg_sections::rust_decimal::Decimal::new(1250, 2),
        sku: Some("SKU".into()),
        location: None,
        is_available: None,
        created_at: None,
        updated_at: None,
        for_parts_note: None,
    };
    let mut values = Vec::new();
    new.values(&mut values);
    assert_eq!(values.len(), vendor::NewVendorInventory::COLUMNS.len());
    let defaults: Vec<&str> = vendor::NewVendorInventory::COLUMNS
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(c, _)| *c)
        .collect();
    assert_eq!(
        defaults,
        [
            "id",
            "public_id",
            "condition",
            "quantity",
            "is_available",
            "created_at",
            "updated_at"
        ]
    );
    // Identity ALWAYS and generated columns cannot be inserted, so they are not fields.
    assert!(!shop::NewEveryType::COLUMNS.contains(&"doubled"));
    assert!(!shop::NewCustomer::COLUMNS.contains(&"id"));
}

/// Every golden case that the DDL source accepts is SQL PostgreSQL accepts:
/// the fixtures do not drift into a dialect of our own.
#[test]
fn accepted_golden_migrations_apply_on_postgres() {
    let golden = std::path::Path::new("../codegen/tests/golden");
    let mut applied = 0;
    let mut cases: Vec<_> = std::fs::read_dir(golden)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut newer = Vec::new();
    for case in cases {
        if !case.join("expected.rs").exists() {
            continue;
        }
        let db = pg_sections::testing::database();
        let mut client = db.connect();
        // A case of a newer server's forms (`needs-postgres`: its major
        // version) cannot apply on an older one.
        if tests::needs_newer_server(&case, &mut client) {
            newer.push(case.display().to_string());
            continue;
        }
        tests::apply_migrations(&mut client, &case.join("sections"));
        applied += 1;
    }
    assert!(applied >= 6, "applied {applied} golden cases");
    assert!(
        newer.len() <= 1,
        "cases only a newer server applies: {newer:?}; the DDL source reads them all the same"
    );
}

#[pg_sections::test(migrations = false)]
fn the_time_crate_mapping_reads_the_same_rows(mut client: postgres::Client) {
    tests::apply_migrations(
        &mut client,
        std::path::Path::new("../codegen/tests/golden/every_statement/sections"),
    );
    client
        .batch_execute(
            "INSERT INTO shop.every_type (small, quantity, day, at_time, at_timestamp)
             VALUES (1, 1, '2025-01-02', '12:30', '2025-01-02 03:04:05');",
        )
        .unwrap();
    let rows = client
        .query(
            &select_all::<tests::every_statement_time::shop::every_type::Table>(),
            &[],
        )
        .unwrap();
    let row = tests::every_statement_time::shop::EveryType::from_row(&rows[0]).unwrap();
    let day: Option<pg_sections::time::Date> = row.day;
    assert_eq!(day.map(|d| d.to_string()), Some("2025-01-02".to_owned()));
    let at: pg_sections::time::OffsetDateTime = row.at_timestamptz;
    assert!(at.year() >= 2025);
}

#[test]
fn serde_rows_use_sql_names_and_enum_labels() {
    let order = customer::CustomerOrder {
        id: 1,
        public_id: pg_sections::uuid::Uuid::nil(),
        customer_id: 2,
        status: customer::OrderStatus::Shipped,
        total: pg_sections::rust_decimal::Decimal::new(1999, 2),
        placed_at: None,
        shipping_address: None,
        created_at: pg_sections::chrono::DateTime::UNIX_EPOCH,
        updated_at: pg_sections::chrono::DateTime::UNIX_EPOCH,
        notes: None,
    };
    let json = pg_sections::serde_json::to_value(&order).unwrap();
    assert_eq!(json["status"], "shipped");
    assert_eq!(json["customer_id"], 2);
    let back: customer::CustomerOrder = pg_sections::serde_json::from_value(json).unwrap();
    assert_eq!(back, order);
}

/// The `ui` package's cases compile against generated code committed in
/// `tests/ui/src/` (trybuild builds them without a build script): it is
/// what codegen writes today for the bundled sections and the team
/// fixture, and the manifest `#[section]` reads there is theirs.
/// `UPDATE_GOLDEN=1` rewrites the files.
#[test]
fn the_ui_cases_compile_against_the_code_generated_today() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src");
    let bundled = codegen::Config::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../sections"))
        .generate_in_memory()
        .unwrap();
    let teams = codegen::Config::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/teams/sections"
    ))
    .generate_in_memory()
    .unwrap();
    let files = [
        ("bundled.rs", bundled.single_file()),
        ("bundled.manifest", bundled.manifest()),
        ("teams.rs", teams.single_file()),
    ];
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for (name, expected) in files {
        let path = ui.join(name);
        if update {
            std::fs::write(&path, &expected).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == expected,
            "tests/ui/src/{name} is not what codegen writes today: \
             rerun with UPDATE_GOLDEN=1 and commit it"
        );
    }
}
