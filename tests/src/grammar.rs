//! Random migrations for the DDL source, from a small grammar of what
//! users write and what attackers try: every statement kind the source
//! folds, every mapped type, hostile names (keywords, prelude names, quotes,
//! backticks, non-ASCII, names past 63 bytes), comments full of Markdown,
//! long operator chains, deep nesting, and files cut or garbled at random.
//!
//! Deterministic: a seed gives the same files on every machine. The build
//! script of this package compiles the generated code of accepted seeds,
//! and `tests/shared_cluster/fuzz.rs` feeds many seeds through the fold and the emitter.

/// A small, fast, deterministic generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value).
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names that stress the mapping to Rust: keywords, names the generated
/// code itself uses, prelude types, mixed case, spaces, punctuation,
/// accents, other scripts, a leading digit.
const NAMES: &[&str] = &[
    "new\nline",
    "back\\slash",
    "star*/",
    "éééééééééééééééééééééééééééééééééééééééé",
    "zero\u{200b}width",
    "line\u{2028}sep",
    "id",
    "name",
    "type",
    "match",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "key",
    "row",
    "start",
    "out",
    "values",
    "option",
    "string",
    "result",
    "vec",
    "std",
    "core",
    "into",
    "table",
    "Table",
    "box",
    "some",
    "none",
    "ok",
    "err",
    "default",
    "async",
    "await",
    "gen",
    "try",
    "union",
    "lastName",
    "First Name",
    "ÉtéPrénom",
    "日本",
    "2fast",
    "a`b",
    "x\"y",
    "with space",
    "tab\there",
    "dollar$",
    "semi;colon",
    "percent%",
    "emoji😀",
    "UPPER",
    "mixed_Case",
    "_leading",
    "trailing_",
    "dots.in.name",
    "quote'd",
];

/// Types the DDL source maps, as a migration would spell them.
const TYPES: &[&str] = &[
    "int",
    "integer",
    "smallint",
    "bigint",
    "int2",
    "int4",
    "int8",
    "real",
    "float8",
    "double precision",
    "numeric",
    "numeric(10,2)",
    "decimal(5)",
    "boolean",
    "bool",
    "text",
    "varchar(40)",
    "character varying",
    "char(3)",
    "uuid",
    "date",
    "time",
    "timestamp",
    "timestamptz",
    "timestamp with time zone",
    "interval",
    "json",
    "jsonb",
    "bytea",
    "inet",
    "text[]",
    "int[]",
    "uuid[]",
    "serial",
    "bigserial",
];

/// Comments that must stay inert text in the docs.
const COMMENTS: &[&str] = &[
    "A plain comment.",
    "```\ncompile_error!(\"a comment ran\");\n```",
    "    std::process::abort();",
    "<script>alert(1)</script> [x](https://example.com) https://example.com/bare",
    "# heading\n- list\n1. item\n| a | b |\n|---|---|",
    "back`tick ``two`` *star* _under_ ~~strike~~ &amp; \\ backslash",
    "it''s quoted",
    "line one\n\nline three",
    "crlf\r\nline \u{2028} sep \u{85} nel \u{200b} zero-width",
    "<!-- hidden --> visible",
    "~~~\ncompile_error!(\"tilde fence\");\n~~~",
    "setext\n===\nand\n---",
    "ends */ here /// not a doc line",
    "--  dashes -- and \"quotes\" and 'single'",
];

/// A SQL identifier for `name`, quoted when it must be.
#[must_use]
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The state of one random migration set: what exists, so later
/// statements mostly refer to real objects.
struct Schema {
    name: String,
    /// Tables and views: name, columns, whether it has a primary key,
    /// whether it is a view.
    tables: Vec<Relation>,
    enums: Vec<String>,
    domains: Vec<String>,
}

#[derive(Debug, Clone)]
struct Relation {
    name: String,
    columns: Vec<String>,
    has_key: bool,
    view: bool,
}

