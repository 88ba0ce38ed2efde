//! The one error type of the library and the CLI, rendered for people: SQL
//! errors point at file, line and column and quote the line, every error says
//! what to do next.

use std::fmt;
use std::path::{Path, PathBuf};

/// Everything that can go wrong while reading sections and generating code.
///
/// `Display` reads like a compiler error without the leading `error: `, which
/// the printer adds. `Debug` renders the same text, so a `build.rs` whose
/// `main` returns `Result<(), codegen::Error>` prints `Error: <message>`.
#[non_exhaustive]
pub enum Error {
    /// The operating system refused: a file or folder could not be read
    /// or written, or a thread could not be started.
    Io {
        /// The path involved, or what the thread was for.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// One or more SQL statements could not be folded into the model.
    Sql(Vec<SqlError>),
    /// `sections.toml` is malformed or names something that does not exist.
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The sections folder or its migrations do not have a shape codegen
    /// can use, or do not match the history in the database: a section
    /// named like the runtime crate, an applied migration whose file is
    /// gone or changed, one with no down file.
    Layout {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A request that cannot be carried out as asked: a command's
    /// arguments, `Config::sections` naming no or unknown sections, a
    /// migration name that cannot be a file name.
    Usage {
        /// What is wrong and how to ask instead.
        message: String,
    },
    /// A bug in codegen, never the user's input: please report it.
    Internal {
        /// What went wrong.
        message: String,
    },
    /// Several errors found in one run (columns without a Rust type,
    /// overrides that cannot carry their column), each shown.
    Several(Vec<Error>),
    /// A column's type has no Rust mapping.
    UnmappedType {
        /// `section.table.column`.
        column: String,
        /// The PostgreSQL type.
        ty: String,
        /// The `sections.toml` override that fixes it.
        help: String,
    },
    /// Two SQL names map to the same Rust name.
    NameCollision {
        /// Where the collision happens.
        scope: String,
        /// The Rust name both map to.
        rust: String,
        /// The two SQL names.
        first: String,
        /// The two SQL names.
        second: String,
    },
    /// A snapshot file could not be parsed.
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `OUT_DIR` is not set: `generate()` was called outside a build script.
    MissingOutDir,
    /// A database is needed and no URL was given.
    MissingDatabaseUrl {
        /// What the database is needed for ("to migrate").
        purpose: String,
        /// The environment variable that holds the URL.
        variable: String,
    },
    /// A database is needed and codegen was built without its `live`
    /// feature, which reads one.
    LiveFeatureOff,
    /// The database could not be reached.
    Connect {
        /// The URL, password masked.
        url: String,
        /// What the driver said.
        message: String,
    },
    /// The database was reached and refused or failed a catalog query or a
    /// migration's bookkeeping, or did not answer it in time.
    Database {
        /// What failed, and the server's message.
        message: String,
    },
    /// A migration could not be applied or reverted.
    Migration {
        /// The section.
        section: String,
        /// The migration file.
        file: PathBuf,
        /// What the server said, and what to do.
        message: String,
        /// Whether nothing of it remains: all but a file that runs without
        /// a transaction, whose statements before the failing one stay.
        rolled_back: bool,
    },
    /// A live section has neither a reachable database nor a snapshot.
    NoSource {
        /// The section.
        section: String,
        /// Why the database was not used.
        reason: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Sql(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        write!(f, "\n\nerror: ")?;
                    }
                    write!(f, "{e}")?;
                }
                if errors.len() > 1 {
                    write!(f, "\n\n{} SQL errors", errors.len())?;
                }
                Ok(())
            }
            Self::Config { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
            Self::Several(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        write!(f, "\n\nerror: ")?;
                    }
                    write!(f, "{e}")?;
                }
                write!(f, "\n\n{} errors", errors.len())
            }
            Self::Layout { message } | Self::Usage { message } => f.write_str(message),
            Self::Internal { message } => write!(
                f,
                "BUG in codegen: {message}\n  = help: please report it, with the SQL that caused it"
            ),
            Self::MissingDatabaseUrl { purpose, variable } => write!(
                f,
                "no database URL {purpose}: set {variable} (`{variable}=postgres://user@localhost/db`) or pass --database-url to the CLI"
            ),
            Self::LiveFeatureOff => f.write_str(
                "codegen was built without its `live` feature, so it cannot read a database\n  = help: depend on codegen with its default features, or give every live section a committed snapshot and set SECTIONS_OFFLINE=1",
            ),
            Self::UnmappedType { column, ty, help } => write!(
                f,
                "column `{column}` has type `{ty}`, which has no Rust mapping\n  = help: {help}"
            ),
            Self::NameCollision {
                scope,
                rust,
                first,
                second,
            } => write!(
                f,
                "in {scope}, {first} and {second} both become the Rust name `{rust}`\n  = help: rename one of them in SQL"
            ),
            Self::Snapshot { path, message } => write!(
                f,
                "{}: {message}\n  = help: regenerate it with `{}`",
                path.display(),
                crate::command::suggest("snapshot")
            ),
            Self::Connect { url, message } => {
                // A refused certificate or TLS option is not a server that
                // is down: its message says what to change.
                let tls = message.contains("certificate") || message.contains("ssl");
                write!(
                    f,
                    "cannot connect to {url}: {message}\n  = help: {}builds can use the committed snapshots instead with SECTIONS_OFFLINE=1",
                    if tls {
                        ""
                    } else {
                        "check that the server runs and the URL is right; "
                    }
                )
            }
            Self::Database { message } => f.write_str(message),
            Self::Migration {
                section,
                file,
                message,
                rolled_back,
            } => write!(
                f,
                "migration {} of section `{section}` failed{}: {message}",
                file.display(),
                if *rolled_back {
                    " and was rolled back"
                } else {
                    ""
                }
            ),
            Self::NoSource { section, reason } => write!(
                f,
                "section `{section}` is read from the live database, but {reason}, and it has no snapshot\n  = help: create one with `DATABASE_URL=… {}`, and commit it",
                crate::command::suggest("snapshot --from live")
            ),
            Self::MissingOutDir => write!(
                f,
                "OUT_DIR is not set: `codegen::Config::generate` writes into OUT_DIR and must run from a build script\n  = help: call it from build.rs, or name the folder with `codegen::Config::out_dir(dir)` elsewhere"
            ),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A place in a SQL file: 1-based line and column (in characters), and how
/// many characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// Characters to underline (at least 1).
    pub width: u64,
}

