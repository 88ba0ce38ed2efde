//! The runtime where things go wrong, on a real PostgreSQL: transactions
//! whose statements failed, servers that never answer, schema changes under
//! cached statements, queries while a stream is open, very large filters,
//! pages and inserts, and user text in `LIKE` patterns.

use std::net::TcpListener;

use pg_sections::blocking::{Connection, Db};
use pg_sections::testing::{FromTestDatabase, TestDatabase};
use pg_sections::{Error, Page, Table};
use postgres::error::SqlState;
use tests::bundled::core::{self, Core, manufacturer};
use tests::bundled::vendor::{self, Vendor, vendor_profile};

/// A connection to the test's database, and the database, on which other
/// sessions connect.
struct Fixture {
    db: TestDatabase,
    conn: Connection,
}

impl FromTestDatabase for Fixture {
    fn from_test_database(db: &TestDatabase) -> Self {
        Fixture {
            conn: Connection::from_client(db.connect()),
            db: db.clone(),
        }
    }
}

impl Fixture {
    /// Rows of `table` as another session sees them: what was committed.
    fn committed(&self, table: &str) -> i64 {
        self.db
            .connect()
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0)
    }

    /// DDL from another session.
    fn elsewhere(&self, sql: &str) {
        self.db.connect().batch_execute(sql).unwrap();
    }
}

fn new_vendor(name: &str) -> vendor::NewVendorProfile {
    vendor::NewVendorProfile {
        contact_email: Some(format!("{}@example.com", name.to_lowercase())),
        ..vendor::NewVendorProfile::new(name)
    }
}

/// A vendor whose id is taken once a first one was inserted.
fn clashing_vendor(name: &str) -> vendor::NewVendorProfile {
    vendor::NewVendorProfile {
        id: Some(1000),
        ..new_vendor(name)
    }
}

fn new_maker(name: &str) -> core::NewManufacturer {
    core::NewManufacturer {
        id: None,
        public_id: None,
        name: name.to_owned(),
        country_code: None,
        website: None,
        tags: None,
        attributes: None,
        created_at: None,
        updated_at: None,
    }
}

fn vendor_names(db: &Db<Vendor>) -> Vec<String> {
    vendor_profile::Table
        .select()
        .columns((vendor_profile::business_name,))
        .order_by(vendor_profile::business_name.asc())
        .fetch_all(db)
        .unwrap()
        .into_iter()
        .map(|(name,)| name)
        .collect()
}

fn maker_names(db: &Db<Core>, filter: pg_sections::Expr<manufacturer::Table>) -> Vec<String> {
    manufacturer::Table
        .select()
        .columns((manufacturer::name,))
        .filter(filter)
        .order_by(manufacturer::name.asc())
        .fetch_all(db)
        .unwrap()
        .into_iter()
        .map(|(name,)| name)
        .collect()
}

/// Runs `f` on a thread with a 2 MiB stack, the size of a test thread.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

// 1. Transactions whose statements failed.

#[pg_sections::test]
fn a_transaction_that_ignored_a_failed_statement_reports_the_rollback(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    vendor_profile::Table
        .insert(clashing_vendor("First"))
        .execute(&db)
        .unwrap();

    let result: Result<(), Error> = f.conn.transaction(|| {
        vendor_profile::Table
            .insert(new_vendor("Lost"))
            .execute(&db)?;
        let _ = vendor_profile::Table
            .insert(clashing_vendor("Clash"))
            .execute(&db);
        Ok(())
    });
    let err = result.unwrap_err();
    let Error::TransactionAborted { cause } = &err else {
        panic!("expected TransactionAborted, got {err:?}");
    };
    assert!(cause.contains("duplicate key"), "{cause}");
    assert!(cause.contains("vendor.vendor_profile"), "{cause}");
    let message = err.to_string();
    assert!(
        message.starts_with("the transaction was rolled back, not committed"),
        "{message}"
    );
    assert!(message.contains("nested `transaction`"), "{message}");

    // The same through a section handle; the connection is usable after.
    let result: Result<(), Error> = db.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Also lost"))
            .execute(tx)?;
        let _ = vendor_profile::Table
            .insert(clashing_vendor("Clash"))
            .execute(tx);
        Ok(())
    });
    assert!(matches!(result, Err(Error::TransactionAborted { .. })));
    assert_eq!(vendor_names(&db), ["First"]);
    assert_eq!(f.committed("vendor.vendor_profile"), 1);

    // A transaction whose statements all succeed still commits.
    db.transaction(|tx| vendor_profile::Table.insert(new_vendor("Kept")).execute(tx))
        .unwrap();
    assert_eq!(f.committed("vendor.vendor_profile"), 2);
}

