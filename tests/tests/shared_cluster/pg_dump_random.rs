//! A property of the DDL source: random schemas (tables of random types,
//! defaults and generated columns, enums, domains, views of random
//! expressions) are built through a real server, dumped with `pg_dump
//! --schema-only`, and the DDL model of the dump equals the live model of
//! the database, field by field.
//!
//! The server decides what is valid: each random statement runs on its own,
//! and one the server refuses is left out of the schema (and counted: the
//! property is not vacuous if most run). Deterministic by seed;
//! `PG_SECTIONS_DUMP_CASES` and `PG_SECTIONS_DUMP_SEED` widen or move the
//! range.

use tests::grammar::Rng;

/// Column types, by the expressions that fit them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Int,
    Numeric,
    Float,
    Text,
    Bool,
    Time,
    Date,
    Json,
    Other,
}

const TYPES: &[(&str, Family)] = &[
    ("smallint", Family::Int),
    ("integer", Family::Int),
    ("bigint", Family::Int),
    ("numeric(12,2)", Family::Numeric),
    ("numeric", Family::Numeric),
    ("real", Family::Float),
    ("double precision", Family::Float),
    ("text", Family::Text),
    ("varchar(40)", Family::Text),
    ("character(3)", Family::Text),
    ("boolean", Family::Bool),
    ("timestamp with time zone", Family::Time),
    ("timestamp(3) without time zone", Family::Time),
    ("date", Family::Date),
    ("jsonb", Family::Json),
    ("json", Family::Json),
    ("uuid", Family::Other),
    ("bytea", Family::Other),
    ("interval", Family::Other),
    ("inet", Family::Other),
    ("time", Family::Other),
    ("integer[]", Family::Other),
    ("text[]", Family::Other),
    ("tsrange", Family::Other),
    ("money", Family::Other),
    ("tsvector", Family::Other),
    ("tsquery", Family::Other),
    ("bit(4)", Family::Other),
    ("macaddr", Family::Other),
    ("point", Family::Other),
];

/// Defaults as users write them, by family.
fn default_for(rng: &mut Rng, family: Family, ty: &str) -> Option<String> {
    let options: &[&str] = match family {
        Family::Int => &["0", "-1", "42", "(1 + 2)", "(2 * 3)", "length('abc')"],
        Family::Numeric => &["0", "1.5", "-2.25", "(10 / 4)", "round(2.567, 2)"],
        Family::Float => &["0", "1.5e3", "'NaN'", "pi()", "(-1.0)", "-1e3", "-(1.5e2)"],
        Family::Text => &[
            "''",
            "'x'",
            "'it''s'",
            "upper('a')",
            "('a' || 'b')",
            "CURRENT_USER",
            "E'tab\\there'",
            "trim(BOTH FROM ' x ')",
            "trim(' y ')",
        ],
        Family::Bool => &[
            "true",
            "false",
            "(1 > 2)",
            "(NOT true)",
            "('a' LIKE 'b')",
            "(1 IS NULL)",
            "(true AND false OR true)",
            "(1 IN (1, 2))",
            "(2 NOT IN (1, 2, 3))",
            "('a' IN ('a'))",
            "(1 = ANY ('{1,2}'))",
            "'yes'",
            "NULL",
        ],
        // A `timestamptz` literal without an offset depends on the
        // server's `TimeZone` when the migration ran (a documented limit).
        Family::Time if ty.contains("with time zone") => &[
            "now()",
            "NOW()",
            "CURRENT_TIMESTAMP",
            "'2020-01-01 00:00:00+00'",
            "'2020-01-01 10:30:00+02'",
            "'2020-01-01T00:00:00Z'",
            "(now() + interval '1 day')",
            "timezone('utc', now())",
        ],
        Family::Time => &[
            "'2020-01-01 00:00:00'",
            "'2020-01-01'",
            "LOCALTIMESTAMP",
            "(LOCALTIMESTAMP - interval '1 hour')",
        ],
        Family::Date => &[
            "CURRENT_DATE",
            "'2020-02-29'",
            "(CURRENT_DATE + 1)",
            "'1/8/99'",
            "'Jan 8 69'",
        ],
        Family::Json => &[
            "'{}'",
            "'[]'",
            "'{\"a\": 1}'",
            "'{\"bb\":1,\"a\":[1, 2]}'",
            "'{\"x\": 1.50}'",
        ],
        Family::Other => match ty {
            "uuid" => &[
                "gen_random_uuid()",
                "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                "'{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'",
            ],
            "interval" => &[
                "'1 day'",
                "interval '2 hours'",
                "'00:00:00'",
                "'90 minutes'",
                "'1.5 days'",
                "'2 weeks'",
                "'1 year 2 months'",
                "'@ 3 days ago'",
                "'-1 year 2 days'",
                "interval '1.5' hour",
                "'3 4:05:06'",
                "'P1Y2M3DT4H5M6.5S'",
                "'PT1.5H'",
                "'P0.5M'",
                "'P0001-02-03'",
                "'1.05 years'",
            ],
            "integer[]" => &["'{}'", "ARRAY[1, 2]", "'{1,2,3}'"],
            "text[]" => &["'{}'", "ARRAY['a', 'b']", "'{}'::text[]", "'{\"a b\", c}'"],
            "inet" => &["'127.0.0.1'", "'::1'", "'2001:DB8::1/64'"],
            "bit(4)" => &["B'1010'", "X'A'"],
            "tsrange" => &["'[2020-01-01,2021-01-01)'", "'empty'"],
            "tsvector" => &["'b a:2 a:1'", "''"],
            "tsquery" => &["'a & (b | c:*)'", "'!a <-> b'"],
            "time" => &["'12:00'", "CURRENT_TIME"],
            // A `money` literal prints in the server's `lc_monetary` (a
            // documented limit).
            "money" => &["0"],
            "bytea" => &["'\\x00'", "''", "'\\xDEADbeef'", "'ab\\000'"],
            _ => return None,
        },
    };
    Some((*rng.pick(options)).to_owned())
}

