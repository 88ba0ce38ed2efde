//! PostgreSQL's built-in types, implicit casts, operators and functions, as
//! a stock server's catalog lists them. `builtins.txt` is generated from
//! `pg_type`, `pg_range`, `pg_cast`, `pg_operator` and `pg_proc` by
//! `builtins.sql` (the `tests` package checks it against its server), and
//! read once, the first time a view's expression needs a type.
//!
//! Lines: `t name category preferred`, `r range subtype multirange`,
//! `c from to` (implicit casts), `o name left right result` (`-` for a
//! prefix operator's left side), `f name kind[s] defaults result args…
//! [-> name:type…]` (`s`: returns a set; an argument is `[name=]type`; a
//! `...` before the last argument: variadic; after `->`, the columns of a
//! function returning `record`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const TABLE: &str = include_str!("builtins.txt");

/// A type's category (`pg_type.typcategory`) and whether it is the
/// preferred type of that category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeInfo {
    pub category: u8,
    pub preferred: bool,
}

/// A built-in operator: `left` is `None` for a prefix operator.
#[derive(Debug)]
pub(crate) struct Operator {
    pub left: Option<&'static str>,
    pub right: &'static str,
    pub result: &'static str,
}

/// What kind of routine a function is (`pg_proc.prokind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Normal,
    Aggregate,
    Window,
}

/// A built-in function.
#[derive(Debug)]
pub(crate) struct Function {
    pub kind: Kind,
    /// How many trailing arguments have defaults.
    pub defaults: usize,
    pub result: &'static str,
    pub args: Vec<&'static str>,
    /// Each argument's name (empty when it has none), for calls in named
    /// notation (`make_interval(days => 2)`).
    pub names: Vec<&'static str>,
    /// The last argument is `VARIADIC`.
    pub variadic: bool,
    /// The columns of a function returning `record` through `OUT` arguments.
    pub columns: Vec<(&'static str, &'static str)>,
}

/// The built-ins, by name.
#[derive(Debug, Default)]
pub(crate) struct Builtins {
    /// The PostgreSQL major version the table was generated from.
    pub version: &'static str,
    types: HashMap<&'static str, TypeInfo>,
    /// Range type → (subtype, multirange type).
    ranges: HashMap<&'static str, (&'static str, &'static str)>,
    casts: HashSet<(&'static str, &'static str)>,
    operators: HashMap<&'static str, Vec<Operator>>,
    functions: HashMap<&'static str, Vec<Function>>,
}

impl Builtins {
    /// The category and preference of a built-in scalar type.
    pub fn type_info(&self, name: &str) -> Option<TypeInfo> {
        self.types.get(name).copied()
    }

    /// Whether `name` is a built-in type (scalar, range, pseudo-type).
    pub fn is_type(&self, name: &str) -> bool {
        self.types.contains_key(name)
    }

    /// The name of a built-in type a column can have: not a pseudo-type
    /// (`record`, `anyelement`, `void`) nor `unknown`.
    pub fn column_type_name(&self, name: &str) -> Option<&'static str> {
        self.types
            .get_key_value(name)
            .filter(|(_, info)| !matches!(info.category, b'P' | b'X'))
            .map(|(name, _)| *name)
    }

    /// Whether a value of `from` converts to `to` implicitly.
    pub fn implicit_cast(&self, from: &str, to: &str) -> bool {
        self.casts.contains(&(from, to))
    }

    /// The subtype and multirange of a range type.
    pub fn range(&self, name: &str) -> Option<(&'static str, &'static str)> {
        self.ranges.get(name).copied()
    }

    /// The range whose multirange `name` is.
    pub fn range_of_multirange(&self, name: &str) -> Option<&'static str> {
        self.ranges
            .iter()
            .find(|(_, (_, multi))| *multi == name)
            .map(|(range, _)| *range)
    }

    pub fn operators(&self, name: &str) -> &[Operator] {
        self.operators.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn functions(&self, name: &str) -> &[Function] {
        self.functions.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The type of an SQL-standard function written without parentheses
/// (`CURRENT_DATE`, `LOCALTIMESTAMP`, `CURRENT_USER`).
pub(crate) fn sql_value_function(name: &str) -> Option<&'static str> {
    Some(match name {
        "current_date" => "date",
        "current_time" => "timetz",
        "current_timestamp" => "timestamptz",
        "localtime" => "time",
        "localtimestamp" => "timestamp",
        "current_user" | "current_role" | "user" | "session_user" | "current_catalog"
        | "current_schema" => "name",
        _ => return None,
    })
}

/// The table, read on first use.
pub(crate) fn builtins() -> &'static Builtins {
    static TABLE_READ: OnceLock<Builtins> = OnceLock::new();
    TABLE_READ.get_or_init(|| parse(TABLE))
}