#[pg_sections::test]
fn a_nested_transaction_that_ignored_a_failure_rolls_back_to_its_savepoint(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    vendor_profile::Table
        .insert(clashing_vendor("First"))
        .execute(&db)
        .unwrap();
    db.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Outer before"))
            .execute(tx)?;
        let inner: Result<(), Error> = tx.transaction(|tx| {
            vendor_profile::Table
                .insert(new_vendor("Inner"))
                .execute(tx)?;
            let _ = vendor_profile::Table
                .insert(clashing_vendor("Clash"))
                .execute(tx);
            Ok(())
        });
        let Err(Error::TransactionAborted { cause }) = inner else {
            panic!("expected TransactionAborted, got {inner:?}");
        };
        assert!(cause.contains("duplicate key"), "{cause}");
        // The outer transaction goes on after the savepoint's rollback.
        vendor_profile::Table
            .insert(new_vendor("Outer after"))
            .execute(tx)?;
        Ok::<_, Error>(())
    })
    .unwrap();
    assert_eq!(vendor_names(&db), ["First", "Outer after", "Outer before"]);
    assert_eq!(f.committed("vendor.vendor_profile"), 3);
}

#[pg_sections::test]
fn a_failure_hidden_in_raw_access_still_prevents_the_commit(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    vendor_profile::Table
        .insert(clashing_vendor("First"))
        .execute(&db)
        .unwrap();
    let clash = "INSERT INTO vendor.vendor_profile (id, business_name) VALUES (1000, 'Raw')";

    let result: Result<(), Error> = f.conn.transaction(|| {
        vendor_profile::Table
            .insert(new_vendor("Lost"))
            .execute(&db)?;
        f.conn.with_client(|client| {
            let _ = client.batch_execute(clash);
        })?;
        Ok(())
    });
    let Err(Error::TransactionAborted { cause }) = &result else {
        panic!("expected TransactionAborted, got {result:?}");
    };
    assert!(cause.contains("with_client"), "{cause}");
    assert_eq!(f.committed("vendor.vendor_profile"), 1);

    // In a nested transaction: rolled back to its savepoint, the outer goes on.
    f.conn
        .transaction(|| {
            let inner: Result<(), Error> = f.conn.transaction(|| {
                vendor_profile::Table
                    .insert(new_vendor("Inner"))
                    .execute(&db)?;
                f.conn.with_client(|client| {
                    let _ = client.batch_execute(clash);
                })
            });
            assert!(matches!(inner, Err(Error::TransactionAborted { .. })));
            vendor_profile::Table
                .insert(new_vendor("Outer"))
                .execute(&db)?;
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(vendor_names(&db), ["First", "Outer"]);

    // Raw access that succeeds commits.
    f.conn
        .transaction(|| {
            f.conn.with_client(|client| {
                client
                    .batch_execute(
                        "INSERT INTO vendor.vendor_profile (business_name) VALUES ('Raw ok')",
                    )
                    .unwrap();
            })?;
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(f.committed("vendor.vendor_profile"), 3);
}

#[pg_sections::test]
fn raw_sql_that_ends_the_transaction_is_reported_not_committed_silently(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    // A ROLLBACK through batch_execute: the closure returns Ok, but the
    // first insert was undone and the second ran outside the transaction.
    let rolled: Result<(), Error> = f.conn.transaction(|| {
        vendor_profile::Table
            .insert(new_vendor("Undone"))
            .execute(&db)?;
        f.conn.batch_execute("ROLLBACK")?;
        vendor_profile::Table
            .insert(new_vendor("Outside"))
            .execute(&db)?;
        Ok(())
    });
    assert!(matches!(rolled, Err(Error::TransactionEnded)), "{rolled:?}");
    assert_eq!(vendor_names(&db), ["Outside"]);

    // A COMMIT (or COMMIT AND CHAIN) through raw SQL, then the closure fails:
    // the caller expects a rollback, and learns the work was committed.
    for commit in ["COMMIT", "COMMIT AND CHAIN"] {
        let failed: Result<(), Error> = f.conn.transaction(|| {
            vendor_profile::Table
                .insert(new_vendor(commit))
                .execute(&db)?;
            f.conn.batch_execute(commit)?;
            Err(Error::NotFound {
                table: "vendor.vendor_profile",
                sql: String::new(),
            })
        });
        assert!(
            matches!(failed, Err(Error::TransactionEnded)),
            "{commit}: {failed:?}"
        );
    }

    // The driver's own transaction inside `with_client` ends ours too.
    let nested_driver: Result<(), Error> = f.conn.transaction(|| {
        vendor_profile::Table
            .insert(new_vendor("Driver"))
            .execute(&db)?;
        f.conn.with_client(|client| {
            let tx = client.transaction().unwrap();
            tx.commit().unwrap();
        })?;
        Ok(())
    });
    assert!(
        matches!(nested_driver, Err(Error::TransactionEnded)),
        "{nested_driver:?}"
    );
    assert!(f.conn.cache_stats().unwrap().prepared > 0);

    // Raw SQL that leaves the transaction alone commits as before.
    f.conn
        .transaction(|| {
            f.conn.batch_execute("SET LOCAL statement_timeout = '5s'")?;
            vendor_profile::Table
                .insert(new_vendor("Kept"))
                .execute(&db)?;
            Ok::<_, Error>(())
        })
        .unwrap();
    assert!(vendor_names(&db).contains(&"Kept".to_owned()));
}

#[pg_sections::test]
fn a_stream_dropped_inside_with_client_still_ends_its_transaction(f: Fixture) {
    let db = f.conn.db::<Core>();
    manufacturer::Table
        .insert_many((0..3).map(|i| new_maker(&format!("m{i}"))))
        .execute(&db)
        .unwrap();
    let stream = manufacturer::Table.select().fetch_stream(&db, 1).unwrap();
    manufacturer::Table
        .insert(new_maker("during"))
        .execute(&db)
        .unwrap();
    f.conn.with_client(move |_| drop(stream)).unwrap();
    // The next call closes the stream and commits its transaction.
    manufacturer::Table
        .insert(new_maker("after"))
        .execute(&db)
        .unwrap();
    assert_eq!(f.committed("core.manufacturer"), 5);
    f.conn
        .transaction(|| manufacturer::Table.insert(new_maker("in tx")).execute(&db))
        .unwrap();
    assert_eq!(f.committed("core.manufacturer"), 6);
}

// 2. Connecting is bounded at every stage.

#[test]
fn connecting_to_a_server_that_never_answers_times_out() {
    // Accepts TCP connections and never says a word.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });

    let url = format!("postgres://app:secret@127.0.0.1:{port}/db?connect_timeout=1");
    let err = Connection::connect(&url).unwrap_err();
    let Error::ConnectTimeout {
        url: shown,
        timeout,
    } = &err
    else {
        panic!("expected ConnectTimeout, got {err:?}");
    };
    assert_eq!(shown, &format!("postgres://app:***@127.0.0.1:{port}/db"));
    assert_eq!(timeout.as_secs(), 1);
    let message = err.to_string();
    assert!(!message.contains("secret"), "{message}");
    assert!(message.contains("no answer within 1 s"), "{message}");
    assert!(message.contains("connect_timeout"), "{message}");

    let key_value =
        format!("host=127.0.0.1 port={port} user=app password=secret dbname=db connect_timeout=1");
    let err = Db::<Vendor>::connect(&key_value).unwrap_err();
    assert!(
        matches!(&err, Error::ConnectTimeout { url, .. } if url == &format!("postgres://app:***@127.0.0.1:{port}/db")),
        "{err:?}"
    );

    // A password given as a query parameter is masked as well.
    let query_password =
        format!("postgres://app@127.0.0.1:{port}/db?password=secret&connect_timeout=1");
    let err = Connection::connect(&query_password).unwrap_err();
    assert!(
        matches!(&err, Error::ConnectTimeout { url, .. } if url == &format!("postgres://app:***@127.0.0.1:{port}/db")),
        "{err:?}"
    );
    // Every other spelling the driver accepts is masked too.
    for spelling in [
        format!(
            "host=127.0.0.1 port={port} user=app password = secret dbname=db connect_timeout=1"
        ),
        format!(
            "host=127.0.0.1 port={port} user=app password='sec ret' dbname=db connect_timeout=1"
        ),
        format!("postgres://app@127.0.0.1:{port}/db?pass%77ord=secret&connect_timeout=1"),
    ] {
        let shown = pg_sections::mask_password(&spelling);
        assert_eq!(
            shown,
            format!("postgres://app:***@127.0.0.1:{port}/db"),
            "{spelling}"
        );
    }
    assert!(!pg_sections::mask_password("postgres://a:secret@[broken").contains("secret"));
    assert_eq!(
        pg_sections::DEFAULT_CONNECT_TIMEOUT,
        std::time::Duration::from_secs(10)
    );
}

#[pg_sections::test]
fn connecting_to_a_real_server_within_the_timeout_works(f: Fixture) {
    let url = format!(
        "{}{}connect_timeout=5",
        f.db.url(),
        if f.db.url().contains("://") {
            if f.db.url().contains('?') { "&" } else { "?" }
        } else {
            " "
        }
    );
    let db = Db::<Vendor>::connect(&url).unwrap();
    assert_eq!(vendor_profile::Table.select().count(&db).unwrap(), 0);
}

// 3. The statement cache survives schema changes.

#[pg_sections::test]
fn cached_statements_survive_a_column_type_change_by_another_session(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    vendor_profile::Table
        .insert(new_vendor("Acme"))
        .execute(&db)
        .unwrap();
    let all = vendor_profile::Table.select();
    assert_eq!(all.fetch_all(&db).unwrap().len(), 1);
    let before = f.conn.cache_stats().unwrap();

    f.elsewhere("ALTER TABLE vendor.vendor_profile ALTER COLUMN business_name TYPE text");
    // Cached with the old result type: prepared again and run once more.
    let rows = all.fetch_all(&db).unwrap();
    assert_eq!(rows[0].business_name, "Acme");
    let after = f.conn.cache_stats().unwrap();
    assert_eq!(after.prepared - before.prepared, 1);
    assert_eq!(all.fetch_all(&db).unwrap().len(), 1);
    assert_eq!(
        f.conn.cache_stats().unwrap().prepared,
        after.prepared,
        "cached again"
    );

    // Writes with RETURNING too; dropped and re-added columns as well.
    let insert = vendor_profile::Table.insert(new_vendor("Bolt"));
    insert.returning().fetch_one(&db).unwrap();
    f.elsewhere(
        "ALTER TABLE vendor.vendor_profile ALTER COLUMN business_name TYPE varchar(300);
         ALTER TABLE vendor.vendor_profile DROP COLUMN website;
         ALTER TABLE vendor.vendor_profile ADD COLUMN website varchar(100);",
    );
    let bolt2 = vendor_profile::Table
        .insert(new_vendor("Bolt 2"))
        .returning()
        .fetch_one(&db)
        .unwrap();
    assert_eq!(bolt2.business_name, "Bolt 2");
    assert_eq!(all.fetch_all(&db).unwrap().len(), 3);
}

#[pg_sections::test]
fn cached_statements_survive_discard_all(f: Fixture) {
    let db = f.conn.db::<Core>();
    let count = manufacturer::Table
        .select()
        .filter(manufacturer::name.eq("x"));
    assert_eq!(count.count(&db).unwrap(), 0);
    f.conn.batch_execute("DISCARD ALL").unwrap();
    // `prepared statement … does not exist`: prepared again.
    assert_eq!(count.count(&db).unwrap(), 0);
    manufacturer::Table
        .insert(new_maker("x"))
        .execute(&db)
        .unwrap();
    f.conn.batch_execute("DEALLOCATE ALL").unwrap();
    assert_eq!(count.count(&db).unwrap(), 1);
    manufacturer::Table
        .insert(new_maker("y"))
        .execute(&db)
        .unwrap();
}

#[pg_sections::test]
fn a_stale_statement_inside_a_transaction_fails_once_then_is_prepared_again(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    vendor_profile::Table
        .insert(new_vendor("Acme"))
        .execute(&db)
        .unwrap();
    let all = vendor_profile::Table.select();
    all.fetch_all(&db).unwrap();
    f.elsewhere("ALTER TABLE vendor.vendor_profile ALTER COLUMN business_name TYPE text");

    // Inside a transaction the failure aborted it: no retry, the error.
    let result: Result<usize, Error> = db.transaction(|tx| Ok(all.fetch_all(tx)?.len()));
    let err = result.unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::FEATURE_NOT_SUPPORTED), "{err}");
    // Evicted: the next use prepares it again and works.
    assert_eq!(all.fetch_all(&db).unwrap().len(), 1);

    // Ignored inside a transaction, it is reported at the end.
    all.fetch_all(&db).unwrap();
    f.elsewhere("ALTER TABLE vendor.vendor_profile ALTER COLUMN business_name TYPE varchar(200)");
    let result: Result<(), Error> = db.transaction(|tx| {
        let _ = all.fetch_all(tx);
        Ok(())
    });
    let Err(Error::TransactionAborted { cause }) = &result else {
        panic!("expected TransactionAborted, got {result:?}");
    };
    assert!(cause.contains("cached plan"), "{cause}");
    assert_eq!(all.fetch_all(&db).unwrap().len(), 1);
}

// 4. Queries while a stream is open.

fn makers(f: &Fixture, n: usize) -> Db<Core> {
    let db = f.conn.db::<Core>();
    manufacturer::Table
        .insert_many((0..n).map(|i| new_maker(&format!("m{i:03}"))))
        .execute(&db)
        .unwrap();
    db
}

/// Reads every row, failing on an error; how many there were.
fn read<R>(rows: impl Iterator<Item = Result<R, Error>>) -> usize {
    rows.map(|row| row.unwrap()).fold(0, |n, _| n + 1)
}

#[pg_sections::test]
fn a_failing_query_while_streaming_leaves_the_connection_and_the_stream_usable(f: Fixture) {
    let db = makers(&f, 30);
    let first = manufacturer::Table
        .select()
        .order_by(manufacturer::id.asc())
        .fetch_one(&db)
        .unwrap();
    let mut stream = manufacturer::Table
        .select()
        .order_by(manufacturer::id.asc())
        .fetch_stream(&db, 4)
        .unwrap();
    let mut seen: Vec<String> = stream
        .by_ref()
        .take(6)
        .map(|row| row.unwrap().name)
        .collect();

    let clash = manufacturer::Table
        .insert(core::NewManufacturer {
            id: Some(first.id),
            ..new_maker("clash")
        })
        .execute(&db)
        .unwrap_err();
    assert_eq!(clash.code(), Some(&SqlState::UNIQUE_VIOLATION));
    // Later statements work: the failure undid itself only.
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 30);
    manufacturer::Table
        .insert(new_maker("during"))
        .execute(&db)
        .unwrap();
    let raw = f.conn.with_client(|client| {
        let _ = client.batch_execute("SELECT 1 / 0");
    });
    assert!(
        matches!(raw, Err(Error::TransactionAborted { .. })),
        "{raw:?}"
    );
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 31);
    // Not committed before the stream's transaction ends.
    assert_eq!(f.committed("core.manufacturer"), 30);

    seen.extend(stream.by_ref().map(|row| row.unwrap().name));
    assert_eq!(seen.len(), 30, "the stream read to its end");
    assert_eq!(seen[29], "m029");
    stream.close().unwrap();
    assert_eq!(f.committed("core.manufacturer"), 31);
}

