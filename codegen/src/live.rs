//! The live source: a running database's catalog, read into the same model
//! the DDL source produces.
//!
//! Four catalog queries on `pg_catalog` for any number of schemas and
//! tables (the schemas exist; relations with their columns; constraints;
//! enums and domains), each one round trip (`query_typed`), and one more for
//! each level of enums and domains of schemas that are no section which the
//! sections use (`public.email` over `public.citext`: one). The session's `search_path` is
//! `pg_catalog`, so the server spells every default and type fully
//! qualified, as the DDL source does, and its `TimeZone` is UTC.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use postgres::Client;
use postgres::types::Type;

use crate::error::Error;
use crate::model::{
    Action, Column, Domain, Enum, ForeignKey, Identity, Key, PgType, Section, Table, TableKind,
    UserType, View,
};

/// How long a connection attempt may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the catalog queries of one introspection may take together,
/// beyond the connect timeout: the server cancels a longer one
/// (`statement_timeout`), and the client gives up waiting.
pub const CATALOG_TIMEOUT: Duration = Duration::from_secs(30);

/// The catalog round trips one introspection takes, whatever the size,
/// when the sections use no type of a schema that is no section.
pub const ROUND_TRIPS: usize = 4;

/// Connects to `url`, for introspection and migrations. `timeout` bounds
/// every stage of connecting: the TCP connect, TLS, the startup handshake
/// and authentication (a server that accepts TCP but never answers fails
/// after `timeout`, it does not hang).
///
/// # Errors
/// [`Error::Connect`] naming the URL (password masked) and what to do.
pub fn connect(url: &str, timeout: Duration) -> Result<Client, Error> {
    connect_with(url, timeout, "")
}

/// Connects within `timeout` and reads `sections` with the catalog queries
/// bounded by [`CATALOG_TIMEOUT`]: never waits longer than the two together.
///
/// # Errors
/// [`Error::Connect`] when the server cannot be reached or does not answer,
/// [`Error::Database`] when a catalog query fails or takes too long.
pub fn read(
    url: &str,
    sections: &[(String, String)],
    timeout: Duration,
) -> Result<Vec<Section>, Error> {
    let statement_timeout = format!(" -c statement_timeout={}", CATALOG_TIMEOUT.as_millis());
    let mut client = connect_with(url, timeout, &statement_timeout)?;
    let sections = sections.to_vec();
    within(CATALOG_TIMEOUT, move || introspect(&mut client, &sections)).unwrap_or_else(|| {
        Err(Error::Database {
            message: format!(
                "the catalog queries on {} did not finish within {} s; check the server's load, or use the committed snapshots with SECTIONS_OFFLINE=1",
                mask_password(url),
                CATALOG_TIMEOUT.as_secs()
            ),
        })
    })
}

fn connect_with(url: &str, timeout: Duration, options: &str) -> Result<Client, Error> {
    // The TLS its `sslmode` asks for, as in applications.
    let (config, tls) = pg_sections::tls::parse(url).map_err(|e| Error::Connect {
        url: mask_password(url),
        message: match e {
            pg_sections::Error::Tls { message, .. } => message,
            pg_sections::Error::Connect { source, .. } => {
                format!("not a valid connection string: {source}")
            }
            other => other.to_string(),
        },
    })?;
    let mut config = postgres::Config::from(config);
    // The URL's own `connect_timeout` wins; zero means no limit, as in libpq.
    let timeout = config.get_connect_timeout().copied().unwrap_or(timeout);
    let bounded = !timeout.is_zero();
    if bounded {
        config.connect_timeout(timeout);
    }
    // Fully qualified names in defaults and types, as the DDL source writes
    // them; constants in defaults printed the same whatever the server's
    // settings (`timestamptz` in UTC, ISO dates, `postgres` intervals).
    config.options(&format!(
        "-c search_path=pg_catalog -c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres{options}"
    ));
    if config.get_application_name().is_none() {
        config.application_name("pg-sections codegen");
    }
    // `connect_timeout` covers the TCP connect only: bound the handshake
    // and authentication too, the whole timeout for each host of the URL.
    let masked = mask_password(url);
    let hosts = u32::try_from(config.get_hosts().len().max(1)).unwrap_or(u32::MAX);
    let connected = if bounded {
        within(timeout.saturating_mul(hosts), move || config.connect(tls)).ok_or_else(|| {
            Error::Connect {
                url: masked.clone(),
                message: format!(
                    "the server did not complete the connection (TCP connect, startup, authentication) within {} s",
                    timeout.as_secs_f64()
                ),
            }
        })?
    } else {
        config.connect(tls)
    };
    connected.map_err(|e| Error::Connect {
        url: masked,
        message: pg_sections::with_causes(&e),
    })
}

