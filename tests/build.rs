//! Generates the code the test suite compiles: the bundled sections, the
//! hostile-names golden case (keywords, mixed case, spaces, non-ASCII) and
//! the every-statement golden case (every supported type).

use std::path::PathBuf;

fn main() -> Result<(), codegen::Error> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or(codegen::Error::MissingOutDir)?);
    // The bundled sections go to OUT_DIR itself, the default a user's build
    // script writes to, beside the manifest `#[section]` reads.
    codegen::Config::new("../sections").generate()?;
    codegen::Config::new("../codegen/tests/golden/hostile_names/sections")
        .out_dir(out.join("hostile"))
        .generate()?;
    codegen::Config::new("../codegen/tests/golden/every_statement/sections")
        .out_dir(out.join("every_statement"))
        .generate()?;
    codegen::Config::new("../codegen/tests/golden/every_statement/sections")
        .out_dir(out.join("every_statement_time"))
        .datetime(codegen::DateTimeCrate::Time)
        .generate()
}
