//! The built-ins table the DDL source types view columns with
//! (`codegen/src/ddl/builtins.txt`) is what `builtins.sql` reads from a
//! stock server's catalog, not a list kept by hand. `UPDATE_BUILTINS=1`
//! writes it afresh.

use std::path::Path;

#[test]
fn the_builtins_table_is_the_servers_catalog() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/src/ddl");
    let query = std::fs::read_to_string(dir.join("builtins.sql")).unwrap();
    let db = pg_sections::testing::database();
    let mut client = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
    let mut table = String::new();
    for message in client.simple_query(&query).unwrap() {
        if let postgres::SimpleQueryMessage::Row(row) = message {
            table.push_str(row.get(0).unwrap_or_default());
            table.push('\n');
        }
    }
    let path = dir.join("builtins.txt");
    if std::env::var_os("UPDATE_BUILTINS").is_some() {
        std::fs::write(&path, &table).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == table,
        "codegen/src/ddl/builtins.txt is not what builtins.sql reads from this server ({}); \
         if the server is a stock one of the same major version, run the test with UPDATE_BUILTINS=1:\n{}",
        table.lines().next().unwrap_or_default(),
        line_diff(&committed, &table)
    );
}

/// The first lines that differ, for the failure message.
fn line_diff(committed: &str, fresh: &str) -> String {
    let old: std::collections::BTreeSet<&str> = committed.lines().collect();
    let new: std::collections::BTreeSet<&str> = fresh.lines().collect();
    old.difference(&new)
        .map(|l| format!("- {l}"))
        .chain(new.difference(&old).map(|l| format!("+ {l}")))
        .take(20)
        .collect::<Vec<_>>()
        .join("\n")
}
