//! Compile-fail and compile-pass cases: the section rules are compile
//! errors with messages that teach. Refresh expected output with
//! `TRYBUILD=overwrite cargo test -p ui` and read the diff.
//!
//! `queries/`: the runtime's types alone (no attribute);
//! `isolation/<category>/`: the `#[section]` attribute, by the ways code
//! crosses a section (imports, handles, repositories, impl blocks, forged
//! membership, the attribute itself), `no_false_positives/`, code that
//! must compile, and `known_limits/`, crossings that still compile (the
//! README's list; both built as the example `must_compile`, not here);
//! `test/`: the `#[pg_sections::test]` attribute.
//!
//! The cases use this package's library (`ui::bundled`, `ui::teams`: the
//! generated code, committed) and its dev-dependencies, nothing else, so
//! trybuild's own build stays small.

#[test]
fn ui() {
    // The cases are compiled as crates without a build script, so the
    // attribute is told where the manifest of the bundled sections is.
    // SAFETY: set before this test starts any thread that reads the environment.
    #[allow(unsafe_code, reason = "setting a variable is unsafe in edition 2024")]
    unsafe {
        std::env::set_var(
            "PG_SECTIONS_MANIFEST",
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/bundled.manifest"),
        );
        // trybuild builds the dependencies again in a target folder of its
        // own (its flags differ), and links every case: without debug info
        // or incremental state, which nothing here reads, that build is
        // much smaller.
        std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "0");
        std::env::set_var("CARGO_INCREMENTAL", "0");
        // trybuild checks the dependencies with its flags, then the cases
        // with one more (`--diagnostic-width=140`); the flags are part of
        // every crate's hash, so the whole tree was checked twice. The
        // same flags for both, its own and that one (this variable comes
        // before the `build.rustflags` it passes), check it once. Flags
        // the caller set (a coverage run's, say) are left to trybuild.
        if std::env::var_os("CARGO_ENCODED_RUSTFLAGS").is_none()
            && std::env::var_os("RUSTFLAGS").is_none()
        {
            std::env::set_var(
                "CARGO_ENCODED_RUSTFLAGS",
                [
                    "--cfg",
                    "trybuild",
                    "--verbose",
                    "-A",
                    "dead_code",
                    "--diagnostic-width=140",
                ]
                .join("\u{1f}"),
            );
        }
        // trybuild builds in a target folder of its own, so its build
        // scripts and proc macros (ring's C code, syn, serde_derive, the
        // attribute itself: most of its build) were built again. Its
        // intermediate files now go where this build's are (cargo's
        // `build.build-dir`), and it builds for the host's triple named
        // explicitly, so the flags above reach the cases' crates and not
        // the build scripts and proc macros: those are this build's own,
        // found where this build left them.
        if std::env::var_os("CARGO_BUILD_BUILD_DIR").is_none()
            && std::env::var_os("CARGO_BUILD_TARGET").is_none()
        {
            let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .expect("CARGO_TARGET_TMPDIR is <target>/tmp");
            std::env::set_var("CARGO_BUILD_BUILD_DIR", target);
            std::env::set_var("CARGO_BUILD_TARGET", env!("UI_HOST_TRIPLE"));
        }
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("queries/*.rs");
    for category in [
        "imports",
        "handles",
        "repositories",
        "impl_blocks",
        "forged_membership",
        "attribute",
    ] {
        t.compile_fail(format!("isolation/{category}/*.rs"));
    }
    t.compile_fail("test/*.rs");
    // `isolation/no_false_positives/` (code that must compile) and
    // `isolation/known_limits/` (what still gets through, as the README
    // lists it: each compiles, and stops compiling, to be moved to its
    // category, once it is caught) are the example `must_compile`, which
    // `cargo test` builds. Without a case that must build and run, trybuild
    // checks the cases instead of building them.
}
