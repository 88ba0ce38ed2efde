//! The runtime where things go wrong, on a real PostgreSQL: very large
//! filters and pages, and user text in `LIKE` patterns.

use postgres::error::SqlState;
use runtime::{Connection, Db, Error, Page, Table};
use tests::bundled::core::{self, Core, manufacturer};

struct Fixture {
    db: tests::cluster::TestDb,
    conn: Connection,
}

fn fixture() -> Fixture {
    let db = tests::cluster::database();
    let mut client = db.connect();
    tests::apply_migrations(&mut client, std::path::Path::new("../sections"));
    Fixture {
        conn: Connection::from_client(client),
        db,
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

fn maker_names(db: &Db<Core>, filter: runtime::Expr<manufacturer::Table>) -> Vec<String> {
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

fn makers(f: &Fixture, n: usize) -> Db<Core> {
    let db = f.conn.db::<Core>();
    manufacturer::Table
        .insert_many((0..n).map(|i| new_maker(&format!("m{i:03}"))))
        .execute(&db)
        .unwrap();
    db
}

// 5. Very large filters.

#[test]
fn fifty_thousand_chained_filters_render_and_run_on_a_small_stack() {
    let f = fixture();
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

/// `name IS NOT NULL`, then `depth` times in turn `AND website IS NULL`
/// and `OR website IS NOT NULL`: nothing to flatten, `depth` levels deep.
fn alternating(depth: usize) -> runtime::Expr<manufacturer::Table> {
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

#[test]
fn deeply_nested_expressions_render_and_drop_on_a_small_stack() {
    let f = fixture();
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

#[test]
fn paginate_refuses_a_page_past_the_largest_offset() {
    let f = fixture();
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

// 8. User text in LIKE patterns.

#[test]
fn like_patterns_from_user_text_match_wildcards_literally() {
    let f = fixture();
    let db = f.conn.db::<Core>();
    let names = [
        "100%", "1000", "a_b", "axb", r"c:\dir", "c:dir", r"x%_\y", "xyzzy",
    ];
    manufacturer::Table
        .insert_many(names.map(new_maker))
        .execute(&db)
        .unwrap();

    assert_eq!(runtime::like_escape(r"%_\"), r"\%\_\\");
    let escaped = |text: &str| format!("%{}%", runtime::like_escape(text));
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