#[pg_sections::test]
fn a_transaction_while_streaming_nests_in_the_streams_transaction(f: Fixture) {
    let db = makers(&f, 20);
    let vendors = f.conn.db::<Vendor>();
    let mut stream = manufacturer::Table
        .select()
        .order_by(manufacturer::id.asc())
        .fetch_stream(&db, 3)
        .unwrap();
    let mut seen = read(stream.by_ref().take(5));

    f.conn
        .transaction(|| {
            vendor_profile::Table
                .insert(clashing_vendor("Kept"))
                .execute(&vendors)
        })
        .unwrap();
    let failed: Result<(), Error> = vendors.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Rolled back"))
            .execute(tx)?;
        Err(Error::Busy)
    });
    assert!(matches!(failed, Err(Error::Busy)));
    let ignored: Result<(), Error> = vendors.transaction(|tx| {
        vendor_profile::Table
            .insert(new_vendor("Aborted"))
            .execute(tx)?;
        let _ = vendor_profile::Table
            .insert(clashing_vendor("Clash"))
            .execute(tx);
        Ok(())
    });
    assert!(matches!(ignored, Err(Error::TransactionAborted { .. })));

    // The transaction's COMMIT did not end the stream's transaction.
    seen += read(stream.by_ref());
    assert_eq!(seen, 20);
    assert_eq!(
        f.committed("vendor.vendor_profile"),
        0,
        "commits with the stream"
    );
    drop(stream);
    assert_eq!(vendor_names(&vendors), ["Kept"]);
    assert_eq!(f.committed("vendor.vendor_profile"), 1);

    // A stream that ends inside a transaction: its transaction commits
    // when that transaction ends.
    let stream = manufacturer::Table.select().fetch_stream(&db, 50).unwrap();
    f.conn
        .transaction(|| {
            assert_eq!(read(stream), 20);
            vendor_profile::Table
                .insert(new_vendor("Inside"))
                .execute(&vendors)
        })
        .unwrap();
    assert_eq!(f.committed("vendor.vendor_profile"), 2);
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 20);
}

