//! sqlparser's `DataType` → the model's `PgType`, under PostgreSQL's
//! canonical catalog names (`integer` → `int4`, `timestamp with time zone` →
//! `timestamptz`), so that DDL and live introspection agree.

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, ObjectName, TimezoneInfo,
};

use crate::model::PgType;

/// The result of reading a column type: `serial` types are `int4`/`int8`/`int2`
/// plus a sequence default.
pub(crate) struct ColumnType {
    pub ty: PgType,
    pub serial: bool,
}

/// Why a type could not be read; the caller adds the position.
pub(crate) enum TypeError {
    /// A name that is neither built in nor created earlier.
    Unknown(String),
    /// A type form we do not model.
    Unsupported(String),
}

/// Looks up user-defined types (enums, domains) by schema and name.
pub(crate) trait TypeScope {
    /// The `search_path` an unqualified name is looked up on, `pg_catalog`
    /// (the built-in types) in its place.
    fn path(&self) -> &[String];
    /// Whether `schema.name` is a user type created earlier.
    fn has_type(&self, schema: &str, name: &str) -> bool;
    /// Whether an extension created earlier keeps its objects in `schema`.
    fn has_extension_in(&self, schema: &str) -> bool;
}

/// Folds a lower-cased SQL type name to its catalog name.
fn fold_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "smallint" | "int2" => "int2",
        "integer" | "int" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "real" | "float4" => "float4",
        "double precision" | "float8" => "float8",
        "boolean" | "bool" => "bool",
        "decimal" | "numeric" => "numeric",
        "character varying" | "varchar" => "varchar",
        "character" | "bpchar" => "bpchar",
        "timestamp with time zone" | "timestamptz" => "timestamptz",
        "timestamp without time zone" | "timestamp" => "timestamp",
        "time with time zone" | "timetz" => "timetz",
        "time without time zone" | "time" => "time",
        "bit varying" | "varbit" => "varbit",
        // An extension's type the model treats as built in, as the live
        // source does.
        "citext" => "citext",
        // What the server shows a `NULL` of no type as (`NULL::unknown`).
        "unknown" => "unknown",
        // Every other type of `pg_catalog` a column can have.
        other => super::builtins::builtins().column_type_name(other)?,
    })
}

fn builtin(name: &str) -> PgType {
    PgType::builtin(name)
}

fn with_mods(name: &str, mods: Vec<i32>) -> PgType {
    PgType {
        modifiers: mods,
        ..builtin(name)
    }
}

fn precision(p: Option<u64>) -> Vec<i32> {
    p.and_then(|p| i32::try_from(p).ok()).into_iter().collect()
}

fn char_length(len: Option<&CharacterLength>, default: Option<i32>) -> Vec<i32> {
    match len {
        Some(CharacterLength::IntegerLength { length, .. }) => {
            i32::try_from(*length).ok().into_iter().collect()
        }
        Some(CharacterLength::Max) => Vec::new(),
        None => default.into_iter().collect(),
    }
}

fn exact(info: &ExactNumberInfo) -> Vec<i32> {
    match info {
        ExactNumberInfo::None => Vec::new(),
        // `numeric(p)` is `numeric(p, 0)`, as the catalog reports it.
        ExactNumberInfo::Precision(p) => i32::try_from(*p).ok().into_iter().chain([0]).collect(),
        ExactNumberInfo::PrecisionAndScale(p, s) => {
            [i32::try_from(*p).ok(), i32::try_from(*s).ok()]
                .into_iter()
                .flatten()
                .collect()
        }
    }
}

/// Reads a column's declared type.
pub(crate) fn column_type(
    data_type: &DataType,
    scope: &dyn TypeScope,
) -> Result<ColumnType, TypeError> {
    if let DataType::Custom(name, mods) = data_type
        && name.0.len() == 1
        && mods.is_empty()
    {
        let lower = ident_text(name, 0).to_ascii_lowercase();
        let serial = match lower.as_str() {
            "serial" | "serial4" => Some("int4"),
            "bigserial" | "serial8" => Some("int8"),
            "smallserial" | "serial2" => Some("int2"),
            _ => None,
        };
        if let Some(base) = serial {
            return Ok(ColumnType {
                ty: builtin(base),
                serial: true,
            });
        }
    }
    Ok(ColumnType {
        ty: pg_type(data_type, scope)?,
        serial: false,
    })
}

fn ident_text(name: &ObjectName, index: usize) -> String {
    name.0
        .get(index)
        .and_then(|part| part.as_ident())
        .map(super::fold::fold_ident)
        .unwrap_or_default()
}

