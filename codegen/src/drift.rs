//! What changed between two models of a section, in words: the drift check
//! reads as a list of schema changes, not as a JSON diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Column, Domain, Enum, Identity, Key, Section, Table, View};

/// The differences from `committed` to `current`, one sentence each,
/// grouped by table; empty when they are equal.
#[must_use]
pub fn changes(committed: &Section, current: &Section) -> Vec<String> {
    let mut out = Vec::new();
    if committed.schema != current.schema {
        out.push(format!(
            "schema `{}` → `{}`",
            committed.schema, current.schema
        ));
    }
    relations(
        &mut out,
        "table",
        &committed.tables,
        &current.tables,
        |out, name, a, b| {
            table(out, name, a, b);
        },
    );
    relations(
        &mut out,
        "view",
        &committed.views,
        &current.views,
        |out, name, a, b| {
            view(out, name, a, b);
        },
    );
    user_types(
        &mut out,
        &committed.enums,
        &current.enums,
        &committed.domains,
        &current.domains,
    );
    // Types of schemas that are no section, by their qualified names.
    let outside = |section: &Section| {
        let mut enums = BTreeMap::new();
        let mut domains = BTreeMap::new();
        for (schema, types) in &section.outside {
            for (name, e) in &types.enums {
                enums.insert(format!("{schema}.{name}"), e.clone());
            }
            for (name, d) in &types.domains {
                domains.insert(format!("{schema}.{name}"), d.clone());
            }
        }
        (enums, domains)
    };
    let (a_enums, a_domains) = outside(committed);
    let (b_enums, b_domains) = outside(current);
    user_types(&mut out, &a_enums, &b_enums, &a_domains, &b_domains);
    out
}

/// The differences between two sets of enums and of domains.
fn user_types(
    out: &mut Vec<String>,
    a_enums: &BTreeMap<String, Enum>,
    b_enums: &BTreeMap<String, Enum>,
    a_domains: &BTreeMap<String, Domain>,
    b_domains: &BTreeMap<String, Domain>,
) {
    relations(out, "enum", a_enums, b_enums, |out, name, a, b| {
        enumeration(out, name, a, b);
    });
    relations(out, "domain", a_domains, b_domains, |out, name, a, b| {
        if a != b {
            out.push(format!(
                "domain `{name}`: {} → {}",
                describe_domain(a),
                describe_domain(b)
            ));
        }
    });
}

/// A domain's base type, `NOT NULL` and default, and its comment when
/// that is all that differs.
fn describe_domain(d: &Domain) -> String {
    let mut text = format!("{}{}", d.base, if d.nullable { "" } else { " NOT NULL" });
    if let Some(default) = &d.default {
        let _ = write!(text, " DEFAULT {default}");
    }
    if let Some(comment) = &d.comment {
        let _ = write!(text, " (comment {comment:?})");
    }
    text
}

fn relations<T>(
    out: &mut Vec<String>,
    kind: &str,
    a: &BTreeMap<String, T>,
    b: &BTreeMap<String, T>,
    mut both: impl FnMut(&mut Vec<String>, &str, &T, &T),
) {
    for name in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push(format!("{kind} `{name}` dropped"));
    }
    for name in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("{kind} `{name}` added"));
    }
    for (name, x) in a {
        if let Some(y) = b.get(name) {
            both(out, name, x, y);
        }
    }
}

fn describe(c: &Column) -> String {
    let mut s = c.ty.to_string();
    s.push_str(if c.nullable {
        ", nullable"
    } else {
        ", not null"
    });
    if let Some(d) = &c.default {
        let _ = write!(s, ", default {d}");
    }
    s
}