#[pg_sections::test]
fn two_streams_read_side_by_side(f: Fixture) {
    let db = makers(&f, 12);
    let ordered = manufacturer::Table
        .select()
        .order_by(manufacturer::id.asc());
    let mut first = ordered.fetch_stream(&db, 5).unwrap();
    let mut second = ordered.fetch_stream(&db, 2).unwrap();
    let a = first.next().unwrap().unwrap();
    let b = second.next().unwrap().unwrap();
    assert_eq!(a, b);
    drop(first);
    // The first stream's end did not commit the transaction under the second.
    assert_eq!(read(second), 11);
    // Any batch size works, up to all rows at once.
    assert_eq!(read(ordered.fetch_stream(&db, usize::MAX).unwrap()), 12);
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 12);
    // A stream whose query fails leaves nothing open.
    let err = manufacturer::Table
        .select()
        .filter(manufacturer::name.eq("\0"))
        .fetch_stream(&db, 5)
        .err()
        .unwrap();
    assert!(matches!(err, Error::Database { .. }), "{err:?}");
    manufacturer::Table
        .insert(new_maker("after"))
        .execute(&db)
        .unwrap();
    assert_eq!(f.committed("core.manufacturer"), 13);
}

#[pg_sections::test]
fn a_stream_read_after_its_transaction_ended_fails_alone(f: Fixture) {
    let db = makers(&f, 6);
    let ordered = manufacturer::Table
        .select()
        .order_by(manufacturer::id.asc());
    // Opened inside a transaction and read after it committed: its cursor
    // is gone, and reading it must not disturb the stream opened since.
    let mut escaped = f.conn.transaction(|| ordered.fetch_stream(&db, 2)).unwrap();
    let mut healthy = ordered.fetch_stream(&db, 2).unwrap();
    assert!(healthy.next().unwrap().is_ok());
    let err = escaped.next().unwrap().unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::INVALID_CURSOR_NAME), "{err}");
    assert!(escaped.next().is_none());
    drop(escaped);
    assert_eq!(read(healthy), 5);
}

