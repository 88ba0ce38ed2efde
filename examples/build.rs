//! Generates the section modules of the bundled sections into `OUT_DIR`;
//! `src/lib.rs` mounts them with `pg_sections::include_sections!()`.

fn main() -> Result<(), codegen::Error> {
    codegen::Config::new("../sections").generate()
}