/// A name from the pool, sometimes decorated, sometimes past 63 bytes
/// (PostgreSQL cuts it; the part that tells it apart comes first).
fn name(rng: &mut Rng, taken: &[String]) -> String {
    let cut = |s: &str| {
        let mut end = s.len().min(63);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_owned()
    };
    for _ in 0..20 {
        let base = (*rng.pick(NAMES)).to_owned();
        let candidate = match rng.below(8) {
            0 => format!("{base}_{}", rng.below(100)),
            1 => format!("{base}_{}_{}", rng.below(100), "long_".repeat(14)),
            2 => base.to_uppercase(),
            _ => base,
        };
        if !taken.iter().any(|t| cut(t) == cut(&candidate)) {
            return candidate;
        }
    }
    format!("n{}", rng.next_u64())
}

/// A left-leaning chain of `n` additions: as deep as it is long.
#[must_use]
pub fn chain(n: usize) -> String {
    let mut out = String::with_capacity(n * 2 + 1);
    out.push('1');
    for _ in 1..n {
        out.push_str("+1");
    }
    out
}

/// An expression nested in the ways a parser recurses: parentheses,
/// unary minus, function calls, `CASE`, cast chains (well under the bound).
fn deep_expression(rng: &mut Rng) -> String {
    let depth = 1 + rng.below(300);
    match rng.below(5) {
        0 => format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
        1 => format!("{}1", "- ".repeat(depth)),
        2 => format!("{}1{}", "abs(".repeat(depth), ")".repeat(depth)),
        3 => format!(
            "{}1{}",
            "CASE WHEN true THEN ".repeat(depth.min(100)),
            " END".repeat(depth.min(100))
        ),
        _ => format!("1{}", "::int".repeat(depth)),
    }
}

/// A column definition and the column's name.
fn column(rng: &mut Rng, schema: &Schema, taken: &[String]) -> (String, String) {
    let col = name(rng, taken);
    let mut ty = (*rng.pick(TYPES)).to_owned();
    if !schema.enums.is_empty() && rng.one_in(4) {
        let e: &String = rng.pick(&schema.enums);
        ty = format!("{}.{}", quote(&schema.name), quote(e));
    } else if !schema.domains.is_empty() && rng.one_in(5) {
        let d: &String = rng.pick(&schema.domains);
        ty = format!("{}.{}", quote(&schema.name), quote(d));
    }
    let mut def = format!("{} {ty}", quote(&col));
    let numeric = [
        "int", "integer", "smallint", "bigint", "int2", "int4", "int8",
    ]
    .contains(&ty.as_str());
    match rng.below(8) {
        0 => def.push_str(" NOT NULL"),
        1 if numeric => {
            def.push_str(" DEFAULT ");
            def.push_str(&chain(1 + rng.below(50)));
        }
        2 if ty == "text" => def.push_str(" DEFAULT 'it''s'"),
        3 if ty == "bigint" => def.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        4 if numeric => def.push_str(" CHECK (1 + 1 = 2)"),
        _ => {}
    }
    (def, col)
}

/// One `CREATE TABLE`.
fn create_table(rng: &mut Rng, schema: &mut Schema) -> String {
    let taken: Vec<String> = schema.tables.iter().map(|t| t.name.clone()).collect();
    let table = name(rng, &taken);
    let mut columns: Vec<String> = Vec::new();
    let mut defs = Vec::new();
    let has_key = rng.below(3) > 0;
    if has_key {
        let key = name(rng, &columns);
        defs.push(format!("{} int PRIMARY KEY", quote(&key)));
        columns.push(key);
    }
    for _ in 0..rng.below(6) {
        let (def, col) = column(rng, schema, &columns);
        defs.push(def);
        columns.push(col);
    }
    if let Some(Relation {
        name: target,
        has_key: true,
        view: false,
        ..
    }) = schema
        .tables
        .get(rng.below(schema.tables.len().max(1)))
        .cloned()
        && rng.one_in(2)
    {
        let fk = name(rng, &columns);
        defs.push(format!(
            "{} int REFERENCES {}.{}",
            quote(&fk),
            quote(&schema.name),
            quote(&target)
        ));
        columns.push(fk);
    }
    if defs.is_empty() {
        defs.push("\"only\" text".to_owned());
        columns.push("only".to_owned());
    }
    let sql = format!(
        "CREATE TABLE {}.{} (\n    {}\n);\n",
        quote(&schema.name),
        quote(&table),
        defs.join(",\n    ")
    );
    schema.tables.push(Relation {
        name: table,
        columns,
        has_key,
        view: false,
    });
    sql
}

