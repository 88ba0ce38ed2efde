//! `stats`: what each section's tables weigh and how they are read, from
//! the server's own statistics (`pg_class`, `pg_stat_user_tables`), grouped
//! by section.

use crate::Error;

/// One table (or materialized view) of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStats {
    /// The section it belongs to.
    pub section: String,
    /// Its SQL name.
    pub table: String,
    /// Its size on disk, indexes and TOAST included, in bytes.
    pub total_bytes: i64,
    /// Its indexes' size, in bytes.
    pub index_bytes: i64,
    /// The live rows the statistics count (an estimate between `ANALYZE`s).
    pub live_rows: i64,
    /// The dead rows not yet vacuumed.
    pub dead_rows: i64,
    /// Sequential scans since the statistics were reset.
    pub seq_scans: i64,
    /// Index scans since then.
    pub index_scans: i64,
}

/// The statistics of every table of `sections` (name, schema), ordered by
/// section, then by size (largest first), then by name. A partition counts
/// as its own table; a section whose schema does not exist has none.
///
/// # Errors
/// The query fails.
pub fn read(
    client: &mut postgres::Client,
    sections: &[(String, String)],
) -> Result<Vec<TableStats>, Error> {
    let schemas: Vec<&str> = sections.iter().map(|(_, schema)| schema.as_str()).collect();
    let rows = client
        .query(
            "SELECT n.nspname::text, c.relname::text,
                    pg_catalog.pg_total_relation_size(c.oid),
                    pg_catalog.pg_indexes_size(c.oid),
                    COALESCE(s.n_live_tup, 0), COALESCE(s.n_dead_tup, 0),
                    COALESCE(s.seq_scan, 0), COALESCE(s.idx_scan, 0)
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid
             WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm')",
            &[&schemas],
        )
        .map_err(|e| Error::Database {
            message: format!(
                "reading the tables' statistics failed: {}",
                crate::live::server_error(&e)
            ),
        })?;
    let mut tables: Vec<TableStats> = rows
        .iter()
        .filter_map(|row| {
            let schema: String = row.get(0);
            let (section, _) = sections.iter().find(|(_, s)| *s == schema)?;
            Some(TableStats {
                section: section.clone(),
                table: row.get(1),
                total_bytes: row.get(2),
                index_bytes: row.get(3),
                live_rows: row.get(4),
                dead_rows: row.get(5),
                seq_scans: row.get(6),
                index_scans: row.get(7),
            })
        })
        .collect();
    let order = |name: &str| sections.iter().position(|(s, _)| s == name);
    tables.sort_by(|a, b| {
        order(&a.section)
            .cmp(&order(&b.section))
            .then(b.total_bytes.cmp(&a.total_bytes))
            .then_with(|| a.table.cmp(&b.table))
    });
    Ok(tables)
}

/// The statistics as `cargo sections stats` prints them: per section (in
/// the order of `sections`), a line of totals, then its tables.
#[must_use]
pub fn render(sections: &[(String, String)], tables: &[TableStats]) -> String {
    use std::fmt::Write as _;
    let width = tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut text = String::new();
    for (i, (section, _)) in sections.iter().enumerate() {
        let own: Vec<&TableStats> = tables.iter().filter(|t| t.section == *section).collect();
        let total: i64 = own.iter().map(|t| t.total_bytes).sum();
        let rows: i64 = own.iter().map(|t| t.live_rows).sum();
        if i > 0 {
            text.push('\n');
        }
        let noun = if own.len() == 1 { "table" } else { "tables" };
        let _ = writeln!(
            text,
            "section {section}: {} {noun}, {}, {rows} rows",
            own.len(),
            pretty(total)
        );
        if own.is_empty() {
            continue;
        }
        let _ = writeln!(
            text,
            "  {:<width$}  {:>11}  {:>11}  {:>12}  {:>10}  {:>10}  {:>11}",
            "table", "size", "indexes", "live rows", "dead rows", "seq scans", "index scans"
        );
        for t in own {
            let _ = writeln!(
                text,
                "  {:<width$}  {:>11}  {:>11}  {:>12}  {:>10}  {:>10}  {:>11}",
                t.table,
                pretty(t.total_bytes),
                pretty(t.index_bytes),
                t.live_rows,
                t.dead_rows,
                t.seq_scans,
                t.index_scans
            );
        }
    }
    text
}

/// A size as `pg_size_pretty` writes it (`8192 bytes`, `16 kB`, `3 MB`):
/// bytes below 10 kB, then the largest unit that keeps the value below
/// 10 240 (20 479 halves), rounded half away from zero.
#[must_use]
pub fn pretty(bytes: i64) -> String {
    const LIMIT: u64 = 10 * 1024;
    const HALVES: u64 = LIMIT * 2 - 1;
    // (halves ± 1) / 2, truncated, as C divides.
    let half_rounded = |halves: i64| halves / 2 + halves % 2;
    if bytes.unsigned_abs() < LIMIT {
        return format!("{bytes} bytes");
    }
    // In halves of the unit, as the server keeps one bit for rounding.
    // Divided, not shifted, so that negative sizes round as positive
    // ones do.
    let mut halves = bytes / 512;
    for unit in ["kB", "MB", "GB", "TB"] {
        if halves.unsigned_abs() < HALVES {
            return format!("{} {unit}", half_rounded(halves));
        }
        halves /= 1024;
    }
    format!("{} PB", half_rounded(halves))
}

#[cfg(test)]
mod tests {
    use super::pretty;

    #[test]
    fn sizes_read_as_pg_size_pretty_writes_them() {
        // Each pair checked against `SELECT pg_size_pretty(n::bigint)`.
        for (bytes, text) in [
            (0, "0 bytes"),
            (8192, "8192 bytes"),
            (10_239, "10239 bytes"),
            (10_240, "10 kB"),
            (16_384, "16 kB"),
            (10_484_736, "10239 kB"),
            (10_485_247, "10239 kB"),
            (10_485_248, "10 MB"),
            (10_485_759, "10 MB"),
            (1_073_741_823, "1024 MB"),
            (10_737_418_240, "10 GB"),
            (10_485_760, "10 MB"),
            (123_456_789, "118 MB"),
            (-20_000, "-20 kB"),
            (-20_480, "-20 kB"),
            (-20_990, "-20 kB"),
            (-10_240, "-10 kB"),
            (i64::MAX, "8192 PB"),
        ] {
            assert_eq!(pretty(bytes), text, "{bytes}");
        }
    }
}