#[pg_sections::test]
fn a_stream_whose_fetch_fails_keeps_the_work_done_meanwhile(f: Fixture) {
    let db = makers(&f, 6);
    let mut stream = manufacturer::Table.select().fetch_stream(&db, 2).unwrap();
    stream.next().unwrap().unwrap();
    manufacturer::Table
        .insert(new_maker("during"))
        .execute(&db)
        .unwrap();
    // Close the cursor under the stream: its next FETCH fails.
    f.conn
        .with_client(|client| {
            let name: String = client
                .query_one("SELECT name FROM pg_cursors WHERE name <> ''", &[])
                .unwrap()
                .get(0);
            client.batch_execute(&format!("CLOSE {name}")).unwrap();
        })
        .unwrap();
    stream.next().unwrap().unwrap();
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::INVALID_CURSOR_NAME), "{err}");
    assert!(stream.next().is_none());
    // The failed FETCH undid itself only: the insert commits with the stream.
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 7);
    stream.close().unwrap();
    assert_eq!(f.committed("core.manufacturer"), 7);
}

// 5. Very large filters.

#[pg_sections::test]
fn fifty_thousand_chained_filters_render_and_run_on_a_small_stack(f: Fixture) {
    let url = f.db.url().to_owned();
    on_small_stack(move || {
        let conn = Connection::connect(&url).unwrap();
        let db = conn.db::<Core>();
        manufacturer::Table
            .insert_many((0..3).map(|i| new_maker(&format!("m{i}"))))
            .execute(&db)
            .unwrap();

        let mut query = manufacturer::Table.select();
        for i in 0..50_000 {
            query = query.filter(manufacturer::id.ne(-i));
        }
        let sql = query.to_sql();
        assert_eq!(sql.params, 50_000);
        assert!(
            sql.text
                .contains("WHERE (\"manufacturer\".\"id\" <> $1 AND ")
        );
        assert!(sql.text.ends_with("\"manufacturer\".\"id\" <> $50000)"));
        assert_eq!(query.fetch_all(&db).unwrap().len(), 3);

        let mut chained = manufacturer::name.is_not_null();
        for _ in 1..50_000 {
            chained = chained.and(manufacturer::website.is_null());
        }
        let mut either = manufacturer::website.is_not_null();
        for _ in 1..50_000 {
            either = either.or(manufacturer::name.eq("m1"));
        }
        let query = manufacturer::Table.select().filter(chained).filter(either);
        assert_eq!(query.to_sql().params, 49_999);
        assert_eq!(query.count(&db).unwrap(), 1);
    });
}

