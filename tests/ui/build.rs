//! For the example `must_compile`, the cases that must compile
//! (`isolation/no_false_positives/`, `isolation/known_limits/`) as modules
//! of one crate, and the manifest of the bundled sections where
//! `#[section]` looks for it (`$OUT_DIR`). trybuild builds no build script
//! of this package's: its cases find the manifest through
//! `PG_SECTIONS_MANIFEST` (`tests/ui.rs`).

use std::fmt::Write as _;
use std::path::PathBuf;

/// Cases that only a crate root can be (`extern crate self as …`): each an
/// example of its own in `Cargo.toml`.
const CRATES_OF_THEIR_OWN: [&str; 1] = ["the_runtime_crate_name_taken_by_extern_crate_self"];

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    // The host's triple, which `tests/ui.rs` names to trybuild's cargo.
    println!(
        "cargo:rustc-env=UI_HOST_TRIPLE={}",
        std::env::var("TARGET").expect("cargo sets TARGET")
    );
    let manifest = root.join("src/bundled.manifest");
    println!("cargo:rerun-if-changed={}", manifest.display());
    std::fs::copy(&manifest, out.join("pg-sections.manifest")).expect("the bundled manifest");
    let mut cases = String::new();
    for folder in ["no_false_positives", "known_limits"] {
        let dir = root.join("isolation").join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("a folder of cases")
            .map(|entry| entry.expect("a case").path())
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        writeln!(cases, "mod {folder} {{").expect("a string");
        for file in files {
            let name = file
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a UTF-8 case name");
            if CRATES_OF_THEIR_OWN.contains(&name) {
                continue;
            }
            writeln!(
                cases,
                "    #[path = {:?}]\n    mod {name};",
                file.display().to_string()
            )
            .expect("a string");
        }
        writeln!(cases, "}}").expect("a string");
    }
    std::fs::write(out.join("cases.rs"), cases).expect("OUT_DIR is writable");
}