fn columns(out: &mut Vec<String>, what: &str, a: &[Column], b: &[Column]) {
    for c in a.iter().filter(|c| !b.iter().any(|x| x.name == c.name)) {
        out.push(format!("{what}: column `{}` dropped", c.name));
    }
    for c in b.iter().filter(|c| !a.iter().any(|x| x.name == c.name)) {
        out.push(format!(
            "{what}: column `{}` added ({})",
            c.name,
            describe(c)
        ));
    }
    for x in a {
        let Some(y) = b.iter().find(|y| y.name == x.name) else {
            continue;
        };
        let name = &x.name;
        if x.ty != y.ty {
            out.push(format!("{what}: column `{name}` type {} → {}", x.ty, y.ty));
        }
        if x.nullable != y.nullable {
            out.push(format!(
                "{what}: column `{name}` {}",
                if y.nullable {
                    "now nullable"
                } else {
                    "now not null"
                }
            ));
        }
        if x.default != y.default {
            out.push(format!(
                "{what}: column `{name}` default {} → {}",
                x.default.as_deref().unwrap_or("none"),
                y.default.as_deref().unwrap_or("none")
            ));
        }
        if x.identity != y.identity {
            let identity = |i: Option<Identity>| match i {
                None => "none",
                Some(Identity::Always) => "GENERATED ALWAYS AS IDENTITY",
                Some(Identity::ByDefault) => "GENERATED BY DEFAULT AS IDENTITY",
            };
            out.push(format!(
                "{what}: column `{name}` identity {} → {}",
                identity(x.identity),
                identity(y.identity)
            ));
        }
        if x.generated != y.generated {
            out.push(format!(
                "{what}: column `{name}` generated as {} → {}",
                x.generated.as_deref().unwrap_or("none"),
                y.generated.as_deref().unwrap_or("none")
            ));
        }
        if x.comment != y.comment {
            out.push(format!(
                "{what}: column `{name}` comment {} → {}",
                comment(x.comment.as_deref()),
                comment(y.comment.as_deref())
            ));
        }
    }
    let order = |cols: &[Column]| cols.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let (oa, ob) = (order(a), order(b));
    let common_a: Vec<_> = oa.iter().filter(|n| ob.contains(n)).collect();
    let common_b: Vec<_> = ob.iter().filter(|n| oa.contains(n)).collect();
    if common_a != common_b {
        out.push(format!("{what}: column order changed"));
    }
}

fn keys(out: &mut Vec<String>, what: &str, kind: &str, a: &[Key], b: &[Key]) {
    for k in a.iter().filter(|k| !b.contains(k)) {
        out.push(format!(
            "{what}: {kind} `{}` ({}) dropped",
            k.name,
            k.columns.join(", ")
        ));
    }
    for k in b.iter().filter(|k| !a.contains(k)) {
        out.push(format!(
            "{what}: {kind} `{}` ({}) added",
            k.name,
            k.columns.join(", ")
        ));
    }
}

fn table(out: &mut Vec<String>, name: &str, a: &Table, b: &Table) {
    let what = format!("table `{name}`");
    if a.kind != b.kind {
        out.push(format!("{what}: kind {:?} → {:?}", a.kind, b.kind));
    }
    columns(out, &what, &a.columns, &b.columns);
    let pk = |t: &Table| t.primary_key.iter().cloned().collect::<Vec<_>>();
    keys(out, &what, "primary key", &pk(a), &pk(b));
    keys(out, &what, "unique constraint", &a.unique, &b.unique);
    for fk in a
        .foreign_keys
        .iter()
        .filter(|f| !b.foreign_keys.contains(f))
    {
        out.push(format!(
            "{what}: foreign key `{}` to `{}.{}` dropped",
            fk.name, fk.foreign_schema, fk.foreign_table
        ));
    }
    for fk in b
        .foreign_keys
        .iter()
        .filter(|f| !a.foreign_keys.contains(f))
    {
        out.push(format!(
            "{what}: foreign key `{}` ({}) to `{}.{}` added",
            fk.name,
            fk.columns.join(", "),
            fk.foreign_schema,
            fk.foreign_table
        ));
    }
    if a.comment != b.comment {
        out.push(format!(
            "{what}: comment {} → {}",
            comment(a.comment.as_deref()),
            comment(b.comment.as_deref())
        ));
    }
}

/// A comment as a drift line shows it: quoted, cut after 60 characters.
fn comment(text: Option<&str>) -> String {
    match text {
        None => "none".to_owned(),
        Some(t) if t.chars().count() > 60 => {
            let cut: String = t.chars().take(60).collect();
            format!("{:?}", cut + "…")
        }
        Some(t) => format!("{t:?}"),
    }
}

fn view(out: &mut Vec<String>, name: &str, a: &View, b: &View) {
    let what = format!("view `{name}`");
    if a.materialized != b.materialized {
        out.push(format!(
            "{what}: materialized {} → {}",
            a.materialized, b.materialized
        ));
    }
    columns(out, &what, &a.columns, &b.columns);
    if a.comment != b.comment {
        out.push(format!(
            "{what}: comment {} → {}",
            comment(a.comment.as_deref()),
            comment(b.comment.as_deref())
        ));
    }
}

fn enumeration(out: &mut Vec<String>, name: &str, a: &Enum, b: &Enum) {
    if a.labels != b.labels {
        out.push(format!(
            "enum `{name}`: labels [{}] → [{}]",
            a.labels.join(", "),
            b.labels.join(", ")
        ));
    }
    if a.comment != b.comment {
        out.push(format!(
            "enum `{name}`: comment {} → {}",
            comment(a.comment.as_deref()),
            comment(b.comment.as_deref())
        ));
    }
}