/// A statement about existing objects, or a new one.
#[allow(clippy::too_many_lines, reason = "one arm per statement kind")]
fn statement(rng: &mut Rng, schema: &mut Schema) -> String {
    let tables: Vec<usize> = (0..schema.tables.len())
        .filter(|i| !schema.tables[*i].view)
        .collect();
    let qualified =
        |schema: &Schema, name: &str| format!("{}.{}", quote(&schema.name), quote(name));
    match rng.below(12) {
        0 => {
            let taken = schema.enums.clone();
            let e = format!("{}_kind", name(rng, &taken));
            let labels: Vec<String> = (0..=rng.below(4))
                .map(|i| format!("'{}{i}'", rng.pick(NAMES).replace('\'', "''")))
                .collect();
            let sql = format!(
                "CREATE TYPE {} AS ENUM ({});\n",
                qualified(schema, &e),
                labels.join(", ")
            );
            schema.enums.push(e);
            sql
        }
        1 => {
            let taken = schema.domains.clone();
            let d = format!("{}_dom", name(rng, &taken));
            let sql = format!(
                "CREATE DOMAIN {} AS {}{};\n",
                qualified(schema, &d),
                rng.pick(&["text", "int", "numeric(8,2)", "uuid"]),
                if rng.one_in(2) { " NOT NULL" } else { "" }
            );
            schema.domains.push(d);
            sql
        }
        2 | 3 if !tables.is_empty() => {
            let i = *rng.pick(&tables);
            let Relation {
                name: table,
                columns,
                ..
            } = schema.tables[i].clone();
            let (def, col) = column(rng, schema, &columns);
            schema.tables[i].columns.push(col);
            format!(
                "ALTER TABLE {} ADD COLUMN {def};\n",
                qualified(schema, &table)
            )
        }
        4 if !tables.is_empty() => {
            let Relation {
                name: table,
                columns,
                ..
            } = schema.tables[*rng.pick(&tables)].clone();
            let comment = rng.pick(COMMENTS).replace('\'', "''");
            match columns.first() {
                Some(col) if rng.one_in(2) => format!(
                    "COMMENT ON COLUMN {}.{} IS '{comment}';\n",
                    qualified(schema, &table),
                    quote(col)
                ),
                _ => format!(
                    "COMMENT ON TABLE {} IS '{comment}';\n",
                    qualified(schema, &table)
                ),
            }
        }
        5 if !tables.is_empty() => {
            let Relation {
                name: table,
                columns,
                ..
            } = schema.tables[*rng.pick(&tables)].clone();
            let taken: Vec<String> = schema.tables.iter().map(|t| t.name.clone()).collect();
            let view = name(rng, &taken);
            let select = columns
                .iter()
                .take(3)
                .map(|c| quote(c))
                .chain(std::iter::once(format!(
                    "({})::int AS \"sum\"",
                    chain(1 + rng.below(30))
                )))
                .collect::<Vec<_>>()
                .join(", ");
            schema.tables.push(Relation {
                name: view.clone(),
                columns: Vec::new(),
                has_key: false,
                view: true,
            });
            format!(
                "CREATE VIEW {} AS SELECT {select} FROM {};\n",
                qualified(schema, &view),
                qualified(schema, &table)
            )
        }
        6 if !tables.is_empty() => {
            let table = schema.tables[*rng.pick(&tables)].name.clone();
            format!(
                "CREATE INDEX ON {} ((1));\nGRANT SELECT ON {} TO PUBLIC;\n",
                qualified(schema, &table),
                qualified(schema, &table)
            )
        }
        7 => format!(
            "SAVEPOINT s;\nCREATE TABLE {}.\"undone\" (id int);\nROLLBACK TO SAVEPOINT s;\n",
            quote(&schema.name)
        ),
        8 if !schema.tables.is_empty() => {
            let i = rng.below(schema.tables.len());
            let gone = schema.tables.remove(i);
            let kind = if gone.view { "VIEW" } else { "TABLE" };
            format!("DROP {kind} {} CASCADE;\n", qualified(schema, &gone.name))
        }
        9 if !tables.is_empty() => {
            let i = *rng.pick(&tables);
            let table = schema.tables[i].name.clone();
            let columns = schema.tables[i].columns.clone();
            let Some(col) = columns.last().cloned() else {
                return String::new();
            };
            match rng.below(3) {
                0 => {
                    let new = name(rng, &columns);
                    schema.tables[i]
                        .columns
                        .last_mut()
                        .expect("not empty")
                        .clone_from(&new);
                    format!(
                        "ALTER TABLE {} RENAME COLUMN {} TO {};\n",
                        qualified(schema, &table),
                        quote(&col),
                        quote(&new)
                    )
                }
                1 => format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {};\n",
                    qualified(schema, &table),
                    quote(&col),
                    deep_expression(rng)
                ),
                _ => {
                    schema.tables[i].columns.pop();
                    format!(
                        "ALTER TABLE {} DROP COLUMN {} CASCADE;\n",
                        qualified(schema, &table),
                        quote(&col)
                    )
                }
            }
        }
        10 => "DO $$ BEGIN RAISE NOTICE 'data only'; END $$;\n".to_owned(),
        _ => create_table(rng, schema),
    }
}