struct Column {
    name: String,
    family: Family,
}

struct Schema {
    statements: Vec<String>,
}

/// An expression over `c` for a view column, by its family.
fn expression(rng: &mut Rng, t: &str, c: &Column, others: &[Column]) -> String {
    let col = format!("{t}.{}", c.name);
    let other = rng.pick(others);
    let o = format!("{t}.{}", other.name);
    let mixed = |rng: &mut Rng| match (c.family, other.family) {
        (
            Family::Int | Family::Numeric | Family::Float,
            Family::Int | Family::Numeric | Family::Float,
        ) => {
            format!(
                "{col} {} {o}",
                rng.pick(&["+", "-", "*", "/", "<", "=", ">="])
            )
        }
        (Family::Text, _) => format!("{col} || {o}"),
        _ => format!("coalesce({col}, {col})"),
    };
    let options: Vec<String> = match c.family {
        Family::Int => vec![
            format!("{col} + 1"),
            format!("{col} * 2.5"),
            format!("-{col}"),
            format!("abs({col})"),
            format!("{col} % 3"),
            format!("{col}::text"),
            format!("{col} / 2"),
            format!("greatest({col}, 0)"),
            format!("{col} + 1.5::real"),
            format!("{col} & 1"),
            format!("power({col}, 2)"),
            mixed(rng),
        ],
        Family::Numeric => vec![
            format!("round({col}, 1)"),
            format!("{col} * 2"),
            format!("trunc({col})"),
            format!("{col} + 1.5"),
            format!("coalesce({col}, 0)"),
            format!("sqrt(abs({col}))"),
            format!("{col}::integer"),
            format!("ceil({col})"),
            mixed(rng),
        ],
        Family::Float => vec![
            format!("{col} * 2"),
            format!("floor({col})"),
            format!("{col} + 1"),
            format!("sqrt(abs({col}))"),
            format!("{col}::numeric(10,2)"),
            mixed(rng),
        ],
        Family::Text => vec![
            format!("lower({col})"),
            format!("{col} || '!'"),
            format!("length({col})"),
            format!("substr({col}, 1, 2)"),
            format!("coalesce({col}, 'none')"),
            format!("left({col}, 3)"),
            format!("replace({col}, 'a', 'b')"),
            format!("{col} LIKE 'a%'"),
            format!("initcap({col})"),
            format!("split_part({col}, ',', 1)"),
            format!("trim({col})"),
            format!("{col} ~ '^a'"),
            format!("CASE WHEN {col} IS NULL THEN 'null' ELSE {col} END"),
            format!("nullif({col}, '')"),
            format!("concat({col}, 1)"),
            format!("md5({col})"),
            format!("position('a' IN {col})"),
            format!("to_tsvector({col})"),
            mixed(rng),
        ],
        Family::Bool => vec![
            format!("NOT {col}"),
            format!("{col} AND true"),
            format!("CASE WHEN {col} THEN 1 ELSE 0 END"),
            format!("{col}::integer"),
            format!("{col} IS TRUE"),
        ],
        Family::Time => vec![
            format!("{col} + interval '1 hour'"),
            format!("date_trunc('day', {col})"),
            format!("extract(epoch FROM {col})"),
            format!("{col}::date"),
            format!("now() - {col}"),
            format!("to_char({col}, 'YYYY')"),
            format!("{col} AT TIME ZONE 'UTC'"),
            format!("age({col})"),
        ],
        Family::Date => vec![
            format!("{col} + 1"),
            format!("{col} - {col}"),
            format!("{col} + interval '1 day'"),
            format!("date_part('year', {col})"),
            format!("{col}::timestamp"),
        ],
        Family::Json => vec![
            format!("{col} -> 'a'"),
            format!("{col} ->> 'a'"),
            format!("{col}::text"),
            format!("jsonb_typeof({col}::jsonb)"),
            format!("{col}::jsonb ? 'a'"),
        ],
        Family::Other => vec![
            format!("{col}::text"),
            format!("{col} IS NULL"),
            format!("ARRAY[{col}]"),
            format!("coalesce({col}, {col})"),
            // Not `WHEN true`: a materialized view's column keeps the
            // modifiers the planner's constant folding leaves (a known
            // limit).
            format!("CASE WHEN {col} IS NOT NULL THEN {col} END"),
        ],
    };
    rng.pick(&options).clone()
}