/// Built from the right (`x.or(chain)`), a chain flattens like one built
/// from the left, in the order written, at the same cost.
#[test]
fn chains_built_from_the_right_flatten_in_order() {
    let mut either = manufacturer::id.eq(0);
    for i in 1..200_000 {
        either = manufacturer::id.eq(i).or(either);
    }
    let sql = manufacturer::Table.select().filter(either).to_sql();
    assert_eq!(sql.params, 200_000);
    assert!(
        sql.text
            .contains("WHERE (\"manufacturer\".\"id\" = $1 OR \"manufacturer\".\"id\" = $2 OR ")
    );
    let mut both = manufacturer::id.ne(0);
    for i in 1..1_000 {
        both = manufacturer::id
            .ne(i)
            .and(both.and(manufacturer::id.ne(-i)));
    }
    assert_eq!(
        manufacturer::Table.select().filter(both).to_sql().params,
        1_999
    );
}

/// `name IS NOT NULL`, then `depth` times in turn `AND website IS NULL`
/// and `OR website IS NOT NULL`: nothing to flatten, `depth` levels deep.
fn alternating(depth: usize) -> pg_sections::Expr<manufacturer::Table> {
    let mut expr = manufacturer::name.is_not_null();
    for i in 0..depth {
        expr = if i % 2 == 0 {
            expr.and(manufacturer::website.is_null())
        } else {
            expr.or(manufacturer::website.is_not_null())
        };
    }
    expr
}

#[pg_sections::test]
fn deeply_nested_expressions_render_and_drop_on_a_small_stack(f: Fixture) {
    let url = f.db.url().to_owned();
    on_small_stack(move || {
        let query = manufacturer::Table.select().filter(alternating(50_000));
        let sql = query.to_sql().text;
        let innermost = format!(
            "WHERE {}\"manufacturer\".\"name\" IS NOT NULL AND ",
            "(".repeat(50_000)
        );
        assert!(sql.contains(&innermost));
        assert!(sql.ends_with(" OR \"manufacturer\".\"website\" IS NOT NULL)"));

        let mut negated = manufacturer::name.is_null();
        for _ in 0..100_001 {
            negated = !negated;
        }
        let deep_not = manufacturer::Table.select().filter(negated);
        assert!(deep_not.to_sql().text.contains(&"NOT (".repeat(100_001)));

        let conn = Connection::connect(&url).unwrap();
        let db = conn.db::<Core>();
        manufacturer::Table
            .insert_many([new_maker("a"), new_maker("b")])
            .execute(&db)
            .unwrap();
        // Nesting the server's parser takes runs.
        let moderate = manufacturer::Table.select().filter(alternating(500));
        assert_eq!(moderate.count(&db).unwrap(), 2);
        // Deeper, the server refuses cleanly (its parser's stack is
        // bounded: "memory exhausted", a syntax error), and the connection
        // goes on. Only the code is shown: the message quotes the statement.
        for refused in [&query, &deep_not] {
            let code = refused.count(&db).unwrap_err().code().cloned();
            assert_eq!(code, Some(SqlState::SYNTAX_ERROR));
        }
        assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 2);
        drop((query, deep_not));
    });
}

// 6. Pages past the end of `i64`.