/// Runs `work` on a thread of its own and waits at most `timeout` for it.
/// `None` when it did not finish in time: the thread is left blocked on its
/// socket (it ends with the process, which a build script or the CLI soon
/// does), and the caller goes on.
fn within<T: Send + 'static>(
    timeout: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("pg-sections connect".to_owned())
        .spawn(move || {
            let _ = tx.send(work());
        });
    match spawned {
        Ok(_) => rx.recv_timeout(timeout).ok(),
        Err(_) => None,
    }
}

/// The server's message (with its detail and hint) rather than the
/// driver's bare "db error".
pub(crate) fn server_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut message = db.message().to_owned();
            if let Some(detail) = db.detail() {
                let _ = write!(message, " ({detail})");
            }
            if let Some(hint) = db.hint() {
                let _ = write!(message, "; {hint}");
            }
            message
        }
        None => pg_sections::with_causes(e),
    }
}

/// A connection string as messages show it, password masked: the
/// runtime's, so the CLI and applications show URLs alike.
pub use pg_sections::mask_password;

/// Reads the schemas of `sections` (`(section name, schema)`) from the
/// database behind `client`.
///
/// # Errors
/// A catalog query failed.
pub fn introspect(
    client: &mut Client,
    sections: &[(String, String)],
) -> Result<Vec<Section>, Error> {
    let schemas: Vec<String> = sections.iter().map(|(_, s)| s.clone()).collect();
    let mut by_schema: BTreeMap<String, Section> = sections
        .iter()
        .map(|(name, schema)| (schema.clone(), Section::new(name.clone(), schema.clone())))
        .collect();
    let param: [(&(dyn postgres::types::ToSql + Sync), Type); 1] = [(&schemas, Type::TEXT_ARRAY)];
    let query = |client: &mut Client, sql: &str| {
        client
            .query_typed(sql, &param)
            .map_err(|e| Error::Database {
                message: format!("a catalog query failed: {}", server_error(&e)),
            })
    };
    let missing: Vec<String> = query(client, MISSING_SCHEMAS)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Database {
            message: format!(
                "the database has no schema {}; apply the migrations first (`{}`) or check the schema names in sections.toml",
                missing
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                crate::command::suggest("migrate")
            ),
        });
    }
    for row in query(client, RELATIONS)? {
        let schema: String = row.get("schema");
        let Some(section) = by_schema.get_mut(&schema) else {
            continue;
        };
        let relname: String = row.get("relname");
        let kind: String = row.get("relkind");
        let comment: Option<String> = row.get("comment");
        let column = column(&row);
        match kind.as_str() {
            "v" | "m" => {
                let view = section
                    .views
                    .entry(relname.clone())
                    .or_insert_with(|| View {
                        name: relname,
                        materialized: kind == "m",
                        columns: Vec::new(),
                        comment,
                    });
                view.columns.extend(column);
            }
            _ => {
                let table = section
                    .tables
                    .entry(relname.clone())
                    .or_insert_with(|| Table {
                        name: relname,
                        kind: if kind == "p" {
                            TableKind::Partitioned
                        } else {
                            TableKind::Ordinary
                        },
                        columns: Vec::new(),
                        primary_key: None,
                        unique: Vec::new(),
                        foreign_keys: Vec::new(),
                        comment,
                    });
                table.columns.extend(column);
            }
        }
    }
    for row in query(client, CONSTRAINTS)? {
        let schema: String = row.get("schema");
        let relname: String = row.get("relname");
        let Some(table) = by_schema
            .get_mut(&schema)
            .and_then(|s| s.tables.get_mut(&relname))
        else {
            continue;
        };
        let name: String = row.get("conname");
        let columns: Vec<String> = row.get("columns");
        match row.get::<_, String>("contype").as_str() {
            "p" => table.primary_key = Some(Key { name, columns }),
            "u" => table.unique.push(Key { name, columns }),
            _ => table.foreign_keys.push(ForeignKey {
                name,
                columns,
                foreign_schema: row.get("foreign_schema"),
                foreign_table: row.get("foreign_table"),
                foreign_columns: row.get("foreign_columns"),
                on_delete: action(&row.get::<_, String>("on_delete")),
                on_update: action(&row.get::<_, String>("on_update")),
            }),
        }
    }
    for row in query(
        client,
        &format!("{TYPES} WHERE n.nspname = ANY($1) {TYPES_ORDER}"),
    )? {
        let schema: String = row.get("schema");
        let Some(section) = by_schema.get_mut(&schema) else {
            continue;
        };
        match user_type(&row) {
            UserType::Enum(e) => {
                section.enums.insert(e.name.clone(), e);
            }
            UserType::Domain(d) => {
                section.domains.insert(d.name.clone(), d);
            }
        }
    }
    let mut out: Vec<Section> = by_schema.into_values().collect();
    read_outside(client, &mut out, &schemas)?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Fills each section's `outside`: the enums and domains of schemas that
