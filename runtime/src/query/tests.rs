//! The builder's pure logic, without a server: the SQL each query renders
//! and the parameters it binds, pages, and the statement cache, on a
//! hand-written section of two tables (what codegen would generate).

use crate::connection::StatementCache;
use crate::query::select::page_offset;
use crate::{
    Column, Error, FromRow, InSection, Insertable, JoinTo, RowReader, Section, Table, Writable,
};

#[derive(Debug, Clone, Copy)]
struct Shop;

impl Section for Shop {
    const NAME: &'static str = "shop";
    const SCHEMA: &'static str = "shop";
}

#[derive(Debug, Clone, Copy)]
struct Items;

#[derive(Debug)]
#[allow(dead_code, reason = "read only by `Debug`: no row is decoded here")]
struct Item {
    id: i32,
    name: String,
}

impl FromRow for Item {
    const WIDTH: usize = 2;
    fn from_row_at(row: &postgres::Row, start: usize) -> Result<Self, Error> {
        let row = RowReader::new(row, start, "shop.items");
        Ok(Self {
            id: row.get(0, "id")?,
            name: row.get(1, "name")?,
        })
    }
}

impl Table for Items {
    type Section = Shop;
    type Row = Item;
    const SCHEMA: &'static str = "shop";
    const NAME: &'static str = "items";
    const RELATION: &'static str = "shop.items";
    const QUALIFIED_NAME: &'static str = "\"shop\".\"items\"";
    const COLUMNS: &'static [&'static str] = &["id", "name"];
    const COLUMN_LIST: &'static str = "\"items\".\"id\", \"items\".\"name\"";
    const PRIMARY_KEY: &'static [&'static str] = &["id"];
}
impl Writable for Items {}
impl InSection<Shop> for Items {}

const ID: Column<Items, i32> = Column::new("id", 0, "\"items\".\"id\"");
const NAME: Column<Items, String> = Column::new("name", 1, "\"items\".\"name\"");
const NOTE: Column<Items, Option<String>> = Column::new("note", 2, "\"items\".\"note\"");

#[derive(Debug, Clone, Copy)]
struct Tags;

#[derive(Debug)]
#[allow(dead_code, reason = "read only by `Debug`: no row is decoded here")]
struct Tag {
    item_id: i32,
}

impl FromRow for Tag {
    const WIDTH: usize = 1;
    fn from_row_at(row: &postgres::Row, start: usize) -> Result<Self, Error> {
        let row = RowReader::new(row, start, "shop.tags");
        Ok(Self {
            item_id: row.get(0, "item_id")?,
        })
    }
}

impl Table for Tags {
    type Section = Shop;
    type Row = Tag;
    const SCHEMA: &'static str = "shop";
    const NAME: &'static str = "tags";
    const RELATION: &'static str = "shop.tags";
    const QUALIFIED_NAME: &'static str = "\"shop\".\"tags\"";
    const COLUMNS: &'static [&'static str] = &["item_id"];
    const COLUMN_LIST: &'static str = "\"tags\".\"item_id\"";
    const PRIMARY_KEY: &'static [&'static str] = &[];
}
impl InSection<Shop> for Tags {}
impl JoinTo<Items> for Tags {
    const ON: &'static str = "\"tags\".\"item_id\" = \"items\".\"id\"";
}

struct NewItem {
    id: Option<i32>,
    name: String,
}

impl Insertable for NewItem {
    type Table = Items;
    const COLUMNS: &'static [&'static str] = &["id", "name"];
    fn values<'v>(&'v self, out: &mut Vec<Option<&'v (dyn postgres_types::ToSql + Sync)>>) {
        out.push(crate::or_default(&self.id));
        out.push(Some(&self.name));
    }
}

fn new_item(id: Option<i32>, name: &str) -> NewItem {
    NewItem {
        id,
        name: name.to_owned(),
    }
}

const SELECT_ALL: &str = "SELECT \"items\".\"id\", \"items\".\"name\" FROM \"shop\".\"items\"";

#[test]
fn a_select_names_every_column_qualified_and_binds_nothing() {
    let sql = Items.select().to_sql();
    assert_eq!(sql.text, SELECT_ALL);
    assert_eq!(sql.params, 0);
}

#[test]
fn clauses_render_in_sql_order_whatever_order_they_were_added_in() {
    let sql = Items
        .select()
        .for_update()
        .offset(20)
        .limit(10)
        .order_by(NAME.asc().nulls_last())
        .filter(NAME.eq("lamp"))
        .order_by(ID.desc())
        .to_sql();
    assert_eq!(
        sql.text,
        format!(
            "{SELECT_ALL} WHERE \"items\".\"name\" = $1 ORDER BY \"items\".\"name\" ASC NULLS LAST, \"items\".\"id\" DESC LIMIT $2 OFFSET $3 FOR UPDATE"
        )
    );
    assert_eq!(sql.params, 3);
}

