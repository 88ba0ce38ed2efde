//! Compile-fail and compile-pass cases: the section rules are compile
//! errors with messages that teach. Refresh expected output with
//! `TRYBUILD=overwrite cargo test -p tests --test ui` and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/runtime/*_fails.rs");
    t.pass("ui/runtime/*_passes.rs");
}
