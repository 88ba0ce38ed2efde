//! Generates the section modules of the bundled sections and their embedded
//! migrations into `OUT_DIR`; `src/lib.rs` mounts them with
//! `pg_sections::include_sections!()` and `pg_sections::include_migrations!()`.

fn main() {
    codegen::Config::new("../sections").build();
}