/// are no section (not in `schemas`) which it uses, read as the sections
/// name them, then those their domains name, and so on: a query per level.
fn read_outside(client: &mut Client, out: &mut [Section], schemas: &[String]) -> Result<(), Error> {
    let is_section = |schema: &str| schemas.iter().any(|s| s == schema);
    let mut known: BTreeMap<(String, String), Option<UserType>> = BTreeMap::new();
    loop {
        let mut wanted: Vec<(String, String)> = Vec::new();
        for section in out.iter() {
            section.outside_types(is_section, |schema, name| {
                let key = (schema.to_owned(), name.to_owned());
                let found = known.get(&key).cloned();
                if found.is_none() {
                    wanted.push(key);
                }
                found.flatten()
            });
        }
        if wanted.is_empty() {
            break;
        }
        let (names, types): (Vec<String>, Vec<String>) = wanted.iter().cloned().unzip();
        let rows = client
            .query_typed(
                &format!(
                    "{TYPES} WHERE (n.nspname, t.typname) IN (SELECT * FROM unnest($1::text[], $2::text[])) {TYPES_ORDER}"
                ),
                &[(&names, Type::TEXT_ARRAY), (&types, Type::TEXT_ARRAY)],
            )
            .map_err(|e| Error::Database {
                message: format!("a catalog query failed: {}", server_error(&e)),
            })?;
        for key in wanted {
            known.insert(key, None);
        }
        for row in rows {
            let schema: String = row.get("schema");
            let found = user_type(&row);
            known.insert((schema, found.name().to_owned()), Some(found));
        }
    }
    for section in out {
        section.outside = section.outside_types(is_section, |schema, name| {
            known
                .get(&(schema.to_owned(), name.to_owned()))
                .cloned()
                .flatten()
        });
    }
    Ok(())
}

/// An enum or domain, from a row of [`TYPES`].
fn user_type(row: &postgres::Row) -> UserType {
    let name: String = row.get("typname");
    let comment: Option<String> = row.get("comment");
    if row.get::<_, String>("typtype") == "e" {
        return UserType::Enum(Enum {
            name,
            labels: row.get("labels"),
            comment,
        });
    }
    let base = pg_type(&TypeRow {
        category: row.get("base_category"),
        name: row.get("base_name"),
        schema: row.get("base_schema"),
        element_name: row.get("base_element_name"),
        element_schema: row.get("base_element_schema"),
        typmod: row.get("typtypmod"),
    });
    UserType::Domain(Domain {
        name,
        base,
        nullable: !row.get::<_, bool>("typnotnull"),
        default: row.get("typdefault"),
        comment,
    })
}

fn column(row: &postgres::Row) -> Option<Column> {
    let name: Option<String> = row.get("attname");
    let name = name?;
    let identity: String = row.get("attidentity");
    let generated: String = row.get("attgenerated");
    let default: Option<String> = row.get("default");
    // Stored (`s`) or, from PostgreSQL 18, virtual (`v`): the model does
    // not tell them apart.
    let is_generated = generated == "s" || generated == "v";
    Some(Column {
        name,
        ty: pg_type(&TypeRow {
            category: row.get("typcategory"),
            name: row.get("typname"),
            schema: row.get("type_schema"),
            element_name: row.get("element_name"),
            element_schema: row.get("element_schema"),
            typmod: row.get("atttypmod"),
        }),
        nullable: !row.get::<_, bool>("attnotnull"),
        default: if is_generated { None } else { default.clone() },
        identity: match identity.as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        },
        generated: if is_generated { default } else { None },
        comment: row.get("column_comment"),
    })
}

struct TypeRow {
    category: String,
    name: String,
    schema: String,
    element_name: Option<String>,
    element_schema: Option<String>,
    typmod: i32,
}

