//! The `cargo sections` command (`cargo run -p codegen -- …` in this
//! workspace): print generated code, write and check snapshots, run
//! per-section migrations.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use codegen::sources::ReadFrom;

/// Typed Rust for PostgreSQL sections: print the generated code, write the
/// committed snapshots, check them for drift, run migrations.
#[derive(Parser)]
#[command(name = "cargo-sections", version)]
struct Cli {
    /// The sections folder, as build.rs gives it to `codegen::Config::new`
    /// (default: `sections/` beside the current crate's `Cargo.toml`).
    #[arg(long = "sections", global = true, value_name = "DIR")]
    sections_arg: Option<PathBuf>,
    #[arg(skip)]
    sections: PathBuf,
    /// The database URL (default: the variable `sections.toml` names,
    /// `DATABASE_URL` unless set otherwise).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Seconds to wait for each stage of connecting (TCP, startup,
    /// authentication); the URL's own `connect_timeout` wins; 0: no limit.
    #[arg(long, global = true, default_value_t = 5, value_name = "SECONDS")]
    connect_timeout: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Origin {
    /// The sections' SQL migrations.
    Ddl,
    /// The live database.
    Live,
}

impl Origin {
    fn from(self) -> ReadFrom {
        match self {
            Self::Ddl => ReadFrom::Ddl,
            Self::Live => ReadFrom::Live,
        }
    }
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
    Snapshot {
        /// Read the sections from their migrations or from the database.
        #[arg(long, value_enum, default_value = "ddl")]
        from: Origin,
    },
    /// Exit 1 and list the changes when a committed snapshot differs from
    /// the source: the drift check to run in CI against staging.
    Check {
        /// Compare with the migrations or with the database.
        #[arg(long, value_enum, default_value = "ddl")]
        against: Origin,
    },
    /// Apply the pending migrations of the given sections (all when none),
    /// each in its own transaction, recorded per section.
    Migrate {
        /// Sections to migrate.
        #[arg(value_name = "SECTION")]
        names: Vec<String>,
        /// Revert instead: the last N migrations of one section, with their
        /// `.down.sql` files (`migrate --down SECTION [N]`).
        #[arg(long)]
        down: bool,
        /// Apply pending migrations even though the database records
        /// applied migrations whose files are gone.
        #[arg(long)]
        ignore_missing: bool,
        /// Apply pending migrations older than the newest applied one,
        /// after it (refused by default: they would run out of order).
        #[arg(long)]
        allow_out_of_order: bool,
        /// Print what would run, in order, after the same checks; change
        /// nothing.
        #[arg(long)]
        dry_run: bool,
        /// Then apply the pending migrations of the tenant templates to
        /// every registered tenant's schema.
        #[arg(long)]
        tenants: bool,
        /// Seconds to wait while another run holds the migration lock
        /// (0: no limit).
        #[arg(long, default_value_t = 300, value_name = "SECONDS")]
        lock_timeout: u64,
    },
    /// The tenants of tenant templates (`tenant = true`): `tenant new
    /// NAME` creates one (its schema, every migration of the template),
    /// `tenant list` lists them.
    Tenant {
        #[command(subcommand)]
        action: TenantAction,
    },
    /// Apply the seeds (`<section>/seeds/*.sql`: idempotent data) of the
    /// given sections (all when none) that are new or changed since they
    /// ran, after every migration of those sections is applied.
    Seed {
        /// Sections to seed, with the sections they extend.
        #[arg(value_name = "SECTION")]
        names: Vec<String>,
        /// Seconds to wait while another run holds the migration lock
        /// (0: no limit).
        #[arg(long, default_value_t = 300, value_name = "SECONDS")]
        lock_timeout: u64,
    },
    /// List the applied, pending, out-of-order, changed and missing
    /// migrations of each section; exit 1 when `migrate` would refuse
    /// (out of order, changed, missing).
    Status {
        /// Sections to show (all when none).
        #[arg(value_name = "SECTION")]
        names: Vec<String>,
        /// Print JSON (an array of rows) for scripts and CI.
        #[arg(long)]
        json: bool,
    },
    /// Print each section's tables with their size, rows, dead rows and
    /// sequential and index scans, from the server's statistics.
    Stats {
        /// Sections to show (all when none).
        #[arg(value_name = "SECTION")]
        names: Vec<String>,
        /// Print JSON (an array of rows, sizes in bytes) for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Print the SQL that gives each section a read/write and a read-only
    /// role, granted its own schema only (and `USAGE` on the schemas its
    /// foreign keys reference), or write it as a migration pair per section.
    Roles {
        /// Sections to give roles (all when none).
        #[arg(value_name = "SECTION")]
        names: Vec<String>,
        /// A login to grant the roles to, so that it may `SET ROLE` to them
        /// (repeatable).
        #[arg(long = "member", value_name = "ROLE")]
        members: Vec<String>,
        /// Write each section's script as a migration pair
        /// (`<timestamp>_roles.{up,down}.sql`) instead of printing it.
        #[arg(long)]
        write: bool,
    },
    /// Show who applied each migration of a section, and when.
    History {
        /// The section.
        section: String,
        /// Print JSON (an array of rows) for scripts and CI.
        #[arg(long)]
        json: bool,
    },
    /// Move a table of an overlay into the section it extends: writes the
    /// migration pair in the overlay's migrations (the table, its types
    /// and sequences moved; rows and foreign keys kept) and the two
    /// sections' snapshots.
    Promote {
        /// The table, by its SQL name.
        table: String,
        /// The overlay that has it.
        #[arg(long, value_name = "SECTION")]
        from: String,
        /// The section the overlay extends, which takes it.
        #[arg(long, value_name = "SECTION")]
        to: String,
    },
    /// Move a table from one section into another: writes the migration
    /// pair in the migrations of the section that has it (`ALTER TABLE …
    /// SET SCHEMA` and back, with the enums, domains and sequences only it
    /// uses; rows, keys, views and foreign keys kept) and the sections'
    /// snapshots. Into a section the table's section extends, a promotion.
    Move {
        /// The table, by its SQL name.
        table: String,
        /// The section that takes it.
        #[arg(long, value_name = "SECTION")]
        to: String,
        /// The section that has it (needed only when several have a table
        /// of that name).
        #[arg(long, value_name = "SECTION")]
        from: Option<String>,
    },
    /// Create a timestamped `.up.sql`/`.down.sql` pair for a section.
    New {
        /// The section.
        section: String,
        /// What the migration does (`add_stock_level`).
        name: String,
    },
}

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    // Cargo runs `cargo sections …` as `cargo-sections sections …`.
    if args.get(1).is_some_and(|a| a == "sections") {
        args.remove(1);
        codegen::command::invoked_as_cargo_subcommand();
    }
    let matches = Cli::command()
        .bin_name(codegen::command::prefix())
        .get_matches_from(args);
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.sections = match &cli.sections_arg {
        Some(dir) => dir.clone(),
        None => sections_dir(),
    };
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `sections/` beside the current crate's `Cargo.toml` (the nearest at or
/// above the current folder), relative to here; never a folder further up,
/// which may belong to another crate.
fn sections_dir() -> PathBuf {
    let Ok(here) = std::env::current_dir() else {
        return PathBuf::from("sections");
    };
    let Some(up) = here
        .ancestors()
        .position(|dir| dir.join("Cargo.toml").is_file())
    else {
        return PathBuf::from("sections");
    };
    let mut path = PathBuf::new();
    for _ in 0..up {
        path.push("..");
    }
    path.join("sections")
}

fn config(cli: &Cli) -> codegen::Config {
    let mut config = codegen::Config::new(&cli.sections);
    config.connect_timeout(Duration::from_secs(cli.connect_timeout));
    if let Some(url) = &cli.database_url {
        config.database_url(url);
    }
    config
}

/// What `tenant` does.
#[derive(Debug, Subcommand)]
enum TenantAction {
    /// Create tenant NAME of the template (its schema `<schema>_<NAME>`,
    /// every migration of the template applied to it).
    New {
        /// The tenant's name: lowercase ASCII letters, digits and `_`.
        name: String,
        /// The template, when the folder has several.
        #[arg(long)]
        section: Option<String>,
    },
    /// List the tenants of every template.
    List,
}

fn run(cli: &Cli) -> Result<ExitCode, codegen::Error> {
    let config = config(cli);
    match &cli.command {
        Command::Print { section } => print(cli, &config, section.as_deref()),
        Command::Manifest => {
            out(format_args!("{}", config.generate_in_memory()?.manifest()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshot { from } => {
            let loaded = config.load_from(from.from())?;
            warn(&loaded.warnings());
            for section in loaded.sections {
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
        Command::Check { against } => check(cli, &config, *against),
        Command::Tenant { action } => tenant(cli, action),
        Command::Migrate {
            names,
            down,
            ignore_missing,
            allow_out_of_order,
            dry_run,
            tenants,
            lock_timeout,
        } => migrate(
            cli,
            names,
            (*down, *dry_run, *tenants),
            codegen::migrate::Options::new()
                .ignore_missing(*ignore_missing)
                .allow_out_of_order(*allow_out_of_order)
                .lock_wait((*lock_timeout > 0).then(|| Duration::from_secs(*lock_timeout))),
        ),
        Command::Seed {
            names,
            lock_timeout,
        } => seed(
            cli,
            names,
            &codegen::migrate::Options::new()
                .lock_wait((*lock_timeout > 0).then(|| Duration::from_secs(*lock_timeout))),
        ),
        Command::Status { names, json } => status(cli, names, *json),
        Command::History { section, json } => history(cli, section, *json),
        Command::Stats { names, json } => stats(cli, names, *json),
        Command::Roles {
            names,
            members,
            write,
        } => roles(cli, &config, names, members, *write),
        Command::Promote { table, from, to } => {
            let promotion = codegen::promote::promote(&cli.sections, table, from, to, now())?;
            moved(cli, table, to, &promotion)
        }
        Command::Move { table, from, to } => {
            let moved_table =
                codegen::promote::move_table(&cli.sections, table, from.as_deref(), to, now())?;
            moved(cli, table, to, &moved_table)
        }
        Command::New { section, name } => {
            let layout = codegen::Layout::read(&cli.sections).ok();
            let (up, down) =
                codegen::migrate::new(&cli.sections, layout.as_ref(), section, name, now())?;
            out(format_args!("{}\n{}\n", up.display(), down.display()))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reports a promotion or move: the pair, the snapshots written, what
/// goes along and what stays, and the seeds to read again.
fn moved(
    cli: &Cli,
    table: &str,
    to: &str,
    promotion: &codegen::promote::Promotion,
) -> Result<ExitCode, codegen::Error> {
    let from = promotion.from.as_str();
    out(format_args!(
        "{}\n{}\n",
        promotion.up.display(),
        promotion.down.display()
    ))?;
    // The two sections' snapshots, and those of others that reference the
    // table (their foreign keys name its new schema): changed ones only.
    for section in &promotion.sections {
        let path = codegen::snapshot::path(&cli.sections, &section.name);
        if (section.name == from || section.name == to || path.is_file())
            && codegen::snapshot::write_if_changed(&path, &codegen::snapshot::render(section))?
        {
            eprintln!("    wrote {}", path.display());
        }
    }
    let with = if promotion.with.is_empty() {
        String::new()
    } else {
        format!(" with {}", promotion.with.join(", "))
    };
    eprintln!(
        "`{table}` moves from `{from}` to `{to}`{with} when the migration runs ({}).",
        codegen::command::suggest("migrate")
    );
    for kept in &promotion.kept {
        eprintln!("    stays in `{from}`: {kept}");
    }
    eprintln!(
        "Build next: code that uses it through `{from}` no longer compiles, and each error is a line to move to `{to}`'s code."
    );
    if !promotion.seeds.is_empty() {
        eprintln!(
            "warning: these seeds of `{from}` name `{table}`, which the build does not check: an unqualified name there resolves in `{from}`'s schema, so write `{to}.{table}`:"
        );
        for seed in &promotion.seeds {
            eprintln!("  {}", seed.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Writes to standard output. A reader that went away (`codegen print |
/// head`) ends the program quietly, as `cat` would, instead of a panic.
fn out(text: std::fmt::Arguments<'_>) -> Result<(), codegen::Error> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(source) => Err(codegen::Error::Io {
            path: "standard output".into(),
            source,
        }),
    }
}

fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn print(
    cli: &Cli,
    config: &codegen::Config,
    section: Option<&str>,
) -> Result<ExitCode, codegen::Error> {
    let (generated, warnings) = config.generate_in_memory_with_warnings()?;
    warn(&warnings);
    match section {
        None => out(format_args!("{}", generated.single_file()))?,
        Some(name) => {
            let Some(one) = generated.sections.iter().find(|s| s.name == name) else {
                let known: Vec<&str> = generated.sections.iter().map(|s| s.name.as_str()).collect();
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
            out(format_args!("{}", single.single_file()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(cli: &Cli, config: &codegen::Config, against: Origin) -> Result<ExitCode, codegen::Error> {
    let loaded = config.load_from(against.from())?;
    warn(&loaded.warnings());
    let source = match against {
        Origin::Ddl => "the migrations",
        Origin::Live => "the database",
    };
    let mut stale = 0;
    for section in loaded.sections {
        let path = codegen::snapshot::path(&cli.sections, &section.name);
        if !path.is_file() {
            stale += 1;
            eprintln!("section `{}`: {} is missing", section.name, path.display());
            continue;
        }
        let committed = codegen::snapshot::read(&path)?;
        let changes = codegen::drift::changes(&committed, &section);
        let text_differs = std::fs::read_to_string(&path).map_err(|e| codegen::Error::Io {
            path: path.clone(),
            source: e,
        })? != codegen::snapshot::render(&section);
        if changes.is_empty() && !text_differs {
            continue;
        }
        stale += 1;
        eprintln!(
            "section `{}`: {} differs from {source}:",
            section.name,
            path.display()
        );
        if changes.is_empty() {
            eprintln!("  the snapshot's formatting differs; rewrite it");
        }
        for change in changes {
            eprintln!("  - {change}");
        }
    }
    if stale == 0 {
        eprintln!("snapshots match {source}");
        Ok(ExitCode::SUCCESS)
    } else {
        let from = match against {
            Origin::Ddl => "ddl",
            Origin::Live => "live",
        };
        eprintln!(
            "{stale} snapshot(s) differ; if the change is intended, refresh them with `{}`",
            codegen::command::suggest(&format!(
                "snapshot --from {from} --sections {}",
                codegen::command::shell_word(&cli.sections.display().to_string())
            ))
        );
        Ok(ExitCode::from(1))
    }
}

/// A connection to the database whose URL `var` holds (`--database-url`
/// when given), which `what` needs (for messages: "to migrate").
fn client_of(cli: &Cli, var: &str, what: &str) -> Result<postgres::Client, codegen::Error> {
    let var = var.to_owned();
    let url = match &cli.database_url {
        Some(url) => url.clone(),
        None => match std::env::var(&var) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                let settings = codegen::Settings::load(&cli.sections)?;
                if !settings.has_several_databases() {
                    return Err(codegen::Error::MissingDatabaseUrl {
                        purpose: what.to_owned(),
                        variable: var,
                    });
                }
                let sections: Vec<String> = codegen::Layout::read(&cli.sections)
                    .map(|layout| layout.section_names())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|name| settings.database_url_env_of(name) == var)
                    .collect();
                return Err(codegen::Error::Usage {
                    message: format!(
                        "{var} is not set (or empty): it holds the URL of the database of section{} {} \
                         (`database_url_env` in {}); set it (`{var}=postgres://user@localhost/db`)",
                        if sections.len() == 1 { "" } else { "s" },
                        sections.join(", "),
                        codegen::config::FILE
                    ),
                });
            }
        },
    };
    codegen::live::connect(&url, Duration::from_secs(cli.connect_timeout))
}

/// `message` as an error of the folder's `sections.toml`.
fn settings_error(settings: &codegen::Settings, message: &str) -> codegen::Error {
    codegen::Error::Config {
        path: settings
            .path
            .clone()
            .unwrap_or_else(|| std::path::PathBuf::from(codegen::config::FILE)),
        message: message.to_owned(),
    }
}

/// The sections `names` (all of the folder's when empty) grouped by the
/// variable of their database: one group of `names` as given when every
/// section shares one database or `--database-url` gives one URL.
fn by_database(
    cli: &Cli,
    layout: &codegen::Layout,
    names: &[String],
) -> Result<Vec<(String, Vec<String>)>, codegen::Error> {
    let settings = codegen::Settings::load(&cli.sections)?;
    if !settings.has_several_databases() {
        return Ok(vec![(
            settings.database_url_env().to_owned(),
            names.to_vec(),
        )]);
    }
    if matches!(layout.streams, codegen::layout::Streams::Shared(_)) {
        return Err(settings_error(
            &settings,
            "a section has a database of its own (`database_url_env`), but the sections share one \
             migration stream (`migrations/`), which runs in one database; give each section its \
             folder of migrations (`<section>/migrations/`) to place them in several databases",
        ));
    }
    if cli.database_url.is_some() {
        return Err(codegen::Error::Usage {
            message: format!(
                "the sections of `{}` are in several databases (`database_url_env` in {}): \
                 `--database-url` would send them all to one; set each database's variable instead",
                cli.sections.display(),
                codegen::config::FILE
            ),
        });
    }
    let all = if names.is_empty() {
        layout
            .section_names()
            .into_iter()
            .filter(|name| !settings.is_tenant(name))
            .collect()
    } else {
        names.to_vec()
    };
    Ok(settings.by_database(&all))
}

fn migrate(
    cli: &Cli,
    sections: &[String],
    (down, dry_run, tenants): (bool, bool, bool),
    options: codegen::migrate::Options,
) -> Result<ExitCode, codegen::Error> {
    let layout = codegen::Layout::read(&cli.sections)?;
    if tenants && (down || dry_run) {
        return Err(codegen::Error::Usage {
            message: "`--tenants` applies the templates' pending migrations to every tenant; it goes with neither `--down` nor `--dry-run`".to_owned(),
        });
    }
    if down {
        if dry_run {
            return Err(codegen::Error::Usage {
                message:
                    "`--dry-run` shows what `migrate` would apply; it does not go with `--down`"
                        .to_owned(),
            });
        }
        let (section, count) = match sections {
            [section] => (section, 1),
            [section, count] => (
                section,
                count.parse().map_err(|_| codegen::Error::Usage {
                    message: format!("`{count}` is not a number of migrations to revert"),
                })?,
            ),
            _ => {
                return Err(codegen::Error::Usage {
                    message: "`migrate --down` takes one section and an optional count: `migrate --down vendor 2`".to_owned(),
                });
            }
        };
        codegen::migrate::check_sections(&layout, std::slice::from_ref(section))?;
        let var = codegen::Settings::load(&cli.sections)?
            .database_url_env_of(section)
            .to_owned();
        let mut client = client_of(cli, &var, "to migrate")?;
        let reverted = codegen::migrate::down(&mut client, &layout, section, count, &options)?;
        for m in &reverted {
            eprintln!(" reverted {} {}", m.section, m.name);
        }
        if reverted.is_empty() {
            eprintln!("nothing to revert in section `{section}`");
        }
        return Ok(ExitCode::SUCCESS);
    }
    codegen::migrate::check_sections(&layout, sections)?;
    let groups = by_database(cli, &layout, sections)?;
    let several = groups.len() > 1;
    // Every database reached before any is changed: a variable not set
    // leaves nothing half done.
    let mut clients = groups
        .iter()
        .map(|(var, _)| client_of(cli, var, "to migrate"))
        .collect::<Result<Vec<_>, _>>()?;
    for ((var, sections), client) in groups.iter().zip(&mut clients) {
        if several {
            eprintln!("database of {var}: {}", sections.join(", "));
        }
        if dry_run {
            let plan = codegen::migrate::plan(client, &layout, sections, &options)?;
            if plan.is_empty() {
                out(format_args!("no pending migrations\n"))?;
            }
            let width = plan.iter().map(|m| m.section.len()).max().unwrap_or(0);
            for m in &plan {
                let how = if m.transaction {
                    ""
                } else {
                    "  (without a transaction)"
                };
                out(format_args!(
                    "would apply  {:<width$}  {}  {}{how}\n",
                    m.section,
                    m.name,
                    m.up.display()
                ))?;
            }
            continue;
        }
        let applied = codegen::migrate::up(client, &layout, sections, &options)?;
        for m in &applied {
            eprintln!("  applied {} {}", m.section, m.name);
        }
        if applied.is_empty() {
            eprintln!("no pending migrations");
        }
    }
    if tenants {
        migrate_tenants(cli, &layout, &options)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate --tenants`: every registered tenant of every template brought
/// up to date, each template in its own database.
fn migrate_tenants(
    cli: &Cli,
    layout: &codegen::Layout,
    options: &codegen::migrate::Options,
) -> Result<(), codegen::Error> {
    let templates = codegen::tenants::sections(layout, &[])?;
    let settings = codegen::Settings::load(&cli.sections)?;
    for (var, templates) in settings.by_database(&templates) {
        let mut client = client_of(cli, &var, "to migrate the tenants of")?;
        let done = codegen::tenants::up(
            &mut client,
            layout,
            &templates,
            options,
            |tenant, applied| {
                for m in applied {
                    eprintln!(
                        "  applied {} {} (tenant {})",
                        tenant.section, m.name, tenant.name
                    );
                }
                if applied.is_empty() {
                    eprintln!(
                        "tenant {} of {}: no pending migrations",
                        tenant.name, tenant.section
                    );
                }
            },
        )?;
        if done.is_empty() {
            eprintln!("no tenants of {}", templates.join(", "));
        }
    }
    Ok(())
}

fn tenant(cli: &Cli, action: &TenantAction) -> Result<ExitCode, codegen::Error> {
    let layout = codegen::Layout::read(&cli.sections)?;
    let settings = codegen::Settings::load(&cli.sections)?;
    match action {
        TenantAction::New { name, section } => {
            let templates = codegen::tenants::sections(&layout, section.as_slice())?;
            let [template] = templates.as_slice() else {
                return Err(codegen::Error::Usage {
                    message: format!(
                        "the folder has several tenant templates ({}): name one with `--section`",
                        templates.join(", ")
                    ),
                });
            };
            let var = settings.database_url_env_of(template).to_owned();
            let mut client = client_of(cli, &var, "to create a tenant in")?;
            let applied = codegen::tenants::create(
                &mut client,
                &layout,
                template,
                name,
                &codegen::migrate::Options::new(),
            )?;
            for m in &applied {
                eprintln!("  applied {template} {} (tenant {name})", m.name);
            }
            eprintln!(
                "tenant {name} of {template}: schema {}",
                pg_sections::tenant_schema(settings.schema_of(template), name).unwrap_or_default()
            );
        }
        TenantAction::List => {
            let templates = codegen::tenants::sections(&layout, &[])?;
            for (var, templates) in settings.by_database(&templates) {
                let mut client = client_of(cli, &var, "to list the tenants of")?;
                for tenant in codegen::tenants::list(&mut client, &templates)? {
                    out(format_args!(
                        "{}  {}  {}\n",
                        tenant.section, tenant.name, tenant.schema
                    ))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn seed(
    cli: &Cli,
    sections: &[String],
    options: &codegen::migrate::Options,
) -> Result<ExitCode, codegen::Error> {
    use pg_sections::seed::Outcome;
    let layout = codegen::Layout::read(&cli.sections)?;
    codegen::migrate::check_seed_sections(&layout, sections)?;
    let groups = by_database(cli, &layout, sections)?;
    // Every database reached before any is seeded.
    let mut clients = groups
        .iter()
        .map(|(var, _)| client_of(cli, var, "to seed"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seeded = Vec::new();
    for ((_, sections), client) in groups.iter().zip(&mut clients) {
        seeded.extend(codegen::migrate::seed(client, &layout, sections, options)?);
    }
    for s in &seeded {
        let what = match s.outcome {
            Outcome::Applied => "   seeded",
            Outcome::Reapplied => "re-seeded",
            Outcome::Unchanged => "unchanged",
        };
        let why = if s.outcome == Outcome::Reapplied {
            "  (the file changed since it ran)"
        } else {
            ""
        };
        eprintln!("{what} {} {}{why}", s.section, s.name);
    }
    if seeded.is_empty() {
        eprintln!(
            "no seeds: a section's seeds are the `.sql` files of `{}`",
            cli.sections.join("SECTION").join("seeds").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn status(cli: &Cli, sections: &[String], json: bool) -> Result<ExitCode, codegen::Error> {
    use codegen::migrate::State;
    let layout = codegen::Layout::read(&cli.sections)?;
    codegen::migrate::check_sections(&layout, sections)?;
    let mut rows = Vec::new();
    for (var, sections) in by_database(cli, &layout, sections)? {
        let mut client = client_of(cli, &var, "to read the status of")?;
        rows.extend(codegen::migrate::status(&mut client, &layout, &sections)?);
    }
    // What `migrate` would refuse: CI fails on it, as on a drifted snapshot.
    let refused = rows.iter().any(|r| {
        matches!(
            r.state,
            State::OutOfOrder { .. } | State::Changed | State::Missing
        )
    });
    let code = if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|row| {
                let (state, at, after) = match &row.state {
                    State::Applied { at } => ("applied", Some(at.as_str()), None),
                    State::Pending => ("pending", None, None),
                    State::OutOfOrder { section, name } => (
                        "out-of-order",
                        None,
                        Some(serde_json::json!({ "section": section, "migration": name })),
                    ),
                    State::Changed => ("changed", None, None),
                    State::Missing => ("missing", None, None),
                };
                serde_json::json!({
                    "section": row.section,
                    "migration": row.name,
                    "state": state,
                    "applied_at": at,
                    "older_than_applied": after,
                })
            })
            .collect();
        out(format_args!("{:#}\n", serde_json::Value::Array(rows)))?;
        return Ok(code);
    }
    let width = rows
        .iter()
        .map(|r| r.section.len())
        .max()
        .unwrap_or(7)
        .max(7);
    out(format_args!(
        "{:<width$}  {:<12}  {:<19}  migration\n",
        "section", "state", "applied at"
    ))?;
    for row in rows {
        let (state, at, note) = match &row.state {
            State::Applied { at } => ("applied", at.as_str(), String::new()),
            State::Pending => ("pending", "", String::new()),
            State::OutOfOrder { section, name } => (
                "OUT OF ORDER",
                "",
                format!(
                    "  (older than `{name}` of `{section}`, applied; `migrate --allow-out-of-order` applies it)"
                ),
            ),
            State::Changed => ("CHANGED", "", String::new()),
            State::Missing => ("MISSING", "", String::new()),
        };
        out(format_args!(
            "{:<width$}  {state:<12}  {at:<19}  {}{note}\n",
            row.section, row.name
        ))?;
    }
    if refused {
        eprintln!("`migrate` refuses this history: see the rows in capitals");
    }
    Ok(code)
}

fn roles(
    cli: &Cli,
    config: &codegen::Config,
    names: &[String],
    members: &[String],
    write: bool,
) -> Result<ExitCode, codegen::Error> {
    let sections = config.load()?;
    if let Some(unknown) = names
        .iter()
        .find(|n| !sections.iter().any(|s| s.name == **n))
    {
        let known: Vec<&str> = sections.iter().map(|s| s.name.as_str()).collect();
        return Err(codegen::Error::Usage {
            message: format!(
                "no section `{unknown}` in `{}`; the sections are: {}",
                cli.sections.display(),
                known.join(", ")
            ),
        });
    }
    let chosen = sections
        .iter()
        .filter(|s| names.is_empty() || names.contains(&s.name));
    if !write {
        let scripts: Vec<String> = chosen.map(|s| codegen::roles::grant(s, members)).collect();
        out(format_args!("{}", scripts.join("\n")))?;
        return Ok(ExitCode::SUCCESS);
    }
    let layout = codegen::Layout::read(&cli.sections).ok();
    for section in chosen {
        let (up, down) =
            codegen::roles::write(&cli.sections, layout.as_ref(), section, members, now())?;
        out(format_args!("{}\n{}\n", up.display(), down.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(cli: &Cli, names: &[String], json: bool) -> Result<ExitCode, codegen::Error> {
    let layout = codegen::Layout::read(&cli.sections)?;
    codegen::migrate::check_sections(&layout, names)?;
    let settings = codegen::Settings::load(&cli.sections)?;
    let sections: Vec<(String, String)> = layout
        .section_names()
        .into_iter()
        .filter(|name| names.is_empty() || names.contains(name))
        .map(|name| {
            let schema = settings.schema_of(&name).to_owned();
            (name, schema)
        })
        .collect();
    let names: Vec<String> = sections.iter().map(|(name, _)| name.clone()).collect();
    let mut tables = Vec::new();
    for (var, group) in by_database(cli, &layout, &names)? {
        let mut client = client_of(cli, &var, "to read the statistics of")?;
        let group: Vec<(String, String)> = sections
            .iter()
            .filter(|(name, _)| group.contains(name))
            .cloned()
            .collect();
        tables.extend(codegen::stats::read(&mut client, &group)?);
    }
    if json {
        let rows: Vec<serde_json::Value> = tables
            .iter()
            .map(|t| {
                serde_json::json!({
                    "section": t.section,
                    "table": t.table,
                    "total_bytes": t.total_bytes,
                    "index_bytes": t.index_bytes,
                    "live_rows": t.live_rows,
                    "dead_rows": t.dead_rows,
                    "seq_scans": t.seq_scans,
                    "index_scans": t.index_scans,
                })
            })
            .collect();
        out(format_args!("{:#}\n", serde_json::Value::Array(rows)))?;
        return Ok(ExitCode::SUCCESS);
    }
    out(format_args!(
        "{}",
        codegen::stats::render(&sections, &tables)
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn history(cli: &Cli, section: &str, json: bool) -> Result<ExitCode, codegen::Error> {
    let layout = codegen::Layout::read(&cli.sections)?;
    let settings = codegen::Settings::load(&cli.sections)?;
    // A tenant's history: `history TEMPLATE@TENANT`.
    let template = match section.split_once('@') {
        Some((template, _)) if settings.is_tenant(template) => template,
        _ => {
            codegen::migrate::check_sections(&layout, &[section.to_owned()])?;
            section
        }
    };
    let var = settings.database_url_env_of(template).to_owned();
    let mut client = client_of(cli, &var, "to read the history of")?;
    let entries = codegen::migrate::history(&mut client, section)?;
    if json {
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "migration": e.name,
                    "checksum": e.checksum,
                    "applied_at": e.applied_at,
                    "applied_by": e.applied_by,
                    "application": e.application,
                })
            })
            .collect();
        out(format_args!("{:#}\n", serde_json::Value::Array(rows)))?;
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        eprintln!("section `{section}` has no applied migrations");
        return Ok(ExitCode::SUCCESS);
    }
    let header = ["applied by", "application"];
    let [by, app] = [0, 1].map(|column| {
        entries
            .iter()
            .map(|e| who(e)[column].len())
            .chain([header[column].len()])
            .max()
            .unwrap_or_default()
    });
    out(format_args!(
        "{:<19}  {:<by$}  {:<app$}  migration\n",
        "applied at (UTC)", header[0], header[1]
    ))?;
    for e in &entries {
        let [applied_by, application] = who(e);
        out(format_args!(
            "{:<19}  {applied_by:<by$}  {application:<app$}  {}\n",
            e.applied_at, e.name
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Who applied a migration, as `history` prints it.
fn who(e: &codegen::migrate::Entry) -> [&str; 2] {
    let unknown = "(not recorded)";
    [
        e.applied_by.as_deref().unwrap_or(unknown),
        e.application.as_deref().unwrap_or(unknown),
    ]
}