/// An error in a SQL file, with everything needed to show it like rustc does.
#[derive(Clone, PartialEq, Eq)]
pub struct SqlError {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// Where in the file.
    pub position: Position,
    /// The source line quoted in the message.
    pub source_line: String,
    /// What is wrong, lower case.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl SqlError {
    pub(crate) fn new(
        file: &Path,
        text: &str,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        let line_index = usize::try_from(position.line.max(1) - 1).unwrap_or(usize::MAX);
        let source_line = text.lines().nth(line_index).unwrap_or_default().to_owned();
        Self {
            file: file.to_path_buf(),
            position,
            source_line,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The most characters of a source line an error quotes.
const QUOTE_WIDTH: usize = 100;

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Position {
            line,
            column,
            width,
        } = self.position;
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(f, "{}", self.message)?;
        writeln!(f, "{pad}--> {}:{line}:{column}", self.file.display())?;
        writeln!(f, "{pad} |")?;
        let chars: Vec<char> = self
            .source_line
            .trim_end()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let column = usize::try_from(column.max(1) - 1).unwrap_or(0);
        let width = usize::try_from(width.max(1)).unwrap_or(1).min(QUOTE_WIDTH);
        // A long line (a dump's one-line statement) is quoted around the
        // column, with `…` for what is left out.
        let start = if chars.len() <= QUOTE_WIDTH {
            0
        } else {
            column
                .saturating_sub(QUOTE_WIDTH / 3)
                .min(chars.len().saturating_sub(QUOTE_WIDTH))
        };
        let end = (start + QUOTE_WIDTH).min(chars.len());
        let mut shown: String = chars.get(start..end).unwrap_or_default().iter().collect();
        let mut indent = column.saturating_sub(start);
        if start > 0 {
            shown.insert(0, '…');
            indent += 1;
        }
        if end < chars.len() {
            shown.push('…');
        }
        writeln!(f, "{line} | {shown}")?;
        let width = width
            .min(shown.chars().count().saturating_sub(indent))
            .max(1);
        let indent = " ".repeat(indent);
        let carets = "^".repeat(width);
        write!(f, "{pad} | {indent}{carets}")?;
        if let Some(help) = &self.help {
            write!(f, "\n{pad} = help: {help}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The known name closest to `name`, if it is close enough to be a typo
/// (the rule the `#[section]` attribute suggests by).
pub(crate) fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count().max(3) / 3).max(1) + 1)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}
