//! The DDL fold and the emitter on random migrations (`tests::grammar`):
//! well-formed ones and ones cut, garbled, or nested too deep. Whatever the
//! input, no panic, no stack overflow (that would abort this process), every
//! SQL error points inside its file, and generation is deterministic.
//!
//! Bounded for CI: `PG_SECTIONS_FUZZ_CASES` seeds (default 200) of each
//! kind, starting at `PG_SECTIONS_FUZZ_SEED` (default 0), so a failure
//! names the seed that reproduces it. Run longer locally with e.g.
//! `PG_SECTIONS_FUZZ_CASES=20000 cargo test -p tests --test shared_cluster --release fuzz::`.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes `files` as the migrations of section `fz` with schema `schema`.
fn write_case(dir: &Path, schema: &str, files: &[String]) {
    let _ = std::fs::remove_dir_all(dir);
    let migrations = dir.join("fz/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        dir.join("sections.toml"),
        format!("[section.fz]\nschema = {schema:?}\n"),
    )
    .unwrap();
    for (i, file) in files.iter().enumerate() {
        std::fs::write(migrations.join(format!("2025010{i}_000000_m.up.sql")), file).unwrap();
    }
}

/// What one case did: `Ok(true)` generated code, `Ok(false)` a clean error.
fn run_case(dir: &Path, seed: u64, valid: bool) -> Result<bool, String> {
    let (schema, files) = tests::grammar::migrations(seed, valid);
    write_case(dir, &schema, &files);
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let sections = codegen::Config::new(dir).load()?;
        let settings = codegen::Settings::load(dir)?;
        let first = codegen::generate_code(&sections, &settings, codegen::DateTimeCrate::Chrono)?;
        let second = codegen::generate_code(&sections, &settings, codegen::DateTimeCrate::Chrono)?;
        Ok::<_, codegen::Error>(first.single_file() == second.single_file())
    }));
    match outcome {
        Err(_) => Err(format!("seed {seed} (valid: {valid}) panicked")),
        Ok(Ok(true)) => Ok(true),
        Ok(Ok(false)) => Err(format!("seed {seed}: two generations differ")),
        Ok(Err(codegen::Error::Sql(errors))) => {
            for e in &errors {
                let text = std::fs::read(&e.file).unwrap_or_default();
                let lines = text.split(|b| *b == b'\n').count() as u64;
                if e.position.line == 0 || e.position.line > lines || e.position.column == 0 {
                    return Err(format!(
                        "seed {seed}: error outside its file ({lines} lines): {e}"
                    ));
                }
            }
            Ok(false)
        }
        Ok(Err(e)) => {
            let text = e.to_string();
            if text.contains("BUG") {
                return Err(format!("seed {seed}: {text}"));
            }
            Ok(false)
        }
    }
}

#[test]
fn random_migrations_never_crash_the_fold_or_the_emitter() {
    let cases = env_number("PG_SECTIONS_FUZZ_CASES", 200);
    let start = env_number("PG_SECTIONS_FUZZ_SEED", 0);
    let dir: PathBuf =
        std::env::temp_dir().join(format!("pg-sections-fuzz-{}", std::process::id()));
    let mut generated = 0;
    let mut refused = 0;
    let mut failures = Vec::new();
    for seed in start..start + cases {
        for valid in [true, false] {
            match run_case(&dir, seed, valid) {
                Ok(true) => generated += 1,
                Ok(false) => refused += 1,
                Err(e) => failures.push(e),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Neither kind may be vacuous: most well-formed cases generate code,
    // and the garbled ones are mostly refused.
    assert!(
        generated > cases / 2,
        "only {generated} of {cases} well-formed cases generated code"
    );
    assert!(refused > cases / 2, "only {refused} cases were refused");
}

/// The build script compiled the generated code of every random
/// well-formed case the DDL source accepted (`tests::random`); the property
/// is not vacuous if most of them were accepted.
#[test]
fn the_code_of_accepted_random_cases_compiles() {
    let accepted = tests::random::ACCEPTED;
    assert!(
        accepted.len() >= 16,
        "only seeds {accepted:?} were accepted and compiled"
    );
}