/// A catalog type as the model spells it: built-ins by catalog name,
/// user types with their schema, arrays by element and dimensions.
fn pg_type(row: &TypeRow) -> PgType {
    let (name, schema, dims) = match (&row.element_name, &row.element_schema) {
        // `attndims` is what the column was declared with, which
        // `pg_dump` does not keep and the server does not enforce: an
        // array is an array, as the DDL source reads it.
        (Some(name), Some(schema)) if row.category == "A" => (name.clone(), schema.clone(), 1),
        _ => (row.name.clone(), row.schema.clone(), 0),
    };
    // Extension types the model treats as built in.
    let builtin = schema == "pg_catalog" || name == "citext";
    PgType {
        modifiers: modifiers(&name, row.typmod, builtin),
        schema: (!builtin).then_some(schema),
        name,
        array_dims: dims,
    }
}

/// `atttypmod` decoded the way `format_type` does for the types whose
/// modifiers the model keeps.
fn modifiers(name: &str, typmod: i32, builtin: bool) -> Vec<i32> {
    if !builtin || typmod < 0 {
        return Vec::new();
    }
    match name {
        "varchar" | "bpchar" if typmod >= 4 => vec![typmod - 4],
        "numeric" if typmod >= 4 => {
            let packed = typmod - 4;
            // The scale is 11 bits, signed (`numeric(5, -2)`, PostgreSQL
            // 15): sign-extended as `numeric_typmod_scale` does.
            let scale = ((packed & 0x7ff) ^ 0x400) - 0x400;
            vec![(packed >> 16) & 0xffff, scale]
        }
        "timestamp" | "timestamptz" | "time" | "timetz" | "bit" | "varbit" => {
            vec![typmod]
        }
        _ => Vec::new(),
    }
}

fn action(code: &str) -> Action {
    match code {
        "r" => Action::Restrict,
        "c" => Action::Cascade,
        "n" => Action::SetNull,
        "d" => Action::SetDefault,
        _ => Action::NoAction,
    }
}

const MISSING_SCHEMAS: &str = "
SELECT s.name FROM unnest($1::text[]) AS s(name)
WHERE NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = s.name)
ORDER BY 1";

const RELATIONS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS relname, c.relkind::text AS relkind,
       obj_description(c.oid, 'pg_class') AS comment,
       a.attname::text AS attname, COALESCE(a.attnotnull, false) AS attnotnull,
       COALESCE(a.attidentity::text, '') AS attidentity,
       COALESCE(a.attgenerated::text, '') AS attgenerated,
       pg_get_expr(d.adbin, d.adrelid) AS default,
       col_description(c.oid, a.attnum) AS column_comment,
       COALESCE(t.typcategory::text, '') AS typcategory, COALESCE(t.typname::text, '') AS typname,
       COALESCE(tn.nspname::text, '') AS type_schema,
       et.typname::text AS element_name, etn.nspname::text AS element_schema,
       COALESCE(a.atttypmod, -1) AS atttypmod
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem AND et.typarray = t.oid
LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
ORDER BY n.nspname, c.relname, a.attnum";

const CONSTRAINTS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS relname, k.conname::text AS conname,
       k.contype::text AS contype,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, i)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
             ORDER BY u.i) AS columns,
       fn.nspname::text AS foreign_schema, fc.relname::text AS foreign_table,
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, i)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
             ORDER BY u.i) AS foreign_columns,
       k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY($1) AND k.contype IN ('p', 'u', 'f') AND NOT c.relispartition
ORDER BY 1, 2, 3";

const TYPES: &str = "
SELECT n.nspname::text AS schema, t.typname::text AS typname, t.typtype::text AS typtype,
       ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid
             ORDER BY e.enumsortorder) AS labels,
       COALESCE(bt.typcategory::text, '') AS base_category,
       COALESCE(bt.typname::text, '') AS base_name, COALESCE(btn.nspname::text, '') AS base_schema,
       bet.typname::text AS base_element_name, betn.nspname::text AS base_element_schema,
       t.typtypmod, t.typnotnull, pg_get_expr(t.typdefaultbin, 0) AS typdefault,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_namespace btn ON btn.oid = bt.typnamespace
LEFT JOIN pg_type bet ON bt.typcategory = 'A' AND bet.oid = bt.typelem AND bet.typarray = bt.oid
LEFT JOIN pg_namespace betn ON betn.oid = bet.typnamespace";

/// What follows [`TYPES`] and its condition.
const TYPES_ORDER: &str = "AND t.typtype IN ('e', 'd') ORDER BY 1, 2";
