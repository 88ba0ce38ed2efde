//! The sections manifest: every section and the Rust names of its generated
//! items, written by `codegen` beside the generated code. The attribute reads
//! it to recognise another section's items by name, without a database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The environment variable that names the manifest explicitly (for code
/// committed as a file rather than generated into `OUT_DIR`).
pub const ENV: &str = "PG_SECTIONS_MANIFEST";
const FILE: &str = "pg-sections.manifest";
const HEADER: &str = "pg-sections manifest 1";

/// What a generated name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A table or view: its module, row or insert struct.
    Relation {
        /// `table` or `view`.
        kind: &'static str,
        /// SQL name.
        sql: String,
    },
    /// A generated enum.
    Enum {
        /// SQL name.
        sql: String,
    },
    /// The section's marker type.
    Marker,
}

/// One section of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section's name, as `#[section("…")]` spells it.
    pub name: String,
    /// The generated module's name.
    pub module: String,
    /// The PostgreSQL schema.
    pub schema: String,
    /// Type-like names (marker, rows, inserts, enums) → what they are.
    pub types: BTreeMap<String, Item>,
    /// Table and view module names → (item, column constant names).
    pub relations: BTreeMap<String, (Item, Vec<String>)>,
}

/// The command that writes the manifest where the crate being compiled is:
/// `cargo run -p codegen --` inside the workspace that holds this package,
/// `cargo sections` (the installed CLI) anywhere else.
fn cli() -> &'static str {
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent();
    let theirs = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    // The nearest manifest with a `[workspace]` table at or above the crate.
    let root = theirs.as_deref().and_then(|dir| {
        dir.ancestors().find(|d| {
            std::fs::read_to_string(d.join("Cargo.toml"))
                .is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        })
    });
    match (
        root.map(std::path::Path::canonicalize),
        ours.map(std::path::Path::canonicalize),
    ) {
        (Some(Ok(a)), Some(Ok(b))) if a == b => "cargo run -p codegen --",
        _ => "cargo sections",
    }
}

/// The parsed manifest and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Manifest {
    /// The path of the runtime crate in generated code (`::runtime`).
    pub runtime: String,
    /// Sections in manifest order.
    pub sections: Vec<Section>,
    /// The file read, so the expansion can make the compiler track it.
    pub path: Option<PathBuf>,
}

impl Manifest {
    /// Finds and reads the manifest: `$PG_SECTIONS_MANIFEST`, else
    /// `$OUT_DIR/pg-sections.manifest`.
    ///
    /// # Errors
    /// A message that says where it looked and what to do.
    pub fn load() -> Result<Self, String> {
        let path = if let Some(explicit) = std::env::var_os(ENV) {
            let explicit = PathBuf::from(explicit);
            if explicit.is_relative() {
                std::env::var_os("CARGO_MANIFEST_DIR")
                    .map_or(explicit.clone(), |dir| PathBuf::from(dir).join(&explicit))
            } else {
                explicit
            }
        } else if let Some(out) = std::env::var_os("OUT_DIR") {
            PathBuf::from(out).join(FILE)
        } else {
            return Err(format!(
                "cannot find the sections manifest: this crate has no build script (no OUT_DIR) and {ENV} is not set\n\
                 help: call `codegen::Config::new(\"sections\").build()` from build.rs, or, for generated code committed as a file, \
                 write the manifest with `{} manifest > {FILE}` and set {ENV}={FILE}",
                cli()
            ));
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "cannot read the sections manifest `{}`: {e}\n\
                 help: `codegen::Config::build()` writes it beside the generated code; run the build script, or set {ENV}",
                path.display()
            )
        })?;
        let mut manifest = Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        manifest.path = Some(path);
        Ok(manifest)
    }

    /// Parses manifest text.
    ///
    /// # Errors
    /// The text is not a manifest of this version.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(format!(
                "not a sections manifest of this version (expected `{HEADER}`); regenerate it with the same codegen version"
            ));
        }
        let mut sections: Vec<Section> = Vec::new();
        let mut runtime = String::from("::pg_sections");
        for (n, line) in lines.enumerate() {
            let fields: Vec<&str> = line.split('\t').collect();
            let bad = || format!("line {}: malformed entry `{line}`", n + 2);
            let section = |name: &str, sections: &mut Vec<Section>| -> Result<usize, String> {
                sections.iter().position(|s| s.name == name).ok_or_else(bad)
            };
            match fields.as_slice() {
                ["runtime", path] => (*path).clone_into(&mut runtime),
                ["section", name, module, marker, schema] => {
                    let mut types = BTreeMap::new();
                    types.insert((*marker).to_owned(), Item::Marker);
                    sections.push(Section {
                        name: (*name).to_owned(),
                        module: (*module).to_owned(),
                        schema: (*schema).to_owned(),
                        types,
                        relations: BTreeMap::new(),
                    });
                }
                [
                    kind @ ("table" | "view"),
                    name,
                    module,
                    row,
                    insert,
                    sql,
                    columns,
                ] => {
                    let i = section(name, &mut sections)?;
                    let item = Item::Relation {
                        kind: if *kind == "table" { "table" } else { "view" },
                        sql: (*sql).to_owned(),
                    };
                    let s = &mut sections[i];
                    s.types.insert((*row).to_owned(), item.clone());
                    if *insert != "-" {
                        s.types.insert((*insert).to_owned(), item.clone());
                    }
                    let columns = columns
                        .split(',')
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                    s.relations.insert((*module).to_owned(), (item, columns));
                }
                ["enum", name, ty, sql] => {
                    let i = section(name, &mut sections)?;
                    sections[i].types.insert(
                        (*ty).to_owned(),
                        Item::Enum {
                            sql: (*sql).to_owned(),
                        },
                    );
                }
                [""] => {}
                _ => return Err(bad()),
            }
        }
        Ok(Self {
            runtime,
            sections,
            path: None,
        })
    }

    /// The section called `name`.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// Section names, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.sections.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        names
    }

    /// The file as an absolute path, for `include_bytes!`.
    pub fn tracked_path(&self) -> Option<&Path> {
        self.path.as_deref().filter(|p| p.is_absolute())
    }
}
