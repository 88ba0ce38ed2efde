//! `cargo sections stats`: each section's tables with their size, rows,
//! dead rows and scans, from a real server's statistics.

use codegen::stats::{self, TableStats};

fn sections(names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|name| ((*name).to_owned(), (*name).to_owned()))
        .collect()
}

#[pg_sections::test]
fn stats_group_the_tables_by_section_largest_first_with_rows_and_scans(
    mut client: postgres::Client,
) {
    client
        .batch_execute(
            "INSERT INTO core.manufacturer (name) SELECT 'maker ' || g FROM generate_series(1, 300) g;
             DELETE FROM core.manufacturer WHERE id <= 20;
             ANALYZE core.manufacturer;
             CREATE TABLE public.not_a_section (id int);",
        )
        .unwrap();
    // A sequential and an index scan of the table, counted once flushed.
    client
        .query_one("SELECT count(*) FROM core.manufacturer", &[])
        .unwrap();
    client
        .batch_execute(
            "SET enable_seqscan = off;
             SELECT name FROM core.manufacturer WHERE id = 42;
             RESET enable_seqscan;
             SELECT pg_catalog.pg_stat_force_next_flush();",
        )
        .unwrap();
    // A new transaction reads the flushed counters.
    client.batch_execute("SELECT 1").unwrap();
    let tables = stats::read(&mut client, &sections(&["vendor", "core"])).unwrap();
    let order: Vec<(&str, &str)> = tables
        .iter()
        .map(|t| (t.section.as_str(), t.table.as_str()))
        .collect();
    // The sections in the order asked, each table once, nothing else.
    let vendor_tables = order.iter().filter(|(s, _)| *s == "vendor").count();
    assert_eq!(vendor_tables, 2, "{order:?}");
    assert!(
        order.iter().position(|(s, _)| *s == "core")
            > order.iter().position(|(s, _)| *s == "vendor"),
        "{order:?}"
    );
    assert_eq!(order.len(), 5, "{order:?}");
    for pair in tables.windows(2) {
        if pair[0].section == pair[1].section {
            assert!(pair[0].total_bytes >= pair[1].total_bytes, "{order:?}");
        }
    }
    let maker: &TableStats = tables.iter().find(|t| t.table == "manufacturer").unwrap();
    assert_eq!(maker.section, "core");
    assert_eq!(maker.live_rows, 280);
    assert_eq!(maker.dead_rows, 20);
    assert!(maker.seq_scans >= 1, "{maker:?}");
    assert!(maker.index_scans >= 1, "{maker:?}");
    assert!(
        maker.index_bytes > 0 && maker.total_bytes > maker.index_bytes,
        "{maker:?}"
    );
    // The largest of core is the one with rows.
    assert_eq!(
        tables.iter().find(|t| t.section == "core").unwrap().table,
        "manufacturer"
    );
}

#[pg_sections::test(migrations = false)]
fn a_section_whose_schema_does_not_exist_has_no_tables(mut client: postgres::Client) {
    let tables = stats::read(&mut client, &sections(&["vendor"])).unwrap();
    assert_eq!(tables, []);
}

#[test]
fn the_table_prints_as_the_readme_shows_it() {
    let table = |section: &str, name: &str, sizes: [i64; 2], rows: [i64; 4]| TableStats {
        section: section.to_owned(),
        table: name.to_owned(),
        total_bytes: sizes[0],
        index_bytes: sizes[1],
        live_rows: rows[0],
        dead_rows: rows[1],
        seq_scans: rows[2],
        index_scans: rows[3],
    };
    let tables = [
        table("core", "manufacturer", [147_456, 81_920], [280, 20, 5, 0]),
        table("core", "part", [40_960, 32_768], [0, 0, 6, 0]),
        table("core", "model", [24_576, 16_384], [0, 0, 22, 0]),
        table("vendor", "vendor_inventory", [40_960, 32_768], [0, 0, 6, 0]),
        table("vendor", "vendor_profile", [24_576, 16_384], [0, 0, 2, 0]),
    ];
    let printed = stats::render(&sections(&["core", "vendor"]), &tables);
    // The README's block, line for line.
    let readme = "\
section core: 3 tables, 208 kB, 280 rows
  table                    size      indexes     live rows   dead rows   seq scans  index scans
  manufacturer           144 kB        80 kB           280          20           5            0
  part                    40 kB        32 kB             0           0           6            0
  model                   24 kB        16 kB             0           0          22            0

section vendor: 2 tables, 64 kB, 0 rows
  table                    size      indexes     live rows   dead rows   seq scans  index scans
  vendor_inventory        40 kB        32 kB             0           0           6            0
  vendor_profile          24 kB        16 kB             0           0           2            0
";
    assert_eq!(printed, readme);
    // A section without tables says so in its line alone.
    assert_eq!(
        stats::render(&sections(&["auth"]), &[]),
        "section auth: 0 tables, 0 bytes, 0 rows\n"
    );
}
