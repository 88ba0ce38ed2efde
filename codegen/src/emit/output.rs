//! The files of a generation: one per section, the root that mounts them
//! (or one file holding every section), and the `#[section]` manifest.

use proc_macro2::Literal;

use super::HEADER;
use super::names::{self, Role};

/// Generated code for a set of sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// One entry per section, sorted by name.
    pub sections: Vec<GeneratedSection>,
    /// The path of the runtime crate the code names (`::runtime`).
    pub runtime: String,
}

/// The generated module of one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedSection {
    /// The section's name.
    pub name: String,
    /// The Rust module name (`vendor`, `r#type`, …).
    pub module: String,
    /// The module's items, formatted, with the `@generated` header.
    pub code: String,
    /// Whether its code derives serde's traits (`serde = true`).
    pub(super) serde: bool,
}

impl Generated {
    /// The whole set as one file: `pub mod <section> { … }` for each section.
    #[must_use]
    pub fn single_file(&self) -> String {
        let mut out = String::from(HEADER);
        out.extend(self.serde_check());
        for section in &self.sections {
            out.push('\n');
            out.push_str(&module_wrapper(section, None));
            let body = section.code.strip_prefix(HEADER).unwrap_or(&section.code);
            for line in body.lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out.push_str("}\n");
        }
        out
    }

    /// The manifest the `#[section("…")]` attribute reads: the runtime's
    /// path and every section's name.
    #[must_use]
    pub fn manifest(&self) -> String {
        pg_sections_manifest::Manifest {
            runtime: self.runtime.clone(),
            sections: self.sections.iter().map(|s| s.name.clone()).collect(),
        }
        .render()
    }

    /// The root file (`sections.rs`): one `pub mod` per section including
    /// the section's file from the `sections/` folder beside it
    /// (`include!` paths are relative to the including file).
    #[must_use]
    pub fn root_file(&self) -> String {
        let mut out = String::from(HEADER);
        out.extend(self.serde_check());
        for section in &self.sections {
            out.push('\n');
            out.push_str(&module_wrapper(
                section,
                Some(&format!("sections/{}", section.file_name())),
            ));
        }
        out
    }
}

impl Generated {
    /// When some section derives serde's traits: the runtime's check that
    /// its `serde` feature is on, which is one clear error when it is not
    /// (the derives themselves then expand to nothing).
    fn serde_check(&self) -> Option<String> {
        self.sections
            .iter()
            .any(|s| s.serde)
            .then(|| format!("\n{}::__require_serde_feature!();\n", self.runtime))
    }
}

impl GeneratedSection {
    /// The name of the section's file in the `sections/` folder: its module
    /// name (an ASCII identifier, unique among the sections) and `.rs`, so
    /// no folder name, however spelled, reaches a path or an `include!`.
    #[must_use]
    pub fn file_name(&self) -> String {
        format!("{}.rs", self.module.trim_start_matches("r#"))
    }
}

/// The file name of section `name` in the `sections/` folder.
pub(crate) fn section_file_name(name: &str) -> String {
    let module = names::rust_name(name, Role::Section);
    format!("{}.rs", module.trim_start_matches("r#"))
}

/// `pub mod x {` with its doc (so a crate under `missing_docs` stays
/// quiet) and the lint allowances the generated code needs, and for the
/// root file the `include!` of the section's file.
fn module_wrapper(section: &GeneratedSection, include: Option<&str>) -> String {
    let module = &section.module;
    // `code` shows control characters as escapes: one `///` line holds it.
    let doc = format!(
        "/// The {} section: its marker, tables, views and enums.\n",
        super::docs::code(&section.name)
    );
    // Columns are constants named like the columns (`vendor_inventory::quantity`).
    let attrs = format!(
        "{doc}#[allow(non_upper_case_globals, clippy::doc_markdown, reason = \"column constants are named like their columns; docs quote SQL names\")]\n"
    );
    match include {
        Some(file) => format!(
            "{attrs}pub mod {module} {{\n    include!({});\n}}\n",
            Literal::string(file)
        ),
        None => format!("{attrs}pub mod {module} {{\n"),
    }
}
