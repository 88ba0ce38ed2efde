//! Snapshots: each section's model as committed JSON
//! (`sections/<name>/snapshot.json`), sorted and pretty with a trailing
//! newline, written atomically; and a readable diff when one is stale.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::Section;

/// Where the snapshot of `section` lives under the sections folder `root`.
#[must_use]
pub fn path(root: &Path, section: &str) -> PathBuf {
    root.join(section).join("snapshot.json")
}

/// The snapshot text of `section`.
///
/// # Panics
/// Never: the model is plain data, which always serializes.
#[must_use]
pub fn render(section: &Section) -> String {
    let mut text =
        serde_json::to_string_pretty(section).expect("BUG: the model always serializes to JSON");
    text.push('\n');
    text
}

/// Reads a snapshot file.
///
/// # Errors
/// The file cannot be read or is not a snapshot.
pub fn read(path: &Path) -> Result<Section, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Snapshot {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes `contents` to `path` unless it already holds exactly that, via a
/// temporary file and a rename so that readers never see half a file.
/// Returns whether the file was written.
///
/// # Errors
/// The file or its folder cannot be written.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool, Error> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, contents).map_err(|e| Error::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io(path, e)
    })?;
    Ok(true)
}

/// Files written beside their places, to take them all at once: a set of
/// files that must change together (the sections of one generation and
/// the migrations embedded beside them) without holding their texts until
/// the last is done. Dropped uncommitted, it removes what it staged: the
/// places keep what they held.
#[derive(Default)]
pub(crate) struct Staged(std::sync::Mutex<Vec<(PathBuf, PathBuf)>>);

impl Staged {
    /// Writes `contents` beside `path`, unless `path` already holds exactly
    /// that (then it is left alone, its modification time too).
    pub(crate) fn stage(&self, path: &Path, contents: &str) -> Result<(), Error> {
        if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
            return Ok(());
        }
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let temp = path.with_file_name(format!(".{file_name}.{}.staged", std::process::id()));
        std::fs::write(&temp, contents).map_err(|e| Error::io(&temp, e))?;
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((temp, path.to_owned()));
        Ok(())
    }

    /// Moves every staged file into its place (each by a rename, so
    /// readers never see half a file).
    pub(crate) fn commit(self) -> Result<(), Error> {
        let mut staged = self.take().into_iter();
        while let Some((temp, path)) = staged.next() {
            if let Err(e) = std::fs::rename(&temp, &path) {
                for (temp, _) in std::iter::once((temp, path.clone())).chain(staged) {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(Error::io(&path, e));
            }
        }
        Ok(())
    }

    fn take(&self) -> Vec<(PathBuf, PathBuf)> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temp, _) in self.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// A unified-style line diff of `old` → `new`, with a few lines of context;
/// empty when they are equal.
#[must_use]
pub fn diff(old: &str, new: &str) -> String {
    const CONTEXT: usize = 3;
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = line_ops(&a, &b);
    if ops.iter().all(|op| matches!(op, Op::Same(_))) {
        return String::new();
    }
    let mut out = String::new();
    let mut last_printed: Option<usize> = None;
    for (i, op) in ops.iter().enumerate() {
        let near_change = ops[i.saturating_sub(CONTEXT)..(i + CONTEXT + 1).min(ops.len())]
            .iter()
            .any(|o| !matches!(o, Op::Same(_)));
        if !near_change {
            continue;
        }
        if last_printed.is_some_and(|l| l + 1 != i) {
            out.push_str("   …\n");
        }
        last_printed = Some(i);
        let (mark, line) = match op {
            Op::Same(line) => ("  ", line),
            Op::Removed(line) => (" -", line),
            Op::Added(line) => (" +", line),
        };
        let _ = writeln!(out, "{mark} {line}");
    }
    out
}

enum Op<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// Longest-common-subsequence diff of the part between the common prefix and
/// suffix (the changed part of a snapshot is small).
fn line_ops<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<Op<'a>> = a[..prefix].iter().map(|l| Op::Same(l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            ops.push(Op::Same(ma[i]));
            i += 1;
            j += 1;
        } else if i < ma.len() && (j == mb.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Removed(ma[i]));
            i += 1;
        } else {
            ops.push(Op::Added(mb[j]));
            j += 1;
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| Op::Same(l)));
    ops
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            diff(old, new),
            "   b\n   c\n   d\n - e\n + E\n   f\n   g\n   h\n"
        );
        assert_eq!(diff(old, old), "");
    }
}