fn aggregate(rng: &mut Rng, t: &str, c: &Column) -> String {
    let col = format!("{t}.{}", c.name);
    let options: Vec<String> = match c.family {
        Family::Int | Family::Numeric | Family::Float => vec![
            format!("sum({col})"),
            format!("avg({col})"),
            format!("max({col})"),
            format!("min({col})"),
            format!("stddev({col})"),
            format!("count({col})"),
            format!("sum({col}) * 2"),
            format!("array_agg({col})"),
            format!("percentile_cont(0.5) WITHIN GROUP (ORDER BY {col})"),
            format!("bit_or({col}::integer)"),
        ],
        Family::Text => vec![
            format!("string_agg({col}, ',')"),
            format!("max({col})"),
            format!("count(DISTINCT {col})"),
            format!("array_agg({col} ORDER BY {col})"),
            format!("mode() WITHIN GROUP (ORDER BY {col})"),
        ],
        Family::Bool => vec![format!("bool_and({col})"), format!("every({col})")],
        Family::Time | Family::Date => vec![format!("max({col})"), format!("min({col})")],
        Family::Json => vec![format!("jsonb_agg({col})"), format!("json_agg({col})")],
        Family::Other => vec![format!("count({col})"), format!("count(*)")],
    };
    rng.pick(&options).clone()
}