/// Reads a type in any position (column, cast, domain base).
#[allow(
    clippy::too_many_lines,
    reason = "one arm per SQL spelling; splitting would hide the table"
)]
pub(crate) fn pg_type(data_type: &DataType, scope: &dyn TypeScope) -> Result<PgType, TypeError> {
    if let Some(user) = shadowing_type(data_type, scope) {
        return Ok(user);
    }
    Ok(match data_type {
        DataType::SmallInt(_) | DataType::Int2(_) => builtin("int2"),
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => builtin("int4"),
        DataType::BigInt(_) | DataType::Int8(_) => builtin("int8"),
        DataType::Real | DataType::Float4 => builtin("float4"),
        DataType::DoublePrecision | DataType::Float8 | DataType::Double(ExactNumberInfo::None) => {
            builtin("float8")
        }
        DataType::Float(info) => match info {
            ExactNumberInfo::Precision(p) if *p <= 24 => builtin("float4"),
            _ => builtin("float8"),
        },
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => {
            with_mods("numeric", exact(info))
        }
        DataType::Bool | DataType::Boolean => builtin("bool"),
        DataType::Text => builtin("text"),
        DataType::Varchar(len) | DataType::CharacterVarying(len) | DataType::CharVarying(len) => {
            with_mods("varchar", char_length(len.as_ref(), None))
        }
        DataType::Char(len) | DataType::Character(len) => {
            with_mods("bpchar", char_length(len.as_ref(), Some(1)))
        }
        DataType::Uuid => builtin("uuid"),
        DataType::Bytea => builtin("bytea"),
        DataType::JSON => builtin("json"),
        DataType::JSONB => builtin("jsonb"),
        DataType::Date => builtin("date"),
        DataType::Time(p, tz) => with_mods(
            if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) {
                "timetz"
            } else {
                "time"
            },
            precision(*p),
        ),
        DataType::Timestamp(p, tz) => with_mods(
            if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) {
                "timestamptz"
            } else {
                "timestamp"
            },
            precision(*p),
        ),
        DataType::Interval { .. } => builtin("interval"),
        DataType::Bit(n) => with_mods("bit", precision(Some(n.unwrap_or(1)))),
        DataType::BitVarying(n) | DataType::VarBit(n) => with_mods("varbit", precision(*n)),
        DataType::Regclass => builtin("regclass"),
        DataType::TsVector => builtin("tsvector"),
        DataType::TsQuery => builtin("tsquery"),
        DataType::Array(elem) => {
            let inner = match elem {
                ArrayElemTypeDef::SquareBracket(inner, _) => inner,
                ArrayElemTypeDef::None => {
                    return Err(TypeError::Unsupported(
                        "an array without an element type".to_owned(),
                    ));
                }
                _ => {
                    return Err(TypeError::Unsupported(data_type.to_string()));
                }
            };
            // PostgreSQL keeps no count of dimensions (`pg_dump` writes
            // `text[]` for `text[][]`, and the server enforces neither):
            // an array is an array.
            let mut ty = pg_type(inner, scope)?;
            ty.array_dims = 1;
            ty
        }
        DataType::Custom(name, mods) => custom(name, mods, scope)?,
        other => return Err(TypeError::Unsupported(other.to_string())),
    })
}

/// A type of the database's own named like a built-in type that the parser
/// reads as a keyword but PostgreSQL looks up on the `search_path` (`text`,
/// `json`, `date`, …), in a schema the path places before `pg_catalog`.
fn shadowing_type(data_type: &DataType, scope: &dyn TypeScope) -> Option<PgType> {
    let before = scope.path().iter().take_while(|s| *s != "pg_catalog");
    // Nothing before `pg_catalog`: the built-in type.
    before.clone().next()?;
    let name = data_type.to_string().to_ascii_lowercase();
    if !matches!(
        name.as_str(),
        "text"
            | "uuid"
            | "bytea"
            | "json"
            | "jsonb"
            | "date"
            | "bool"
            | "int2"
            | "int4"
            | "int8"
            | "float4"
            | "float8"
    ) {
        return None;
    }
    let schema = before.clone().find(|s| scope.has_type(s, &name))?;
    Some(PgType {
        schema: Some(schema.clone()),
        name,
        modifiers: Vec::new(),
        array_dims: 0,
    })
}

fn custom(name: &ObjectName, mods: &[String], scope: &dyn TypeScope) -> Result<PgType, TypeError> {
    let modifiers: Vec<i32> = mods.iter().filter_map(|m| m.trim().parse().ok()).collect();
    match name.0.len() {
        1 => {
            let type_name = ident_text(name, 0);
            // The first schema on the path that has it: `pg_catalog` has
            // the built-in types.
            for schema in scope.path() {
                if schema == "pg_catalog" {
                    if let Some(b) = fold_alias(&type_name) {
                        return Ok(with_mods(b, modifiers));
                    }
                } else if scope.has_type(schema, &type_name) {
                    return Ok(PgType {
                        schema: Some(schema.clone()),
                        name: type_name,
                        modifiers,
                        array_dims: 0,
                    });
                }
            }
            // Not created by a migration: an extension's, when one lives on
            // the path.
            scope
                .path()
                .iter()
                .find(|s| *s != "pg_catalog" && scope.has_extension_in(s))
                .map(|schema| PgType {
                    schema: Some(schema.to_owned()),
                    name: type_name.clone(),
                    modifiers,
                    array_dims: 0,
                })
                .ok_or(TypeError::Unknown(type_name))
        }
        2 => {
            let schema = ident_text(name, 0);
            let type_name = ident_text(name, 1);
            if schema == "pg_catalog" {
                return fold_alias(&type_name)
                    .map(|b| with_mods(b, modifiers.clone()))
                    .ok_or(TypeError::Unknown(format!("{schema}.{type_name}")));
            }
            if type_name == "citext" && scope.has_extension_in(&schema) {
                return Ok(with_mods("citext", modifiers));
            }
            if scope.has_type(&schema, &type_name) || scope.has_extension_in(&schema) {
                Ok(PgType {
                    schema: Some(schema),
                    name: type_name,
                    modifiers,
                    array_dims: 0,
                })
            } else {
                Err(TypeError::Unknown(format!("{schema}.{type_name}")))
            }
        }
        _ => Err(TypeError::Unsupported(name.to_string())),
    }
}