#[test]
fn filters_are_anded_and_every_value_is_its_own_parameter() {
    let sql = Items
        .select()
        .filter(ID.gt(1).or(NAME.eq("a")))
        .filter(NOTE.is_null())
        .filter(ID.is_in([1, 2, 3]))
        .to_sql();
    assert_eq!(
        sql.text,
        format!(
            "{SELECT_ALL} WHERE ((\"items\".\"id\" > $1 OR \"items\".\"name\" = $2) AND \"items\".\"note\" IS NULL AND \"items\".\"id\" = ANY($3))"
        )
    );
    assert_eq!(sql.params, 3);
}

#[test]
fn chosen_columns_and_joins_change_the_select_list_only() {
    let sql = Items.select().columns((NAME, ID)).to_sql();
    assert_eq!(
        sql.text,
        "SELECT \"items\".\"name\", \"items\".\"id\" FROM \"shop\".\"items\""
    );
    let sql = Items.select().inner_join(Tags).filter(ID.eq(7)).to_sql();
    assert_eq!(
        sql.text,
        "SELECT \"items\".\"id\", \"items\".\"name\", \"tags\".\"item_id\" FROM \"shop\".\"items\" INNER JOIN \"shop\".\"tags\" ON \"tags\".\"item_id\" = \"items\".\"id\" WHERE \"items\".\"id\" = $1"
    );
    assert_eq!(sql.params, 1);
    let sql = Items.select().left_join(Tags).to_sql();
    assert!(
        sql.text.contains(" LEFT JOIN \"shop\".\"tags\" ON "),
        "{sql}"
    );
}

#[test]
fn count_keeps_from_and_where_and_drops_order_limit_and_locks() {
    let query = Items
        .select()
        .inner_join(Tags)
        .filter(NAME.eq("lamp"))
        .order_by(ID.asc())
        .limit(5)
        .for_share();
    let sql = query.count_sql();
    assert_eq!(
        sql.text,
        "SELECT count(*) FROM \"shop\".\"items\" INNER JOIN \"shop\".\"tags\" ON \"tags\".\"item_id\" = \"items\".\"id\" WHERE \"items\".\"name\" = $1"
    );
    assert_eq!(sql.params, 1);
}

#[test]
fn writes_render_their_statements() {
    let sql = Items.update().set(NAME, "new").filter(ID.eq(1)).to_sql();
    assert_eq!(
        sql.text,
        "UPDATE \"shop\".\"items\" SET \"name\" = $1 WHERE \"items\".\"id\" = $2"
    );
    assert_eq!(sql.params, 2);
    let sql = Items.delete().filter(ID.eq(1)).to_sql();
    assert_eq!(
        sql.text,
        "DELETE FROM \"shop\".\"items\" WHERE \"items\".\"id\" = $1"
    );
    let sql = Items
        .insert_many([new_item(None, "a"), new_item(Some(2), "b")])
        .to_sql();
    assert_eq!(
        sql.text,
        "INSERT INTO \"shop\".\"items\" (\"id\", \"name\") VALUES (DEFAULT, $1), ($2, $3)"
    );
    assert_eq!(sql.params, 3);
}

#[test]
fn a_column_left_default_in_every_row_is_left_out_of_an_insert() {
    let sql = Items
        .insert_many([new_item(None, "a"), new_item(None, "b")])
        .to_sql();
    assert_eq!(
        sql.text,
        "INSERT INTO \"shop\".\"items\" (\"name\") VALUES ($1), ($2)"
    );
    assert_eq!(sql.params, 2);
    let sql = Items.insert(new_item(Some(7), "a")).to_sql();
    assert_eq!(
        sql.text,
        "INSERT INTO \"shop\".\"items\" (\"id\", \"name\") VALUES ($1, $2)"
    );
}

#[test]
fn parameter_numbers_are_written_in_decimal() {
    for n in [0, 1, 9, 10, 99, 100, 65_535, usize::MAX] {
        let mut sql = String::new();
        crate::expr::push_number(&mut sql, n);
        assert_eq!(sql, n.to_string());
    }
}