fn parse(text: &'static str) -> Builtins {
    let mut out = Builtins::default();
    for line in text.lines() {
        if let Some(version) = line.strip_prefix("# PostgreSQL ") {
            out.version = version.split_whitespace().next().unwrap_or_default();
        }
        let mut words = line.split(' ');
        match words.next() {
            Some("t") => {
                let (Some(name), Some(category), Some(preferred)) =
                    (words.next(), words.next(), words.next())
                else {
                    continue;
                };
                out.types.insert(
                    name,
                    TypeInfo {
                        category: category.bytes().next().unwrap_or(b'X'),
                        preferred: preferred == "p",
                    },
                );
            }
            Some("r") => {
                if let (Some(range), Some(sub), Some(multi)) =
                    (words.next(), words.next(), words.next())
                {
                    out.ranges.insert(range, (sub, multi));
                }
            }
            Some("c") => {
                if let (Some(from), Some(to)) = (words.next(), words.next()) {
                    out.casts.insert((from, to));
                }
            }
            Some("o") => {
                let (Some(name), Some(left), Some(right), Some(result)) =
                    (words.next(), words.next(), words.next(), words.next())
                else {
                    continue;
                };
                out.operators.entry(name).or_default().push(Operator {
                    left: (left != "-").then_some(left),
                    right,
                    result,
                });
            }
            Some("f") => {
                let (Some(name), Some(kind), Some(defaults), Some(result)) =
                    (words.next(), words.next(), words.next(), words.next())
                else {
                    continue;
                };
                let mut function = Function {
                    kind: match kind.as_bytes().first() {
                        Some(b'a') => Kind::Aggregate,
                        Some(b'w') => Kind::Window,
                        _ => Kind::Normal,
                    },
                    defaults: defaults.parse().unwrap_or(0),
                    result,
                    args: Vec::new(),
                    names: Vec::new(),
                    variadic: false,
                    columns: Vec::new(),
                };
                let mut in_columns = false;
                for word in words {
                    if word == "->" {
                        in_columns = true;
                    } else if in_columns {
                        if let Some((column, ty)) = word.split_once(':') {
                            function.columns.push((column, ty));
                        }
                    } else {
                        let arg = word
                            .strip_prefix("...")
                            .inspect(|_| function.variadic = true);
                        let (name, ty) = arg
                            .unwrap_or(word)
                            .split_once('=')
                            .unwrap_or(("", arg.unwrap_or(word)));
                        function.names.push(name);
                        function.args.push(ty);
                    }
                }
                out.functions.entry(name).or_default().push(function);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_whole() {
        let b = builtins();
        assert!(!b.version.is_empty());
        assert_eq!(
            b.type_info("float8"),
            Some(TypeInfo {
                category: b'N',
                preferred: true
            })
        );
        assert!(b.implicit_cast("int4", "int8"));
        assert!(!b.implicit_cast("int8", "int4"));
        assert_eq!(b.range("int4range"), Some(("int4", "int4multirange")));
        assert!(
            b.functions("sum")
                .iter()
                .any(|f| f.kind == Kind::Aggregate && f.args == ["int4"] && f.result == "int8")
        );
        let concat = &b.functions("concat")[0];
        assert!(concat.variadic);
        let make_interval = &b.functions("make_interval")[0];
        assert_eq!(make_interval.names[3], "days");
        assert_eq!(make_interval.args.len(), make_interval.names.len());
        let each = &b.functions("json_each")[0];
        assert_eq!(each.columns, [("key", "text"), ("value", "json")]);
        assert!(b.operators("-").iter().any(|o| o.left.is_none()));
    }
}
