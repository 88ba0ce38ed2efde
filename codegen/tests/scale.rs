//! The DDL source at the scale of a large real schema: ten thousand tables,
//! each with a foreign key to the one before. Folding is linear in the
//! statements (it was quadratic in foreign keys); the time is measured in
//! the benchmarks, this test checks the model is complete.

use std::fmt::Write as _;

#[test]
fn ten_thousand_tables_with_foreign_keys_fold_into_the_model() {
    const TABLES: usize = 10_000;
    let dir = std::env::temp_dir().join(format!("codegen-scale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app/migrations")).unwrap();
    let mut sql = String::from("CREATE SCHEMA app;\nCREATE TABLE app.t0 (id int PRIMARY KEY);\n");
    for i in 1..TABLES {
        let _ = writeln!(
            sql,
            "CREATE TABLE app.t{i} (id int PRIMARY KEY, parent_id int REFERENCES app.t{} (id));",
            i - 1
        );
    }
    std::fs::write(dir.join("app/migrations/20250101_000000_app.up.sql"), sql).unwrap();
    let sections = codegen::Config::new(&dir).load().unwrap();
    let app = &sections[0];
    assert_eq!(app.tables.len(), TABLES);
    let keys: usize = app.tables.values().map(|t| t.foreign_keys.len()).sum();
    assert_eq!(keys, TABLES - 1);
    assert_eq!(app.tables["t9999"].foreign_keys[0].foreign_table, "t9998");
    std::fs::remove_dir_all(&dir).unwrap();
}