/// A migration set for one section: `(schema name, files in order)`. With
/// `valid`, the files are well-formed (the fold may still refuse a name
/// clash in Rust); without, some are cut, garbled, or made too deep.
#[must_use]
pub fn migrations(seed: u64, valid: bool) -> (String, Vec<String>) {
    let mut rng = Rng::new(seed);
    let mut schema = Schema {
        name: format!(
            "s{}_{}",
            seed % 1000,
            rng.pick(NAMES)
                .replace(|c: char| c == '"' || c.is_control(), "")
        ),
        tables: Vec::new(),
        enums: Vec::new(),
        domains: Vec::new(),
    };
    let mut files = vec![format!("CREATE SCHEMA {};\n", quote(&schema.name))];
    for _ in 0..=rng.below(3) {
        let mut file = String::new();
        if rng.one_in(4) {
            file.push_str("BEGIN;\n");
        }
        for _ in 0..=rng.below(6) {
            file.push_str(&statement(&mut rng, &mut schema));
        }
        files.push(file);
    }
    for file in &mut files {
        // What editors write: a byte-order mark, Windows line ends.
        if rng.one_in(8) {
            file.insert(0, '\u{feff}');
        }
        if rng.one_in(6) {
            *file = file.replace('\n', "\r\n");
        }
    }
    if !valid {
        let i = rng.below(files.len());
        files[i] = garble(&mut rng, &files[i]);
    }
    (schema.name, files)
}

/// Breaks a file the ways files break: cut short, a byte changed, an
/// unclosed quote, body or comment, a NUL, a chain or nesting too deep,
/// a bare `ROLLBACK`.
fn garble(rng: &mut Rng, file: &str) -> String {
    let cut = |rng: &mut Rng| {
        let mut at = rng.below(file.len().max(1));
        while !file.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match rng.below(9) {
        0 => file[..cut(rng)].to_owned(),
        1 => {
            let at = cut(rng);
            format!(
                "{}{}{}",
                &file[..at],
                rng.pick(&["'", "\"", "$$", "/*", "(", ")", "[", "E'\\000'"]),
                &file[at..]
            )
        }
        2 => format!("{file}\0"),
        3 => format!(
            "{file}CREATE TABLE t (a int DEFAULT {});\n",
            chain(10_001 + rng.below(5000))
        ),
        4 => format!("{file}CREATE TABLE t (a int{});\n", "[]".repeat(10_001)),
        5 => format!(
            "{file}CREATE VIEW v AS SELECT {}1{} AS x;\n",
            "(".repeat(200),
            ")".repeat(200)
        ),
        6 => format!("{file}ROLLBACK;\n"),
        7 => file.replace("CREATE", "CRATE"),
        _ => format!("{file}ALTER TABLE nowhere.nothing ADD COLUMN x int;\n"),
    }
}
