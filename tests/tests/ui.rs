//! Compile-fail and compile-pass cases: the section rules are compile
//! errors with messages that teach. Refresh expected output with
//! `TRYBUILD=overwrite cargo test -p tests --test ui` and read the diff.
//!
//! `ui/queries/`: the runtime's types alone (no attribute);
//! `ui/isolation/<category>/`: the `#[section]` attribute, by the ways code
//! crosses a section (imports, handles, repositories, impl blocks, forged
//! membership, the attribute itself), `no_false_positives/`, code that
//! must compile, and `known_limits/`, crossings that still compile (the
//! README's list); `ui/test/`: the `#[pg_sections::test]` attribute.

#[test]
fn ui() {
    // The cases are compiled as a crate without this package's build script,
    // so the attribute is told where the manifest is.
    // SAFETY: set before this test starts any thread that reads the environment.
    #[allow(unsafe_code, reason = "setting a variable is unsafe in edition 2024")]
    unsafe {
        std::env::set_var(
            "PG_SECTIONS_MANIFEST",
            concat!(env!("OUT_DIR"), "/pg-sections.manifest"),
        );
        // A case that compiles the bundled sections into its own crate.
        std::env::set_var("PG_SECTIONS_UI_OUT_DIR", env!("OUT_DIR"));
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/queries/*.rs");
    for category in [
        "imports",
        "handles",
        "repositories",
        "impl_blocks",
        "forged_membership",
        "attribute",
    ] {
        t.compile_fail(format!("ui/isolation/{category}/*.rs"));
    }
    t.pass("ui/isolation/no_false_positives/*.rs");
    // What still gets through, as the README lists it: each compiles, and
    // stops compiling (to be moved to its category) once it is caught.
    t.pass("ui/isolation/known_limits/*.rs");
    t.compile_fail("ui/test/*.rs");
}
