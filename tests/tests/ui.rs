//! Compile-fail and compile-pass cases: the section rules are compile
//! errors with messages that teach. Refresh expected output with
//! `TRYBUILD=overwrite cargo test -p tests --test ui` and read the diff.
//!
//! `ui/fail/`: the runtime's types alone (no attribute); `ui/section/`: the
//! `#[section]` attribute; `ui/test/`: the `#[pg_sections::test]` attribute;
//! `ui/pass/`: code that must compile.

#[test]
fn ui() {
    // The cases are compiled as a crate without this package's build script,
    // so the attribute is told where the manifest is.
    // SAFETY: set before this test starts any thread that reads the environment.
    unsafe {
        std::env::set_var(
            "PG_SECTIONS_MANIFEST",
            concat!(env!("OUT_DIR"), "/pg-sections.manifest"),
        );
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.compile_fail("ui/section/*.rs");
    t.compile_fail("ui/test/*.rs");
    t.pass("ui/pass/*.rs");
}