#[pg_sections::test]
fn paginate_refuses_a_page_past_the_largest_offset(f: Fixture) {
    let db = makers(&f, 3);
    let err = manufacturer::Table
        .select()
        .paginate(&db, u32::MAX, u32::MAX)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::PageOutOfRange {
                page: u32::MAX,
                per_page: u32::MAX
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("ask for a smaller page"));

    let far = manufacturer::Table
        .select()
        .paginate(&db, u32::MAX, 10)
        .unwrap();
    assert!(far.rows.is_empty());
    assert_eq!((far.total, far.pages(), far.page), (3, 1, u32::MAX));
    let first = manufacturer::Table
        .select()
        .paginate(&db, 0, u32::MAX)
        .unwrap();
    assert_eq!((first.rows.len(), first.pages(), first.page), (3, 1, 1));
}

#[test]
fn page_count_does_not_overflow() {
    let page = |total: i64, per_page: u32| Page::<()> {
        rows: Vec::new(),
        total,
        page: u32::MAX,
        per_page,
    };
    assert_eq!(page(i64::MAX, 1).pages(), i64::MAX);
    assert_eq!(page(i64::MAX, 2).pages(), i64::MAX / 2 + 1);
    assert_eq!(
        page(i64::MAX, u32::MAX).pages(),
        i64::MAX / i64::from(u32::MAX) + 1
    );
    assert_eq!(page(i64::MAX, 0).pages(), 0);
    assert_eq!(page(0, u32::MAX).pages(), 0);
    assert_eq!(page(10, 5).pages(), 2);
    assert_eq!(page(11, 5).pages(), 3);
}

// 7. Statements past PostgreSQL's parameter limit.

#[pg_sections::test]
fn insert_many_splits_rows_past_the_parameter_limit_all_or_nothing(f: Fixture) {
    let db = f.conn.db::<Vendor>();
    let per_row = vendor_profile::Table
        .insert(new_vendor("x"))
        .to_sql()
        .params;
    assert_eq!(per_row, 4);
    let rows = |n: usize| (0..n).map(|i| new_vendor(&format!("v{i:05}")));
    // 70 000 parameters.
    assert_eq!(
        vendor_profile::Table
            .insert_many(rows(17_500))
            .to_sql()
            .params,
        70_000
    );

    assert_eq!(
        vendor_profile::Table
            .insert_many(rows(17_500))
            .execute(&db)
            .unwrap(),
        17_500
    );
    let returned = vendor_profile::Table
        .insert_many(rows(17_500))
        .returning()
        .fetch_all(&db)
        .unwrap();
    assert_eq!(returned.len(), 17_500);
    assert_eq!(returned[0].business_name, "v00000");
    assert_eq!(returned[17_499].business_name, "v17499");
    assert!(returned.windows(2).all(|w| w[0].id < w[1].id), "in order");
    assert_eq!(f.committed("vendor.vendor_profile"), 35_000);

    // A failure in the last statement takes the first ones with it.
    let failing = rows(17_499).chain([vendor::NewVendorProfile {
        id: Some(returned[0].id),
        ..new_vendor("clash")
    }]);
    let err = vendor_profile::Table
        .insert_many(failing)
        .execute(&db)
        .unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::UNIQUE_VIOLATION), "{err}");
    assert_eq!(f.committed("vendor.vendor_profile"), 35_000);

    // Inside a transaction: a savepoint, and the transaction decides.
    let result: Result<(), Error> = db.transaction(|tx| {
        vendor_profile::Table
            .insert_many(rows(17_500))
            .execute(tx)?;
        Err(Error::Busy)
    });
    assert!(matches!(result, Err(Error::Busy)));
    assert_eq!(f.committed("vendor.vendor_profile"), 35_000);
}

#[pg_sections::test]
fn a_statement_with_too_many_parameters_is_refused_before_sending(f: Fixture) {
    let db = f.conn.db::<Core>();
    let mut query = manufacturer::Table.select();
    for i in 0..70_000 {
        query = query.filter(manufacturer::id.ne(i));
    }
    let err = query.fetch_all(&db).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyParameters {
                table: "core.manufacturer",
                count: 70_000
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("70000 parameters"), "{message}");
    assert!(message.contains("65535"), "{message}");
    assert!(message.contains("is_in"), "{message}");
    let err = query.fetch_stream(&db, 10).err().unwrap();
    assert!(matches!(err, Error::TooManyParameters { .. }), "{err:?}");
    assert_eq!(manufacturer::Table.select().count(&db).unwrap(), 0);
    // The same values as one array parameter.
    assert_eq!(
        manufacturer::Table
            .select()
            .filter(manufacturer::id.is_not_in(0..70_000))
            .count(&db)
            .unwrap(),
        0
    );
}

// 8. User text in LIKE patterns.

