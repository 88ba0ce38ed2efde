//! The commands our messages suggest, spelled so they work where the user
//! is: `cargo sections …` anywhere, `cargo run -p codegen -- …` inside the
//! workspace that holds `codegen` itself.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How the running CLI was invoked, when it knows better than the
/// workspace test (`cargo sections` from inside our own workspace).
static INVOKED_AS: OnceLock<&'static str> = OnceLock::new();

/// The prefix of every suggested command.
const INSTALLED: &str = "cargo sections";
const IN_WORKSPACE: &str = "cargo run -p codegen --";

/// Records that the CLI runs as `cargo sections`, so its suggestions say so.
pub fn invoked_as_cargo_subcommand() {
    let _ = INVOKED_AS.set(INSTALLED);
}

/// `args` as a command the user can run where they are:
/// `cargo sections snapshot`, or `cargo run -p codegen -- snapshot` in this
/// project's own workspace.
#[must_use]
pub fn suggest(args: &str) -> String {
    format!("{} {args}", prefix())
}

/// How to run this CLI where the user is: `cargo sections`, or
/// `cargo run -p codegen --` inside this project's own workspace.
#[must_use]
pub fn prefix() -> &'static str {
    static FROM_WORKSPACE: OnceLock<&'static str> = OnceLock::new();
    if let Some(prefix) = INVOKED_AS.get() {
        return prefix;
    }
    FROM_WORKSPACE.get_or_init(|| {
        // A build script and `cargo run` see the crate being built; a CLI
        // run by hand sees the folder it runs in.
        let here = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok());
        let ours = Path::new(env!("CARGO_MANIFEST_DIR")).parent();
        match (here.as_deref().and_then(workspace_root), ours) {
            (Some(theirs), Some(ours)) if same_dir(&theirs, ours) => IN_WORKSPACE,
            _ => INSTALLED,
        }
    })
}

/// The root of the workspace `dir` belongs to: the nearest folder at or
/// above it whose `Cargo.toml` has a `[workspace]` table, else the nearest
/// `Cargo.toml`'s folder (a package is its own workspace).
#[must_use]
pub fn workspace_root(dir: &Path) -> Option<PathBuf> {
    let mut package = None;
    for candidate in dir.ancestors() {
        let manifest = candidate.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        if text
            .parse::<toml::Table>()
            .is_ok_and(|t| t.contains_key("workspace"))
        {
            return Some(candidate.to_path_buf());
        }
        package.get_or_insert_with(|| candidate.to_path_buf());
    }
    package
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `word` as a shell reads it back: quoted when it holds anything but
/// letters, digits and `/._-`.
#[must_use]
pub fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::{suggest, workspace_root};
    use std::path::Path;

    #[test]
    fn this_workspace_suggests_cargo_run() {
        // The unit tests run with CARGO_MANIFEST_DIR = codegen/, inside the
        // workspace that holds codegen.
        assert_eq!(suggest("snapshot"), "cargo run -p codegen -- snapshot");
    }

    #[test]
    fn the_workspace_root_is_the_manifest_with_a_workspace_table() {
        let codegen = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = workspace_root(&codegen.join("src")).unwrap();
        assert_eq!(
            root.canonicalize().unwrap(),
            codegen.parent().unwrap().canonicalize().unwrap()
        );
    }
}