fn schema(seed: u64) -> Schema {
    let mut rng = Rng::new(seed);
    let s = "r";
    let mut statements = vec![format!("CREATE SCHEMA {s}")];
    let mut enums = Vec::new();
    for e in 0..rng.below(3) {
        let labels: Vec<String> = (0..=rng.below(4)).map(|l| format!("'l{l}'")).collect();
        statements.push(format!(
            "CREATE TYPE {s}.mood{e} AS ENUM ({})",
            labels.join(", ")
        ));
        enums.push(format!("{s}.mood{e}"));
    }
    let mut domains = Vec::new();
    for d in 0..rng.below(3) {
        let (base, check, default) = *rng.pick(&[
            ("integer", "CHECK (VALUE > 0)", "'5'"),
            ("text", "CHECK (VALUE <> '')", "'x'"),
            ("numeric(8,2)", "", "1.5"),
            ("timestamptz", "NOT NULL DEFAULT now()", "now()"),
        ]);
        statements.push(format!("CREATE DOMAIN {s}.dom{d} AS {base} {check}"));
        domains.push((format!("{s}.dom{d}"), default));
    }
    let mut tables: Vec<(String, Vec<Column>)> = Vec::new();
    for t in 0..=rng.below(3) {
        let table = format!("t{t}");
        let mut columns = vec![Column {
            name: "id".to_owned(),
            family: Family::Int,
        }];
        let mut sql = vec![format!(
            "id {}",
            rng.pick(&[
                "serial PRIMARY KEY",
                "integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                "bigint NOT NULL",
                "integer PRIMARY KEY"
            ])
        )];
        for c in 0..=rng.below(8) {
            let (ty, family) = *rng.pick(TYPES);
            let name = format!("c{c}");
            let mut def = format!("{name} {ty}");
            if rng.one_in(3) {
                def.push_str(" NOT NULL");
            }
            if rng.one_in(2)
                && let Some(d) = default_for(&mut rng, family, ty)
            {
                def.push_str(" DEFAULT ");
                def.push_str(&d);
            }
            sql.push(def);
            columns.push(Column { name, family });
        }
        for e in &enums {
            if rng.one_in(2) {
                sql.push(format!("e{} {e}", columns.len()));
            }
        }
        for (d, default) in &domains {
            if rng.one_in(2) {
                let given = if rng.one_in(2) {
                    format!(" DEFAULT {default}")
                } else {
                    String::new()
                };
                sql.push(format!("d{} {d}{given}", columns.len()));
            }
        }
        if rng.one_in(3)
            && let Some(n) = columns
                .iter()
                .find(|c| matches!(c.family, Family::Int | Family::Numeric))
        {
            sql.push(format!(
                "g{} numeric GENERATED ALWAYS AS ({} * 2) STORED",
                columns.len(),
                n.name
            ));
        }
        statements.push(format!("CREATE TABLE {s}.{table} ({})", sql.join(", ")));
        tables.push((table, columns));
    }
    for v in 0..=rng.below(4) {
        let (table, columns) = rng.pick(&tables);
        let alias = "x";
        let grouped = rng.one_in(3);
        let mut items = Vec::new();
        for i in 0..=rng.below(5) {
            let c = rng.pick(columns);
            let expr = if grouped {
                aggregate(&mut rng, alias, c)
            } else if rng.one_in(6) {
                format!(
                    "{}() OVER (ORDER BY {alias}.id)",
                    rng.pick(&["row_number", "rank", "dense_rank", "percent_rank"])
                )
            } else if rng.one_in(8) {
                format!("(SELECT count(*) FROM {s}.{table})")
            } else {
                expression(&mut rng, alias, c, columns)
            };
            items.push(format!("{expr} AS v{i}"));
        }
        if !grouped && rng.one_in(2) {
            items.insert(0, format!("{alias}.*"));
        }
        let kind = if rng.one_in(4) {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        statements.push(format!(
            "CREATE {kind} {s}.v{v} AS SELECT {} FROM {s}.{table} {alias}",
            items.join(", ")
        ));
    }
    Schema { statements }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_schemas_read_from_their_dump_like_the_database() {
    let cases = env_number("PG_SECTIONS_DUMP_CASES", 40);
    let start = env_number("PG_SECTIONS_DUMP_SEED", 0);
    let names = vec![("r".to_owned(), "r".to_owned())];
    let (mut ran, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for seed in start..start + cases {
        let db = pg_sections::testing::database();
        let mut client = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
        let mut applied = Vec::new();
        for statement in schema(seed).statements {
            if client.batch_execute(&statement).is_ok() {
                ran += 1;
                applied.push(statement);
            } else {
                refused += 1;
            }
        }
        let mut live_client =
            codegen::live::connect(db.url(), codegen::live::DEFAULT_CONNECT_TIMEOUT).unwrap();
        let live = codegen::live::introspect(&mut live_client, &names).unwrap();
        let l = live
            .iter()
            .map(codegen::snapshot::render)
            .collect::<Vec<_>>()
            .join("\n");
        let migration = format!("{};\n", applied.join(";\n"));
        let dump = tests::pg_dump(db.url(), &["--schema-only"]);
        // The statements as a user's migration, and the dump of what they
        // made.
        for (what, sql) in [("migration", &migration), ("dump", &dump)] {
            match tests::fold_migration(sql) {
                Err(e) => failures.push(format!(
                    "seed {seed}: the DDL source fails on the {what}:\n{e}"
                )),
                Ok(ddl) => {
                    let d = ddl
                        .iter()
                        .map(codegen::snapshot::render)
                        .collect::<Vec<_>>()
                        .join("\n");
                    if d != l {
                        failures.push(format!(
                            "seed {seed}: the DDL model of the {what} differs (- DDL, + live):\n{}\nthe schema:\n{migration}",
                            codegen::snapshot::diff(&d, &l),
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} random schemas differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        ran > refused * 4,
        "the server refused {refused} of {} random statements: the property is nearly vacuous",
        ran + refused
    );
}