#[test]
fn find_like_queries_send_the_statement_kept_and_bind_their_key() {
    static TEXT: crate::__private::StatementText = crate::__private::StatementText::new();
    for id in [1, 2] {
        let select = TEXT.fix(Items.select().filter(ID.eq(id)));
        let sql = select.to_sql();
        assert_eq!(
            sql.text,
            format!("{SELECT_ALL} WHERE \"items\".\"id\" = $1")
        );
        assert_eq!(sql.params, 1);
        // A clause added after clears what was kept.
        let sql = select.limit(1).to_sql();
        assert!(sql.text.ends_with(" LIMIT $2"), "{sql}");
        assert_eq!(sql.params, 2);
    }
}

#[test]
fn an_insert_may_ignore_or_update_on_conflict() {
    let sql = Items
        .insert(new_item(Some(1), "a"))
        .on_conflict((ID,))
        .do_nothing()
        .to_sql();
    assert!(
        sql.text.ends_with(" ON CONFLICT (\"id\") DO NOTHING"),
        "{sql}"
    );
    let sql = Items
        .insert(new_item(Some(1), "a"))
        .on_conflict((ID,))
        .do_update(crate::Assignments::new().set(NAME, "b"))
        .to_sql();
    assert!(
        sql.text
            .ends_with(" ON CONFLICT (\"id\") DO UPDATE SET \"name\" = $3"),
        "{sql}"
    );
    assert_eq!(sql.params, 3);
}

#[test]
fn pages_start_at_one_and_their_offset_never_overflows() {
    assert_eq!(page_offset(0, 10).unwrap(), (1, 0));
    assert_eq!(page_offset(1, 10).unwrap(), (1, 0));
    assert_eq!(page_offset(3, 10).unwrap(), (3, 20));
    assert_eq!(page_offset(u32::MAX, 0).unwrap(), (u32::MAX, 0));
    assert_eq!(
        page_offset(1 << 31, 1 << 31).unwrap().1,
        ((1_i64 << 31) - 1) << 31
    );
    // Past i64: refused before anything is sent.
    assert!(matches!(
        page_offset(u32::MAX, u32::MAX),
        Err(Error::PageOutOfRange {
            page: u32::MAX,
            per_page: u32::MAX
        })
    ));
    let page = |total, per_page| crate::Page::<()> {
        rows: Vec::new(),
        total,
        page: 1,
        per_page,
    };
    assert_eq!(page(0, 10).pages(), 0);
    assert_eq!(page(10, 10).pages(), 1);
    assert_eq!(page(11, 10).pages(), 2);
    assert_eq!(page(5, 0).pages(), 0);
    assert_eq!(page(-1, 10).pages(), 0);
    assert_eq!(page(i64::MAX, 1).pages(), i64::MAX);
}

#[test]
fn the_statement_cache_forgets_its_oldest_entry_first() {
    let mut cache = StatementCache::<u32>::new(2);
    let mut prepared = 0;
    let mut get = |cache: &mut StatementCache<u32>, sql: &str| {
        cache
            .get(sql, |_| {
                prepared += 1;
                Ok::<_, ()>(prepared)
            })
            .unwrap()
    };
    assert_eq!(get(&mut cache, "a"), (1, false));
    assert_eq!(get(&mut cache, "b"), (2, false));
    assert_eq!(get(&mut cache, "a"), (1, true), "a hit keeps the statement");
    assert_eq!(
        get(&mut cache, "c"),
        (3, false),
        "c pushes out a, the oldest"
    );
    assert_eq!(get(&mut cache, "b"), (2, true));
    assert_eq!(
        get(&mut cache, "a"),
        (4, false),
        "a was forgotten; b goes now"
    );
    let stats = cache.stats();
    assert_eq!((stats.prepared, stats.hits, stats.cached), (4, 2, 2));
    assert_eq!(get(&mut cache, "c"), (3, true), "c and a are cached");
    cache.evict("c");
    cache.evict("never cached");
    assert_eq!(cache.stats().cached, 1);
    assert_eq!(
        get(&mut cache, "c"),
        (5, false),
        "an evicted statement is prepared again"
    );
    assert_eq!(
        get(&mut cache, "a"),
        (4, true),
        "and takes the place it left"
    );
}

#[test]
fn a_cache_of_no_capacity_prepares_every_time_and_a_failure_caches_nothing() {
    let mut cache = StatementCache::<u32>::new(0);
    for n in 1..=3 {
        assert_eq!(cache.get("a", |_| Ok::<_, ()>(n)).unwrap(), (n, false));
    }
    assert_eq!(cache.stats().cached, 0);
    let mut cache = StatementCache::<u32>::new(4);
    assert_eq!(
        cache.get("bad", |_| Err::<u32, _>("syntax error")),
        Err("syntax error")
    );
    assert_eq!(cache.stats().cached, 0);
    assert_eq!(cache.stats().prepared, 0);
}
