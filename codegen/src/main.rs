//! The `codegen` command: print generated code, write and check snapshots.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Typed Rust for PostgreSQL sections: print the generated code, write the
/// committed snapshots, check them for drift.
#[derive(Parser)]
#[command(name = "codegen", version)]
struct Cli {
    /// The sections folder.
    #[arg(long, global = true, default_value = "sections", value_name = "DIR")]
    sections: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the generated Rust of every section, or of one, to stdout.
    Print {
        /// Only this section.
        section: Option<String>,
    },
    /// Print the manifest the `#[section("…")]` attribute reads, for code
    /// committed as a file instead of generated into `OUT_DIR`.
    Manifest,
    /// Write each section's model to `<sections>/<name>/snapshot.json`.
    Snapshot,
    /// Exit 1 with a diff when a committed snapshot differs from the migrations.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, codegen::Error> {
    let config = codegen::Config::new(&cli.sections);
    match &cli.command {
        Command::Print { section } => {
            let generated = config.generate_in_memory()?;
            match section {
                None => print!("{}", generated.single_file()),
                Some(name) => {
                    let Some(one) = generated.sections.iter().find(|s| &s.name == name) else {
                        let known: Vec<&str> =
                            generated.sections.iter().map(|s| s.name.as_str()).collect();
                        eprintln!(
                            "error: no section `{name}` in `{}`; the sections are: {}",
                            cli.sections.display(),
                            known.join(", ")
                        );
                        return Ok(ExitCode::from(2));
                    };
                    let single = codegen::Generated {
                        sections: vec![one.clone()],
                        runtime: generated.runtime.clone(),
                    };
                    print!("{}", single.single_file());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Manifest => {
            print!("{}", config.generate_in_memory()?.manifest());
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshot => {
            for section in config.load()? {
                let path = codegen::snapshot::path(&cli.sections, &section.name);
                let written = codegen::snapshot::write_if_changed(
                    &path,
                    &codegen::snapshot::render(&section),
                )?;
                let status = if written { "wrote" } else { "unchanged" };
                eprintln!("{status:>9} {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let mut stale = 0;
            for section in config.load()? {
                let path = codegen::snapshot::path(&cli.sections, &section.name);
                let expected = codegen::snapshot::render(&section);
                match std::fs::read_to_string(&path) {
                    Ok(actual) if actual == expected => {}
                    Ok(actual) => {
                        stale += 1;
                        eprintln!(
                            "section `{}`: {} is stale (- committed, + from the migrations):\n{}",
                            section.name,
                            path.display(),
                            codegen::snapshot::diff(&actual, &expected)
                        );
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        stale += 1;
                        eprintln!("section `{}`: {} is missing", section.name, path.display());
                    }
                    Err(e) => return Err(codegen::Error::Io { path, source: e }),
                }
            }
            if stale == 0 {
                eprintln!("snapshots are up to date");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "{stale} snapshot(s) out of date; refresh them with `cargo run -p codegen -- snapshot --sections {}`",
                    cli.sections.display()
                );
                Ok(ExitCode::from(1))
            }
        }
    }
}
