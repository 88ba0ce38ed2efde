//! Every code block of the README is exercised: each is preceded by a
//! `<!-- kind: argument -->` marker saying what checks it, and this test (or
//! `.ci/run`, for commands and the example's output) does.

use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

struct Block {
    marker: String,
    line: usize,
    lines: Vec<String>,
}

fn blocks() -> Vec<Block> {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("```") {
            let marker = lines[..i]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .and_then(|l| l.strip_prefix("<!-- "))
                .and_then(|l| l.strip_suffix(" -->"))
                .unwrap_or_default()
                .to_owned();
            let start = i + 1;
            let mut end = start;
            while !lines[end].starts_with("```") {
                end += 1;
            }
            out.push(Block {
                marker,
                line: i + 1,
                lines: lines[start..end].iter().map(|l| (*l).to_owned()).collect(),
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `needle`'s lines (trimmed, `// …` lines skipped) appear in order
/// among `haystack`'s lines.
fn in_order(needle: &[String], haystack: &str) -> Result<(), String> {
    let hay: Vec<&str> = haystack.lines().map(str::trim).collect();
    let mut at = 0;
    for line in needle.iter().map(|l| l.trim()) {
        if line.is_empty() || line == "// …" {
            continue;
        }
        match hay[at..].iter().position(|h| *h == line) {
            Some(found) => at += found + 1,
            None => return Err(format!("`{line}` is not there (in this order)")),
        }
    }
    Ok(())
}

#[test]
fn every_readme_block_is_checked() {
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).unwrap();
    let mut failures = Vec::new();
    let blocks = blocks();
    assert!(blocks.len() > 10);
    for block in blocks {
        let (kind, arg) = block
            .marker
            .split_once(": ")
            .map_or((block.marker.as_str(), ""), |(k, a)| (k, a));
        let result = match kind {
            "ci" => block
                .lines
                .iter()
                .map(|l| l.split('#').next().unwrap_or_default().trim())
                .filter(|l| !l.is_empty())
                .try_for_each(|command| {
                    if ci.contains(command) {
                        Ok(())
                    } else {
                        Err(format!("`{command}` is not run by .ci/run"))
                    }
                }),
            "file" => {
                let text = std::fs::read_to_string(Path::new(ROOT).join(arg))
                    .map_err(|e| format!("{arg}: {e}"));
                text.and_then(|text| in_order(&block.lines, &text))
            }
            "generated" => {
                let generated = codegen::Config::new(Path::new(ROOT).join("sections"))
                    .generate_in_memory()
                    .unwrap();
                let section = generated.sections.iter().find(|s| s.name == arg).unwrap();
                let single = codegen::Generated {
                    sections: vec![section.clone()],
                    runtime: generated.runtime.clone(),
                };
                in_order(&block.lines, &single.single_file())
            }
            "settings" => {
                let text = block.lines.join("\n");
                let dir =
                    std::env::temp_dir().join(format!("readme-settings-{}", std::process::id()));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("sections.toml"), &text).unwrap();
                let settings = codegen::Settings::load(&dir).map_err(|e| e.to_string());
                std::fs::remove_dir_all(&dir).unwrap();
                settings.and_then(|s| {
                    let vendor = &s.section["vendor"];
                    let every_key = s.runtime.is_some()
                        && s.database_url_env.is_some()
                        && s.sections.is_some()
                        && vendor.schema.is_some()
                        && vendor.serde
                        && vendor.source.is_some()
                        && !vendor.types.is_empty()
                        && !vendor.columns.is_empty()
                        && vendor.extends.is_some()
                        && s.section["ledger"].database_url_env.is_some()
                        && s.section["ledger"].replica_url_envs.is_some();
                    if every_key {
                        Ok(())
                    } else {
                        Err("the reference does not set every key".to_owned())
                    }
                })
            }
            "layout" => block
                .lines
                .iter()
                .filter_map(|l| l.split_whitespace().next())
                .filter(|p| p.contains('/') && !p.contains('…'))
                .try_for_each(|p| {
                    if Path::new(ROOT)
                        .join("sections")
                        .join(p.trim_start_matches("sections/"))
                        .exists()
                    {
                        Ok(())
                    } else {
                        Err(format!("sections/{p} does not exist"))
                    }
                }),
            "drift" => {
                let test =
                    std::fs::read_to_string(Path::new(ROOT).join("tests/tests/live.rs")).unwrap();
                block
                    .lines
                    .iter()
                    .filter_map(|l| l.trim().strip_prefix("- "))
                    .try_for_each(|change| {
                        if test.contains(change) {
                            Ok(())
                        } else {
                            Err(format!("`{change}` is not what the drift test asserts"))
                        }
                    })
            }
            // Compared by .ci/run with what the example prints.
            "output" => Ok(()),
            other => Err(format!(
                "no marker saying how it is checked (found `{other}`)"
            )),
        };
        if let Err(e) = result {
            failures.push(format!("README.md:{}: {e}", block.line));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