#[pg_sections::test]
fn like_patterns_from_user_text_match_wildcards_literally(f: Fixture) {
    let db = f.conn.db::<Core>();
    let names = [
        "100%", "1000", "a_b", "axb", r"c:\dir", "c:dir", r"x%_\y", "xyzzy",
    ];
    manufacturer::Table
        .insert_many(names.map(new_maker))
        .execute(&db)
        .unwrap();

    assert_eq!(pg_sections::like_escape(r"%_\"), r"\%\_\\");
    let escaped = |text: &str| format!("%{}%", pg_sections::like_escape(text));
    assert_eq!(
        maker_names(&db, manufacturer::name.like(escaped("%"))),
        ["100%", r"x%_\y"]
    );
    assert_eq!(
        maker_names(&db, manufacturer::name.ilike(escaped("A_"))),
        ["a_b"]
    );
    assert_eq!(
        maker_names(&db, manufacturer::name.like(escaped(r"%_\"))),
        [r"x%_\y"]
    );
    assert_eq!(
        maker_names(&db, manufacturer::name.not_like(escaped(r"\"))).len(),
        6
    );
    // Unescaped, the same text is a wildcard.
    assert_eq!(maker_names(&db, manufacturer::name.like("%_%")).len(), 8);

    assert_eq!(
        maker_names(&db, manufacturer::name.contains("_")),
        ["a_b", r"x%_\y"]
    );
    assert_eq!(
        maker_names(&db, manufacturer::name.starts_with("100%")),
        ["100%"]
    );
    assert_eq!(
        maker_names(&db, manufacturer::name.starts_with("x%")),
        [r"x%_\y"]
    );
    assert_eq!(
        maker_names(&db, manufacturer::name.ends_with(r"\dir")),
        [r"c:\dir"]
    );
    assert!(maker_names(&db, manufacturer::name.contains("x_b")).is_empty());
}

// Also: state the runtime keeps about the session must follow rollbacks.

#[pg_sections::test]
fn a_rollback_makes_the_pinned_search_path_set_again(f: Fixture) {
    let show = |conn: &Connection| -> String {
        conn.with_client(|c| c.query_one("SHOW search_path", &[]).unwrap().get(0))
            .unwrap()
    };
    f.conn.pin_search_path(true).unwrap();
    let (core_db, vendor_db) = (f.conn.db::<Core>(), f.conn.db::<Vendor>());
    manufacturer::Table.select().count(&core_db).unwrap();
    let result: Result<i64, Error> = f.conn.transaction(|| {
        vendor_profile::Table.select().count(&vendor_db)?;
        Err(Error::Busy)
    });
    assert!(result.is_err());
    // The rollback undid `SET search_path TO vendor`.
    assert_eq!(show(&f.conn), "core");
    vendor_profile::Table.select().count(&vendor_db).unwrap();
    assert_eq!(show(&f.conn), "vendor");
}

/// Two threads share one connection: a transaction is its thread's, so the
/// other thread's statement waits for it to end rather than run inside it
/// (and be rolled back with it) or end it.
#[pg_sections::test]
fn another_threads_statement_waits_for_a_transaction_and_stays_out_of_it(f: Fixture) {
    let db: Db<Vendor> = f.conn.db();
    let (opened, wait_opened) = std::sync::mpsc::channel();
    let (go_on, wait_go_on) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn({
        let db = db.clone();
        move || {
            wait_opened.recv().unwrap();
            // Sent while the first thread's transaction is open.
            go_on.send(()).unwrap();
            vendor_profile::Table
                .insert(new_vendor("Bolt"))
                .execute(&db)
        }
    });
    let outcome: Result<(), Error> = f.conn.transaction(|| {
        vendor_profile::Table
            .insert(new_vendor("Acme"))
            .execute(&db)?;
        opened.send(()).unwrap();
        wait_go_on.recv().unwrap();
        // Give the other thread's insert time to reach the connection.
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(
            !other.is_finished(),
            "the other thread waits for the transaction"
        );
        Err(Error::NotFound {
            table: "vendor.vendor_profile",
            sql: "rolled back on purpose".to_owned(),
        })
    });
    assert!(outcome.is_err());
    assert_eq!(other.join().unwrap().unwrap(), 1);
    // Acme rolled back with its transaction; Bolt, outside it, stays.
    assert_eq!(vendor_names(&db), ["Bolt"]);
    // The connection is whole: a transaction from the other thread works.
    let db2 = db.clone();
    let conn = f.conn.clone();
    std::thread::spawn(move || {
        conn.transaction(|| vendor_profile::Table.delete().execute(&db2))
            .unwrap()
    })
    .join()
    .unwrap();
    assert!(vendor_names(&db).is_empty());
}

/// A blocking connection that ends up dropped inside an async runtime (a
/// service that kept one in its state) closes on a thread of its own: the
/// driver's own runtime cannot block inside another, and a panic there
/// while unwinding would abort the process.
#[pg_sections::test(migrations = false)]
fn a_blocking_connection_dropped_inside_a_runtime_closes_cleanly(database: TestDatabase) {
    let conn = Connection::connect(database.url()).unwrap();
    conn.batch_execute("SELECT 1").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async move { drop(conn) });
    // Closed, not leaked: the server soon sees no session but the
    // check's own (a backend exits just after its client says goodbye).
    let mut check = database.connect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let sessions: i64 = check
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()",
                &[],
            )
            .unwrap()
            .get(0);
        if sessions == 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{sessions} sessions");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
