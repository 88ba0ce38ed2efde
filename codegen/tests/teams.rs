//! The team workflow through `cargo sections`: a shared section and a
//! team's overlay that extends it, promotion of the team's table into the
//! shared section, and seeds; on a real server where it runs anything.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-sections");

/// The fixture that the README's Migrations section quotes.
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/teams");

/// A user crate with section `shared` and overlay `team_d` (the fixture's
/// `sections/`): `team_d.project` references `shared.app_user` and has an
/// enum, a domain and a sequence of its own; `task` references `project`;
/// each section has a seed.
fn team_crate(label: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("pg-sections-teams-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"teams\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    );
    copy(&Path::new(FIXTURE).join("sections"), &dir.join("sections"));
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `cargo sections ARGS` in `dir`, as cargo runs a subcommand.
fn sections(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("sections")
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("DATABASE_URL")
        .env_remove("SHADOW_DATABASE_URL")
        .output()
        .expect("run cargo-sections")
}

/// `cargo sections ARGS --database-url URL`, which must succeed; its
/// standard output and error.
fn ok_on(dir: &Path, url: &str, args: &[&str]) -> (String, String) {
    let mut all = args.to_vec();
    all.extend(["--database-url", url]);
    let out = sections(dir, &all);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{args:?}: {stderr}");
    (stdout, stderr)
}

/// `cargo sections ARGS`, which must fail; its standard error.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = sections(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{args:?} succeeded: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn query_one<T: for<'a> postgres::types::FromSql<'a>>(
    client: &mut postgres::Client,
    sql: &str,
) -> T {
    client.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn a_base_that_depends_on_its_overlay_is_an_error_at_the_statement() {
    let dir = team_crate("base-depends");
    assert!(sections(&dir, &["print"]).status.success());
    let file = "sections/shared/migrations/20250103_000000_later.up.sql";
    let names = |object: &str| {
        format!(
            "this statement names `team_d.{object}` of section `team_d`, which extends `shared`: a base never depends on its overlays"
        )
    };
    for (sql, object, at) in [
        (
            "-- points at the team\nALTER TABLE shared.app_user ADD COLUMN favourite integer REFERENCES team_d.project (id);\n",
            "project",
            "team_d.project (id)",
        ),
        (
            "ALTER TABLE shared.app_user ADD COLUMN code TEAM_D.project_code;\n",
            "project_code",
            "TEAM_D.",
        ),
        (
            "CREATE TABLE shared.audit (statuses \"team_d\".project_status[]);\n",
            "project_status",
            "\"team_d\"",
        ),
        (
            "CREATE VIEW shared.project_names AS\n    SELECT p.code FROM team_d.project AS p;\n",
            "project",
            "team_d.project AS",
        ),
        (
            "CREATE VIEW shared.leads AS\n    SELECT u.email FROM shared.app_user u\n    WHERE EXISTS (SELECT FROM team_d.project p WHERE p.lead_id = u.id);\n",
            "project",
            "team_d.project p",
        ),
        (
            "ALTER TABLE shared.app_user ADD COLUMN ticket bigint DEFAULT nextval('team_d.ticket_numbers');\n",
            "ticket_numbers",
            "'team_d",
        ),
        (
            "ALTER TABLE shared.app_user ADD COLUMN ticket bigint DEFAULT nextval('team_d.ticket_numbers'::regclass);\n",
            "ticket_numbers",
            "'team_d",
        ),
        (
            "CREATE INDEX ON shared.app_user (team_d.normalize(email));\n",
            "normalize",
            "team_d.normalize",
        ),
        (
            "CREATE TRIGGER audit AFTER INSERT ON shared.app_user\n    FOR EACH ROW EXECUTE FUNCTION team_d.audit();\n",
            "audit",
            "team_d.audit",
        ),
        (
            "CREATE TABLE shared.recent PARTITION OF team_d.parted FOR VALUES FROM (1) TO (10);\n",
            "parted",
            "team_d.parted",
        ),
        (
            "CREATE TABLE shared.s (n bigint DEFAULT nextval($$team_d.ticket_numbers$$));\n",
            "ticket_numbers",
            "$$team_d",
        ),
        (
            "CREATE TABLE shared.s (n bigint DEFAULT nextval(E'team_d.ticket_numbers'));\n",
            "ticket_numbers",
            "E'team_d",
        ),
        (
            "CREATE VIEW shared.sizes AS SELECT pg_relation_size('team_d.project') AS bytes;\n",
            "project",
            "'team_d.project'",
        ),
        (
            "CREATE VIEW shared.types AS SELECT 'team_d.project_status'::regtype AS t;\n",
            "project_status",
            "'team_d",
        ),
    ] {
        write(&dir, file, sql);
        let stderr = refused(&dir, &["print"]);
        assert!(stderr.contains(&names(object)), "{sql}: {stderr}");
        let (line, column) = sql
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find(at).map(|c| (i + 1, c + 1)))
            .unwrap();
        assert!(
            stderr.contains(&format!("{file}:{line}:{column}")),
            "{sql}: {stderr}"
        );
    }
    // An overlay's name in a string that is no relation is data, and an
    // alias, a `WITH` query or a table named like it is no schema.
    write(
        &dir,
        file,
        "CREATE TABLE shared.setting (key text DEFAULT 'team_d.project');
INSERT INTO shared.setting VALUES ('team_d.project');
CREATE VIEW shared.a AS SELECT team_d.id FROM shared.app_user AS team_d;
CREATE VIEW shared.b AS SELECT team_d.id FROM shared.app_user team_d JOIN shared.app_user u ON team_d.id = u.id;
CREATE VIEW shared.c AS WITH team_d AS (SELECT id FROM shared.app_user) SELECT team_d.id FROM team_d;
CREATE TABLE shared.team_d (id int);
CREATE VIEW shared.d AS SELECT team_d.id FROM shared.team_d;
",
    );
    let out = sections(&dir, &["print"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The overlay references its base freely, and a third section that
    // extends nothing is not held to the rule.
    write(
        &dir,
        file,
        "CREATE TABLE shared.note (id int PRIMARY KEY);\n",
    );
    write(
        &dir,
        "sections/team_d/migrations/20250104_000000_more.up.sql",
        "CREATE TABLE team_d.note_link (note_id int REFERENCES shared.note (id));\n",
    );
    write(
        &dir,
        "sections/billing/migrations/20250105_000000_create.up.sql",
        "CREATE SCHEMA billing;\nCREATE TABLE billing.charge (project_id int REFERENCES team_d.project (id));\n",
    );
    let out = sections(&dir, &["print"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn extends_must_name_another_section_without_a_loop() {
    let dir = team_crate("extends");
    // Not `extends`, but the same histories: a name too long for them.
    let long = "k".repeat(58);
    write(
        &dir,
        &format!("sections/{long}/migrations/001_create.sql"),
        "CREATE SCHEMA k;\n",
    );
    let stderr = refused(&dir, &["print"]);
    assert!(
        stderr.contains("has a name of 58 bytes") && stderr.contains("57 bytes or fewer"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir.join("sections").join(&long)).unwrap();
    for (toml, expected) in [
        (
            "[section.team_d]\nextends = \"sharde\"\n",
            "section `team_d` extends `sharde`, which is no section; the sections are: shared, team_d",
        ),
        (
            "[section.team_d]\nextends = \"team_d\"\n",
            "section `team_d` extends itself",
        ),
        (
            "[section.team_d]\nextends = \"shared\"\n[section.shared]\nextends = \"team_d\"\n",
            "sections extend each other in a loop: shared extends team_d extends shared",
        ),
        (
            "[section.team_d]\nextend = \"shared\"\n",
            "unknown field `extend`",
        ),
        (
            "[section.team_d]\nextends = \"shared\"\nschema = \"public\"\n",
            "section `team_d` extends `shared` and uses schema `public`",
        ),
    ] {
        write(&dir, "sections/sections.toml", toml);
        let stderr = refused(&dir, &["print"]);
        assert!(stderr.contains(expected), "{toml}: {stderr}");
        assert!(stderr.contains("sections.toml"), "{toml}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn migrating_an_overlay_applies_its_base_first_on_one_timeline() {
    let dir = team_crate("overlay-migrate");
    let db = pg_sections::testing::database();
    let (plan, _) = ok_on(&dir, db.url(), &["migrate", "team_d", "--dry-run"]);
    let sections: Vec<&str> = plan
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(sections, ["shared", "team_d"], "{plan}");
    let (_, applied) = ok_on(&dir, db.url(), &["migrate", "team_d"]);
    assert!(
        applied.contains("applied shared 20250101_000000_create")
            && applied.contains("applied team_d 20250102_000000_create"),
        "{applied}"
    );
    // The base alone has nothing of the overlay's to wait for.
    let (_, again) = ok_on(&dir, db.url(), &["migrate", "shared"]);
    assert!(again.contains("no pending migrations"), "{again}");
    // Nor is it reverted under the overlay that builds on it.
    let stderr = refused(
        &dir,
        &["migrate", "--down", "shared", "--database-url", db.url()],
    );
    assert!(
        stderr.contains("section `team_d` has 1 migration applied after `20250101_000000_create` of `shared`, and it may build on it; nothing was reverted")
            && stderr.contains("migrate --down team_d 1"),
        "{stderr}"
    );
    ok_on(&dir, db.url(), &["migrate", "--down", "team_d"]);
    ok_on(&dir, db.url(), &["migrate", "--down", "shared"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_live_base_that_depends_on_its_overlay_is_refused() {
    let dir = team_crate("live-depends");
    let db = pg_sections::testing::database();
    ok_on(&dir, db.url(), &["migrate"]);
    db.connect()
        .batch_execute(
            "ALTER TABLE shared.app_user ADD COLUMN favourite integer REFERENCES team_d.project (id)",
        )
        .unwrap();
    let stderr = refused(
        &dir,
        &["snapshot", "--from", "live", "--database-url", db.url()],
    );
    assert!(
        stderr.contains("section `shared` depends on `team_d`, which extends it")
            && stderr.contains("foreign key `app_user_favourite_fkey` of `shared.app_user` references `team_d.project`"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The promotion the README shows: `project` moves from the overlay into the
/// shared section with its enum, domain and sequence; rows, keys and
/// foreign keys survive; the models of the migrations and of the database
/// agree; the generated code moves; the down file returns it all.
#[test]
fn promotion_moves_a_table_with_its_types_and_rows_and_down_returns_it() {
    let dir = team_crate("promote");
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    ok_on(&dir, db.url(), &["migrate"]);
    ok_on(&dir, db.url(), &["snapshot"]);
    client
        .batch_execute(
            "INSERT INTO shared.app_user (email) VALUES ('a@example.com'), ('b@example.com');
             INSERT INTO team_d.project (code, status, lead_id) VALUES ('ALPHA', 'live', 1), ('BETA', DEFAULT, 2);
             INSERT INTO team_d.task (project_id, title) VALUES (1, 'plan'), (2, 'ship');",
        )
        .unwrap();
    let before: String = query_one(
        &mut client,
        "SELECT string_agg(format('%s %s %s %s %s', id, code, status, ticket, lead_id), ', ' ORDER BY id) FROM team_d.project",
    );

    let (written, said) = ok_on(
        &dir,
        db.url(),
        &["promote", "project", "--from", "team_d", "--to", "shared"],
    );
    let files: Vec<PathBuf> = written.lines().map(|l| dir.join(l)).collect();
    assert_eq!(files.len(), 2, "{written}");
    assert!(
        written.starts_with("sections/team_d/migrations/")
            && written.contains("_promote_project_to_shared.up.sql"),
        "{written}"
    );
    for (file, fixture) in files
        .iter()
        .zip(["promote_project.up.sql", "promote_project.down.sql"])
    {
        assert_eq!(
            std::fs::read_to_string(file).unwrap(),
            std::fs::read_to_string(Path::new(FIXTURE).join(fixture)).unwrap(),
            "{}",
            file.display()
        );
    }
    assert!(
        said.contains("wrote sections/shared/snapshot.json")
            && said.contains("wrote sections/team_d/snapshot.json"),
        "{said}"
    );
    assert!(said.contains("no longer compiles"), "{said}");
    assert!(
        said.contains("warning: these seeds of `team_d` name `project`")
            && said.contains("sections/team_d/seeds/002_projects.sql"),
        "{said}"
    );
    // The generated code: `project` is the shared section's now.
    let out = sections(&dir, &["print", "shared"]);
    let shared_code = String::from_utf8_lossy(&out.stdout);
    assert!(shared_code.contains("pub mod project"), "{shared_code}");
    assert!(
        shared_code.contains("pub enum ProjectStatus"),
        "{shared_code}"
    );
    let out = sections(&dir, &["print", "team_d"]);
    let team_code = String::from_utf8_lossy(&out.stdout);
    assert!(!team_code.contains("pub mod project "), "{team_code}");
    assert!(team_code.contains("pub mod task"), "{team_code}");

    ok_on(&dir, db.url(), &["migrate"]);
    let after: String = query_one(
        &mut client,
        "SELECT string_agg(format('%s %s %s %s %s', id, code, status, ticket, lead_id), ', ' ORDER BY id) FROM shared.project",
    );
    assert_eq!(after, before, "rows survive the move");
    let moved: String = query_one(
        &mut client,
        "SELECT format('%s %s %s %s', 'shared.project'::regclass, 'shared.project_status'::regtype, \
         'shared.project_code'::regtype, 'shared.ticket_numbers'::regclass)",
    );
    assert_eq!(
        moved,
        "shared.project shared.project_status shared.project_code shared.ticket_numbers"
    );
    // Keys, defaults and foreign keys both ways still hold.
    let (id, status, ticket): (i32, String, i64) = {
        let row = client
            .query_one(
                "INSERT INTO shared.project (code, lead_id) VALUES ('GAMMA', 1) RETURNING id, status::text, ticket",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!((id, status.as_str(), ticket), (3, "draft", 102));
    for bad in [
        "INSERT INTO team_d.task (project_id, title) VALUES (99, 'orphan')",
        "INSERT INTO shared.project (code, lead_id) VALUES ('DELTA', 99)",
        "INSERT INTO shared.project (code, lead_id) VALUES ('lower', 1)",
        "DELETE FROM shared.project WHERE id = 1",
    ] {
        let e = client.batch_execute(bad).unwrap_err();
        assert!(
            matches!(
                e.code().map(postgres::error::SqlState::code),
                Some("23503" | "23514")
            ),
            "{bad}: {e}"
        );
    }
    // What the migrations say is what the database has.
    let (_, checked) = ok_on(&dir, db.url(), &["check", "--against", "live"]);
    assert!(
        checked.contains("snapshots match the database"),
        "{checked}"
    );

    not_reverted_under_a_later_change_of_the_base(&dir, db.url());

    // Down: everything goes back where it was, rows included.
    ok_on(&dir, db.url(), &["migrate", "--down", "team_d"]);
    let back: String = query_one(
        &mut client,
        "SELECT format('%s %s %s %s', 'team_d.project'::regclass, 'team_d.project_status'::regtype, \
         'team_d.project_code'::regtype, 'team_d.ticket_numbers'::regclass)",
    );
    assert_eq!(
        back,
        "team_d.project team_d.project_status team_d.project_code team_d.ticket_numbers"
    );
    let count: i64 = query_one(&mut client, "SELECT count(*) FROM team_d.project");
    assert_eq!(count, 3);
    // And up again, as a deploy after a rollback would.
    ok_on(&dir, db.url(), &["migrate"]);
    let (_, checked) = ok_on(&dir, db.url(), &["check", "--against", "live"]);
    assert!(
        checked.contains("snapshots match the database"),
        "{checked}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The base builds on the promoted table: the promotion cannot be reverted
/// under it (one timeline), until the base's change is.
fn not_reverted_under_a_later_change_of_the_base(dir: &Path, url: &str) {
    write(
        dir,
        "sections/shared/migrations/29991231_000000_project_budget.up.sql",
        "ALTER TABLE shared.project ADD COLUMN budget numeric;\n",
    );
    write(
        dir,
        "sections/shared/migrations/29991231_000000_project_budget.down.sql",
        "ALTER TABLE shared.project DROP COLUMN budget;\n",
    );
    ok_on(dir, url, &["migrate"]);
    let stderr = refused(dir, &["migrate", "--down", "team_d", "--database-url", url]);
    assert!(
        stderr.contains("section `shared` has 1 migration applied after `")
            && stderr.contains("nothing was reverted")
            && stderr.contains("migrate --down shared 1"),
        "{stderr}"
    );
    ok_on(dir, url, &["migrate", "--down", "shared"]);
    for file in ["up", "down"] {
        std::fs::remove_file(dir.join(format!(
            "sections/shared/migrations/29991231_000000_project_budget.{file}.sql"
        )))
        .unwrap();
    }
}

#[test]
fn promotion_refuses_what_would_leave_the_base_depending_on_an_overlay() {
    let dir = team_crate("promote-refused");
    write(
        &dir,
        "sections/team_d/migrations/20250103_000000_view.up.sql",
        "CREATE VIEW team_d.open_tasks AS SELECT id, title FROM team_d.task;
CREATE TABLE team_d.app_user (id int);
CREATE FUNCTION team_d.next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'X' $$;
CREATE TABLE team_d.coded (code text DEFAULT team_d.next_code());
CREATE TABLE team_d.parted (id int) PARTITION BY RANGE (id);
CREATE TABLE team_d.borrower (id integer NOT NULL DEFAULT nextval('team_d.task_id_seq'));
CREATE TYPE team_d.clash AS ENUM ('a');
CREATE TABLE team_d.clash_holder (id int);
",
    );
    write(
        &dir,
        "sections/shared/migrations/20250101_000001_types.up.sql",
        "CREATE TYPE shared.clash_holder AS ENUM ('x');\n",
    );
    write(
        &dir,
        "sections/other/migrations/20250101_000000_create.up.sql",
        "CREATE SCHEMA other;\nCREATE TABLE other.thing (id int);\n",
    );
    let promote = |table: &str, from: &str, to: &str| {
        refused(&dir, &["promote", table, "--from", from, "--to", to])
    };
    for (stderr, expected) in [
        (
            promote("task", "team_d", "shared"),
            "its foreign key `task_project_id_fkey` references `team_d.project` of `team_d`, and the base never depends on an overlay: promote that table first",
        ),
        (
            promote("open_tasks", "team_d", "shared"),
            "`team_d.open_tasks` is a view",
        ),
        (
            promote("app_user", "team_d", "shared"),
            "`shared` already has a relation named `app_user`",
        ),
        (
            promote("projet", "team_d", "shared"),
            "section `team_d` has no table `projet`; its tables are: `app_user`, `borrower`, `clash_holder`, `coded`, `parted`, `project`, `task`",
        ),
        (
            promote("coded", "team_d", "shared"),
            "column `code` calls `team_d.next_code`, a function of `team_d` that stays there",
        ),
        (
            promote("parted", "team_d", "shared"),
            "it is partitioned, and `SET SCHEMA` moves the parent alone",
        ),
        (
            promote("borrower", "team_d", "shared"),
            "column `id` draws from the sequence of `team_d.task.id`, which that table owns and keeps",
        ),
        (
            promote("clash_holder", "team_d", "shared"),
            "`shared` already has a type named `clash_holder`, which the table's row type would take",
        ),
        (
            promote("project", "team_d", "team_d"),
            "`--from` and `--to` both name `team_d`",
        ),
        (
            promote("app_user", "shared", "team_d"),
            "`shared` does not extend `team_d`",
        ),
        (
            promote("thing", "other", "shared"),
            "`other` does not extend `shared`",
        ),
        (
            promote("project", "team_d", "nowhere"),
            "no section `nowhere`",
        ),
    ] {
        assert!(stderr.contains(expected), "{stderr}");
    }
    let promoted = std::fs::read_dir(dir.join("sections/team_d/migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("promote")
        })
        .count();
    assert_eq!(promoted, 0, "a refused promotion writes nothing");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Sections `billing` and `ledger`, beside the fixture's two: neither
/// extends the other.
fn with_billing_and_ledger(dir: &Path) {
    write(
        dir,
        "sections/billing/migrations/20250103_000000_create.up.sql",
        "CREATE SCHEMA billing;
CREATE TYPE billing.currency AS ENUM ('eur', 'usd');
CREATE TYPE billing.state AS ENUM ('open', 'paid');
CREATE SEQUENCE billing.invoice_numbers START 1000;
CREATE TABLE billing.invoice (
    id serial PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('billing.invoice_numbers'),
    currency billing.currency NOT NULL,
    state billing.state NOT NULL DEFAULT 'open',
    user_id integer REFERENCES shared.app_user (id)
);
CREATE TABLE billing.refund (
    id serial PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES billing.invoice (id),
    currency billing.currency NOT NULL
);
CREATE VIEW billing.open_invoices AS SELECT id, number FROM billing.invoice WHERE state = 'open';
",
    );
    write(
        dir,
        "sections/billing/migrations/20250103_000000_create.down.sql",
        "DROP SCHEMA billing CASCADE;\n",
    );
    write(
        dir,
        "sections/ledger/migrations/20250103_000001_create.up.sql",
        "CREATE SCHEMA ledger;\nCREATE TABLE ledger.entry (id serial PRIMARY KEY);\n",
    );
    write(
        dir,
        "sections/ledger/migrations/20250103_000001_create.down.sql",
        "DROP SCHEMA ledger CASCADE;\n",
    );
}

#[test]
fn a_move_hands_a_table_over_with_what_only_it_uses_and_down_takes_it_back() {
    let dir = team_crate("move");
    with_billing_and_ledger(&dir);
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    ok_on(&dir, db.url(), &["migrate"]);
    ok_on(&dir, db.url(), &["snapshot"]);
    client
        .batch_execute(
            "INSERT INTO shared.app_user (email) VALUES ('a@example.com');
             INSERT INTO billing.invoice (currency, user_id) VALUES ('eur', 1), ('usd', 1);
             INSERT INTO billing.refund (invoice_id, currency) VALUES (1, 'eur');",
        )
        .unwrap();
    // No `--from`: one section has the table.
    let (written, said) = ok_on(&dir, db.url(), &["move", "invoice", "--to", "ledger"]);
    let files: Vec<PathBuf> = written.lines().map(|l| dir.join(l)).collect();
    assert_eq!(files.len(), 2, "{written}");
    assert!(
        written.starts_with("sections/billing/migrations/")
            && written.contains("_move_invoice_to_ledger.up.sql"),
        "{written}"
    );
    let up = std::fs::read_to_string(&files[0]).unwrap();
    // The README quotes these lines.
    let statements = "
ALTER TABLE billing.invoice SET SCHEMA ledger;
ALTER TYPE billing.state SET SCHEMA ledger;
ALTER SEQUENCE IF EXISTS billing.invoice_numbers SET SCHEMA ledger;
";
    assert!(
        up.ends_with(statements)
            && up.contains("--     cargo sections move invoice --from billing --to ledger"),
        "{up}"
    );
    let down = std::fs::read_to_string(&files[1]).unwrap();
    assert!(
        down.contains("ALTER TABLE ledger.invoice SET SCHEMA billing;"),
        "{down}"
    );
    assert!(
        said.contains("stays in `billing`: type billing.currency (also used by table `refund`)")
            && said.contains("wrote sections/ledger/snapshot.json")
            && said.contains("no longer compiles"),
        "{said}"
    );
    // The generated code follows: `invoice` is `ledger`'s, over an enum
    // of its own and one of `billing`'s.
    let out = sections(&dir, &["print", "ledger"]);
    let ledger = String::from_utf8_lossy(&out.stdout);
    assert!(
        ledger.contains("pub mod invoice") && ledger.contains("pub enum State"),
        "{ledger}"
    );
    let out = sections(&dir, &["print", "billing"]);
    let billing = String::from_utf8_lossy(&out.stdout);
    assert!(
        !billing.contains("pub mod invoice ") && billing.contains("pub enum Currency"),
        "{billing}"
    );

    ok_on(&dir, db.url(), &["migrate"]);
    let moved: String = query_one(
        &mut client,
        "SELECT format('%s %s %s %s', 'ledger.invoice'::regclass, 'ledger.state'::regtype, \
         'billing.currency'::regtype, 'ledger.invoice_numbers'::regclass)",
    );
    assert_eq!(
        moved,
        "ledger.invoice ledger.state billing.currency ledger.invoice_numbers"
    );
    let rows: String = query_one(
        &mut client,
        "SELECT string_agg(format('%s %s', id, number), ', ' ORDER BY id) FROM billing.open_invoices",
    );
    assert_eq!(rows, "1 1000, 2 1001", "the view reads the moved table");
    let e = client
        .batch_execute("INSERT INTO billing.refund (invoice_id, currency) VALUES (99, 'eur')")
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION)
    );
    let (_, checked) = ok_on(&dir, db.url(), &["check", "--against", "live"]);
    assert!(
        checked.contains("snapshots match the database"),
        "{checked}"
    );

    ok_on(&dir, db.url(), &["migrate", "--down", "billing"]);
    let back: String = query_one(
        &mut client,
        "SELECT format('%s %s %s', 'billing.invoice'::regclass, 'billing.state'::regtype, \
         (SELECT count(*) FROM billing.invoice))",
    );
    assert_eq!(back, "billing.invoice billing.state 2");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_move_refuses_what_the_other_section_cannot_take() {
    let dir = team_crate("move-refused");
    with_billing_and_ledger(&dir);
    write(
        &dir,
        "sections/ledger/migrations/20250103_000002_more.up.sql",
        "CREATE TABLE ledger.refund (id int);
CREATE TABLE ledger.parted (id int) PARTITION BY RANGE (id);
CREATE TABLE ledger.invoice_like (id int);
",
    );
    write(
        &dir,
        "sections/billing/migrations/20250103_000003_more.up.sql",
        "CREATE TABLE billing.entry (id int);\n",
    );
    let move_ = |args: &[&str]| {
        let mut all = vec!["move"];
        all.extend(args);
        refused(&dir, &all)
    };
    for (stderr, expected) in [
        (
            move_(&["refund", "--from", "billing", "--to", "ledger"]),
            "`ledger` already has a relation named `refund`: rename one first",
        ),
        (
            move_(&["entry", "--to", "ledger"]),
            "sections `billing`, `ledger` each have a table `entry`: say which with `--from SECTION`",
        ),
        (
            move_(&["parted", "--to", "billing"]),
            "it is partitioned, and `SET SCHEMA` moves the parent alone",
        ),
        (
            move_(&["open_invoices", "--from", "billing", "--to", "ledger"]),
            "`billing.open_invoices` is a view",
        ),
        (
            move_(&["invoices", "--to", "ledger"]),
            "no section read from migrations has a table `invoices`",
        ),
        (
            move_(&["invoice", "--to", "nowhere"]),
            "no section `nowhere`",
        ),
        (
            move_(&["entry", "--from", "ledger", "--to", "ledger"]),
            "`--from` and `--to` both name `ledger`",
        ),
        (
            move_(&["parted", "--to", "ledger"]),
            "`parted` is in section `ledger` already; nothing to move",
        ),
        // The overlay's table into its base: a promotion, with its rules.
        (
            move_(&["task", "--to", "shared"]),
            "its foreign key `task_project_id_fkey` references `team_d.project` of `team_d`, and the base never depends on an overlay",
        ),
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    for section in ["billing", "ledger", "shared", "team_d"] {
        let written = std::fs::read_dir(dir.join("sections").join(section).join("migrations"))
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                let name = name.to_string_lossy();
                name.contains("_move_") || name.contains("_promote_")
            })
            .count();
        assert_eq!(written, 0, "a refused move writes nothing ({section})");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn seeds_run_after_migrations_once_again_when_changed_and_roll_back_on_failure() {
    let dir = team_crate("seeds");
    let db = pg_sections::testing::database();
    let mut client = db.connect();
    let stderr = refused(&dir, &["seed", "--database-url", db.url()]);
    assert!(
        stderr.contains("seeds run after migrations, and these are pending")
            && stderr.contains("nothing was seeded"),
        "{stderr}"
    );
    ok_on(&dir, db.url(), &["migrate"]);
    // An overlay's seeds come with its base's, in name order.
    let (_, first) = ok_on(&dir, db.url(), &["seed", "team_d"]);
    assert_eq!(
        first.lines().collect::<Vec<_>>(),
        [
            "   seeded shared 001_users",
            "   seeded team_d 002_projects"
        ],
        "{first}"
    );
    let (_, second) = ok_on(&dir, db.url(), &["seed"]);
    assert_eq!(
        second.lines().collect::<Vec<_>>(),
        [
            "unchanged shared 001_users",
            "unchanged team_d 002_projects"
        ]
    );
    write(
        &dir,
        "sections/shared/seeds/001_users.sql",
        "INSERT INTO app_user (email) VALUES ('admin@example.com'), ('ops@example.com') ON CONFLICT (email) DO NOTHING;\n",
    );
    write(
        &dir,
        "sections/team_d/seeds/003_broken.sql",
        "INSERT INTO project (code, lead_id) VALUES ('BROKEN', 1);\nINSERT INTO no_such_table VALUES (1);\n",
    );
    let stderr = refused(&dir, &["seed", "--database-url", db.url()]);
    assert!(
        stderr.contains("seed sections/team_d/seeds/003_broken.sql of section `team_d` failed and was rolled back")
            && stderr.contains("relation \"no_such_table\" does not exist at sections/team_d/seeds/003_broken.sql:2:13")
            && stderr.contains("the 1 seed before it in this run stays applied: `001_users` of section `shared`"),
        "{stderr}"
    );
    let state: String = query_one(
        &mut client,
        "SELECT format('%s users, %s projects', (SELECT count(*) FROM shared.app_user), (SELECT count(*) FROM team_d.project))",
    );
    assert_eq!(state, "2 users, 1 projects", "the broken seed left nothing");
    let recorded: String = query_one(
        &mut client,
        "SELECT string_agg(name || (CASE WHEN applied_by = current_user THEN ' by this role' ELSE ' by ?' END), ', ' ORDER BY name) \
         FROM sections_history.\"seeds/team_d\"",
    );
    assert_eq!(recorded, "002_projects by this role");
    std::fs::remove_file(dir.join("sections/team_d/seeds/003_broken.sql")).unwrap();
    let (_, third) = ok_on(&dir, db.url(), &["seed"]);
    assert_eq!(
        third.lines().collect::<Vec<_>>(),
        [
            "unchanged shared 001_users",
            "unchanged team_d 002_projects"
        ],
        "the changed seed ran in the failed run, and is recorded"
    );
    // Reverting a migration of a section makes its seeds due again (the
    // down file may have dropped their rows); an overlay's seeds run after
    // its base's whatever their names.
    write(
        &dir,
        "sections/team_d/seeds/000_early.sql",
        "INSERT INTO project (code, lead_id)\nSELECT 'EARLY', id FROM shared.app_user WHERE email = 'ops@example.com'\nON CONFLICT (code) DO NOTHING;\n",
    );
    ok_on(&dir, db.url(), &["migrate", "--down", "team_d"]);
    ok_on(&dir, db.url(), &["migrate"]);
    let (_, again) = ok_on(&dir, db.url(), &["seed"]);
    assert_eq!(
        again.lines().collect::<Vec<_>>(),
        [
            "unchanged shared 001_users",
            "   seeded team_d 000_early",
            "   seeded team_d 002_projects"
        ],
        "{again}"
    );
    let early: i64 = query_one(
        &mut client,
        "SELECT count(*) FROM team_d.project WHERE code = 'EARLY'",
    );
    assert_eq!(early, 1, "the overlay's seed found the base's rows");
    // The seeds' records are no section's migration history.
    let (status, _) = ok_on(&dir, db.url(), &["status"]);
    assert!(!status.contains("seeds"), "{status}");
    // So is one that only psql could run.
    write(
        &dir,
        "sections/team_d/seeds/003_copy.sql",
        "COPY project (code, lead_id) FROM stdin;\nCOPIED\t1\n\\.\n",
    );
    let stderr = refused(&dir, &["seed", "--database-url", db.url()]);
    assert!(
        stderr.contains("`\\.` ends the rows of a `COPY … FROM STDIN`, which only psql sends")
            && stderr.contains("sections/team_d/seeds/003_copy.sql:3:1"),
        "{stderr}"
    );
    write(
        &dir,
        "sections/team_d/seeds/003_copy.sql",
        "COPY project TO STDOUT;\n",
    );
    let stderr = refused(&dir, &["seed", "--database-url", db.url()]);
    assert!(
        stderr.contains("`COPY … FROM STDIN` and `COPY … TO STDOUT` exchange rows with psql"),
        "{stderr}"
    );
    std::fs::remove_file(dir.join("sections/team_d/seeds/003_copy.sql")).unwrap();
    // A seed named like a migration is refused before anything runs.
    write(&dir, "sections/team_d/seeds/004_x.up.sql", "SELECT 1;\n");
    let stderr = refused(&dir, &["seed", "--database-url", db.url()]);
    assert!(stderr.contains("seeds have no up or down"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two `seed` processes started together, round after round on a fresh
/// database: both succeed, each seed runs once (the other finds it
/// unchanged), and the data is there once.
#[test]
fn two_seed_processes_started_together_run_each_seed_once() {
    let dir = team_crate("seed-race");
    for round in 0..4 {
        let db = pg_sections::testing::database();
        ok_on(&dir, db.url(), &["migrate"]);
        let start = || {
            Command::new(BIN)
                .args(["sections", "seed", "--database-url", db.url()])
                .current_dir(&dir)
                .env_remove("CARGO_MANIFEST_DIR")
                .env_remove("DATABASE_URL")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (start(), start());
        let mut said = String::new();
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(out.status.success(), "round {round}: {stderr}");
            said.push_str(&stderr);
        }
        let seeded = said
            .lines()
            .filter(|l| l.trim_start().starts_with("seeded"))
            .count();
        let unchanged = said.lines().filter(|l| l.starts_with("unchanged")).count();
        assert_eq!((seeded, unchanged), (2, 2), "round {round}: {said}");
        let rows: String = query_one(
            &mut db.connect(),
            "SELECT format('%s %s', (SELECT count(*) FROM shared.app_user), (SELECT count(*) FROM team_d.project))",
        );
        assert_eq!(rows, "1 1", "round {round}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A section read from the database has no migrations but may have seeds;
/// so does the one stream of the shared layout (`sections/seeds/`).
#[test]
fn seeds_of_a_live_section_and_of_the_shared_layout_run_too() {
    let dir = team_crate("seeds-live");
    let db = pg_sections::testing::database();
    db.connect()
        .batch_execute("CREATE SCHEMA ref; CREATE TABLE ref.country (code text PRIMARY KEY)")
        .unwrap();
    write(
        &dir,
        "sections/sections.toml",
        "[section.team_d]\nextends = \"shared\"\n[section.ref]\nsource = \"live\"\n",
    );
    write(
        &dir,
        "sections/ref/seeds/001_countries.sql",
        "INSERT INTO country VALUES ('DE') ON CONFLICT DO NOTHING;\n",
    );
    ok_on(&dir, db.url(), &["migrate"]);
    ok_on(&dir, db.url(), &["snapshot", "--from", "live"]);
    assert!(dir.join("sections/ref/snapshot.json").is_file());
    let (_, said) = ok_on(&dir, db.url(), &["seed", "ref"]);
    assert_eq!(said.trim_end(), "   seeded ref 001_countries");
    let (_, said) = ok_on(&dir, db.url(), &["seed"]);
    assert!(said.contains("unchanged ref 001_countries"), "{said}");
    let stderr = refused(&dir, &["seed", "nowhere", "--database-url", db.url()]);
    assert!(
        stderr.contains("no migrations or seeds for section `nowhere`; the sections with either are: ref, shared, team_d"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    let dir = std::env::temp_dir().join(format!(
        "pg-sections-teams-seeds-shared-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir,
        "sections/migrations/20250101_000000_create.sql",
        "CREATE SCHEMA app;\nCREATE TABLE app.setting (key text PRIMARY KEY, value text);\n",
    );
    write(
        &dir,
        "sections/seeds/001_settings.sql",
        "INSERT INTO app.setting VALUES ('theme', 'dark') ON CONFLICT DO NOTHING;\n",
    );
    let db = pg_sections::testing::database();
    ok_on(&dir, db.url(), &["migrate"]);
    let (_, said) = ok_on(&dir, db.url(), &["seed"]);
    assert_eq!(said.trim_end(), "   seeded shared 001_settings");
    let value: String = query_one(&mut db.connect(), "SELECT value FROM app.setting");
    assert_eq!(value, "dark");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Migrating a base alone never overtakes a pending migration of its
/// overlay: that one would be out of order for good.
#[test]
fn a_base_migrated_alone_never_overtakes_its_overlays_pending_migration() {
    let dir = team_crate("overtake");
    write(
        &dir,
        "sections/shared/migrations/20250103_000000_more.up.sql",
        "ALTER TABLE shared.app_user ADD COLUMN name text;\n",
    );
    let db = pg_sections::testing::database();
    for args in [
        &["migrate", "shared"][..],
        &["migrate", "shared", "--dry-run"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--database-url", db.url()]);
        let stderr = refused(&dir, &all);
        assert!(
            stderr.contains("`20250102_000000_create` of section `team_d` (an overlay this run leaves out) is pending and older than `20250103_000000_more` of `shared`")
                && stderr.contains("nothing was applied")
                && stderr.contains("migrate shared team_d"),
            "{stderr}"
        );
    }
    let applied: bool = query_one(
        &mut db.connect(),
        "SELECT to_regnamespace('shared') IS NOT NULL",
    );
    assert!(!applied, "nothing ran");
    ok_on(&dir, db.url(), &["migrate", "shared", "team_d"]);
    let (status, _) = ok_on(&dir, db.url(), &["status"]);
    assert_eq!(
        status
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some("applied"))
            .count(),
        3,
        "{status}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A section's migrations attach nothing to another section's tables:
/// an overlay cannot change how its base's table behaves.
#[test]
fn an_overlay_attaches_nothing_to_its_bases_tables() {
    let dir = team_crate("attach");
    let file = "sections/team_d/migrations/20250103_000000_attach.up.sql";
    for (sql, what) in [
        (
            "CREATE INDEX app_user_lower ON shared.app_user (lower(email));\n",
            "an index",
        ),
        (
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS x ON ONLY \"shared\".app_user (id);\n",
            "an index",
        ),
        (
            "CREATE TRIGGER t BEFORE INSERT ON shared.app_user FOR EACH ROW EXECUTE FUNCTION team_d.touch();\n",
            "a trigger",
        ),
        (
            "CREATE POLICY p ON shared.app_user USING (true);\n",
            "a policy",
        ),
        (
            "CREATE OR REPLACE RULE r AS ON INSERT TO shared.app_user DO ALSO NOTIFY users;\n",
            "a rule",
        ),
    ] {
        write(&dir, file, sql);
        let stderr = refused(&dir, &["print"]);
        assert!(
            stderr.contains(&format!(
                "section `team_d` attaches {what} to `shared.app_user`, a table of schema `shared`, which is not its own schema `team_d`"
            )),
            "{sql}: {stderr}"
        );
        assert!(stderr.contains(file), "{stderr}");
    }
    // Nor creates, alters or drops what the model does not hold in the
    // base's schema, nor a partition holding the base's rows.
    for (sql, expected) in [
        (
            "CREATE OR REPLACE FUNCTION shared.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n",
            "section `team_d` acts on function `shared.touch`, in the schema of section `shared`",
        ),
        (
            "DROP POLICY IF EXISTS p ON shared.app_user;\n",
            "section `team_d` acts on a policy on table `shared.app_user`, in the schema of section `shared`",
        ),
        (
            "ALTER SEQUENCE shared.app_user_id_seq OWNED BY team_d.task.id;\n",
            "section `team_d` acts on sequence `shared.app_user_id_seq`",
        ),
        (
            "DROP INDEX CONCURRENTLY IF EXISTS shared.app_user_email_key;\n",
            "section `team_d` acts on index `shared.app_user_email_key`",
        ),
        (
            "ALTER TRIGGER t ON shared.app_user RENAME TO u;\n",
            "section `team_d` acts on a trigger on table `shared.app_user`",
        ),
        (
            "CREATE TABLE team_d.slice PARTITION OF shared.app_user FOR VALUES FROM (1) TO (2);\n",
            "section `team_d` touches table `shared.app_user` (a partition of it) in schema `shared`",
        ),
    ] {
        write(&dir, file, sql);
        let stderr = refused(&dir, &["print"]);
        assert!(stderr.contains(expected), "{sql}: {stderr}");
    }
    write(
        &dir,
        file,
        "CREATE INDEX ON team_d.project (code);
CREATE INDEX task_title ON task (title);
CREATE POLICY p ON project USING (true);
CREATE FUNCTION team_d.lead_email(u shared.app_user) RETURNS text LANGUAGE sql AS $$ SELECT u.email $$;
CREATE FUNCTION public.helper() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
",
    );
    let out = sections(&dir, &["print"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two promotions in a row keep the order they were made in, whatever
/// their tables' names; and a sibling overlay that builds on a promoted
/// table holds the promotion in place.
#[test]
fn promotions_keep_their_order_and_a_sibling_overlay_holds_them_in_place() {
    let dir = team_crate("siblings");
    write(
        &dir,
        "sections/sections.toml",
        "[section.team_d]\nextends = \"shared\"\n[section.team_x]\nextends = \"shared\"\n",
    );
    write(
        &dir,
        "sections/team_x/migrations/20250103_000000_create.up.sql",
        "CREATE SCHEMA team_x;\n",
    );
    let db = pg_sections::testing::database();
    ok_on(&dir, db.url(), &["migrate"]);
    let promote = |table: &str| {
        let (written, _) = ok_on(
            &dir,
            db.url(),
            &["promote", table, "--from", "team_d", "--to", "shared"],
        );
        written.lines().next().unwrap().to_owned()
    };
    // `task` sorts before `project` by name, and depends on it.
    let (first, second) = (promote("project"), promote("task"));
    assert!(first < second, "{first} then {second}");
    ok_on(&dir, db.url(), &["migrate"]);
    write(
        &dir,
        "sections/team_x/migrations/29991231_000000_notes.up.sql",
        "CREATE TABLE team_x.note (project_id integer REFERENCES shared.project (id));\n",
    );
    ok_on(&dir, db.url(), &["migrate"]);
    let stderr = refused(
        &dir,
        &["migrate", "--down", "team_d", "--database-url", db.url()],
    );
    assert!(
        stderr.contains("section `team_x` has 1 migration applied after `")
            && stderr.contains("migrate --down team_x 1"),
        "{stderr}"
    );
    ok_on(&dir, db.url(), &["snapshot"]);
    let (_, checked) = ok_on(&dir, db.url(), &["check", "--against", "live"]);
    assert!(
        checked.contains("snapshots match the database"),
        "{checked}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `cargo sections ARGS` in `dir` with the variables `env` set.
fn sections_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("sections")
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("DATABASE_URL")
        .env_remove("LEDGER_DATABASE_URL")
        .env_remove("SHADOW_DATABASE_URL")
        .envs(env.iter().copied())
        .output()
        .expect("run cargo-sections")
}

/// [`sections_with`], which must succeed: its standard output and error.
fn ok_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> (String, String) {
    let out = sections_with(dir, env, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{args:?}: {stderr}");
    (stdout, stderr)
}

/// A user crate whose `sections/` is `tests/fixtures/<fixture>/sections`.
fn fixture_crate(fixture: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pg-sections-{fixture}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"fixture\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    );
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(fixture)
            .join("sections"),
        &dir.join("sections"),
    );
    dir
}

/// Whether `relation` exists in the database of `client`.
fn exists(client: &mut postgres::Client, relation: &str) -> bool {
    query_one::<Option<String>>(client, &format!("SELECT to_regclass('{relation}')::text"))
        .is_some()
}

#[test]
fn sections_in_two_databases_are_migrated_read_and_reverted_each_in_its_own() {
    let dir = fixture_crate("two_databases");
    let shop = pg_sections::testing::database();
    let ledger = pg_sections::testing::database();
    let env = [
        ("DATABASE_URL", shop.url()),
        ("LEDGER_DATABASE_URL", ledger.url()),
    ];
    // Without the shop's URL, nothing is migrated anywhere, and the
    // message says which variable and what it is for.
    let out = sections_with(&dir, &env[1..], &["migrate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && stderr.contains("DATABASE_URL is not set (or empty): it holds the URL of the database of section shop"),
        "{stderr}"
    );
    assert!(!exists(&mut ledger.connect(), "ledger.entry"));
    // One URL for all would put the ledger in the shop's database.
    let out = sections_with(&dir, &env, &["migrate", "--database-url", shop.url()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("`--database-url` would send them all to one"),
        "{stderr}"
    );
    let (_, applied) = ok_with(&dir, &env, &["migrate"]);
    assert!(
        applied.contains("database of LEDGER_DATABASE_URL: ledger")
            && applied.contains("database of DATABASE_URL: shop"),
        "{applied}"
    );
    let (mut on_shop, mut on_ledger) = (shop.connect(), ledger.connect());
    assert!(exists(&mut on_shop, "shop.customer"));
    assert!(!exists(&mut on_shop, "ledger.entry"));
    assert!(exists(&mut on_ledger, "ledger.entry"));
    assert!(!exists(&mut on_ledger, "shop.customer"));
    // Each database keeps the history of its own sections.
    let (status, _) = ok_with(&dir, &env, &["status"]);
    let applied_rows = status
        .lines()
        .filter(|line| line.split_whitespace().nth(1) == Some("applied"))
        .count();
    assert_eq!(applied_rows, 2, "{status}");
    let (history, _) = ok_with(&dir, &env, &["history", "ledger"]);
    assert!(history.contains("create_ledger"), "{history}");
    // Each section read from its own database, and the snapshots agree
    // with the migrations.
    ok_with(&dir, &env, &["snapshot", "--from", "live"]);
    ok_with(&dir, &env, &["check", "--against", "live"]);
    ok_with(&dir, &env, &["check"]);
    let (statistics, _) = ok_with(&dir, &env, &["stats"]);
    assert!(
        statistics.contains("section ledger") && statistics.contains("section shop"),
        "{statistics}"
    );
    // Down in the section's own database.
    ok_with(&dir, &env, &["migrate", "--down", "ledger"]);
    assert!(!exists(&mut on_ledger, "ledger.entry"));
    assert!(exists(&mut on_shop, "shop.customer"));
    // Without the ledger's URL, the command says which variable is missing.
    let out = sections_with(&dir, &env[..1], &["migrate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("LEDGER_DATABASE_URL"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A foreign key from one database into the other is a build error.
    write(
        &dir,
        "sections/ledger/migrations/20250302_090000_entry_customer.up.sql",
        "ALTER TABLE ledger.entry ADD FOREIGN KEY (customer_id) REFERENCES shop.customer (id);\n",
    );
    let error = refused(&dir, &["check"]);
    assert!(
        error.contains("foreign key `entry_customer_id_fkey` of table `ledger.entry` references `shop.customer`")
            && error.contains("PostgreSQL keeps a foreign key within one database"),
        "{error}"
    );
    std::fs::remove_file(
        dir.join("sections/ledger/migrations/20250302_090000_entry_customer.up.sql"),
    )
    .unwrap();
    // So is a column of a type of the other database's section.
    write(
        &dir,
        "sections/shop/migrations/20250302_090000_tier.up.sql",
        "CREATE TYPE shop.tier AS ENUM ('gold', 'silver');\n",
    );
    write(
        &dir,
        "sections/ledger/migrations/20250302_090100_entry_tier.up.sql",
        "ALTER TABLE ledger.entry ADD COLUMN tier shop.tier;\n",
    );
    let error = refused(&dir, &["check"]);
    assert!(
        error.contains("column `ledger.entry.tier` has type `shop.tier` of section `shop`"),
        "{error}"
    );
    std::fs::remove_file(dir.join("sections/ledger/migrations/20250302_090100_entry_tier.up.sql"))
        .unwrap();
    // So is an overlay in another database than its base.
    write(
        &dir,
        "sections/sections.toml",
        "[section.ledger]\ndatabase_url_env = \"LEDGER_DATABASE_URL\"\nextends = \"shop\"\n",
    );
    let error = refused(&dir, &["check"]);
    assert!(
        error.contains("section `ledger` extends `shop`, whose database is another"),
        "{error}"
    );
    // Replicas are a database's: two lists for one database are refused.
    write(
        &dir,
        "sections/sections.toml",
        "replica_url_envs = [\"REPLICA_A\"]\n[section.shop]\nreplica_url_envs = [\"REPLICA_B\"]\n",
    );
    let error = refused(&dir, &["check"]);
    assert!(
        error.contains("the folder's `replica_url_envs` names the replicas [\"REPLICA_A\"] for the database of `DATABASE_URL`, and section `shop` names [\"REPLICA_B\"]"),
        "{error}"
    );
    // And a variable that is no variable's name.
    write(
        &dir,
        "sections/sections.toml",
        "[section.ledger]\ndatabase_url_env = \"LEDGER URL\"\n",
    );
    let error = refused(&dir, &["check"]);
    assert!(error.contains("[section.ledger] `database_url_env`: \"LEDGER URL\" is not an environment variable name"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn tenants_are_created_listed_and_migrated_each_in_its_schema() {
    let dir = fixture_crate("tenants");
    let db = pg_sections::testing::database();
    let env = [("DATABASE_URL", db.url())];
    // A plain migration leaves the template alone.
    let (_, applied) = ok_with(&dir, &env, &["migrate"]);
    assert!(
        applied.contains("applied core") && !applied.contains("applied tenant"),
        "{applied}"
    );
    let mut client = db.connect();
    assert!(!exists(&mut client, "tenant.project"));
    let (_, created) = ok_with(&dir, &env, &["tenant", "new", "acme"]);
    assert!(
        created.contains("tenant acme of tenant: schema tenant_acme"),
        "{created}"
    );
    ok_with(&dir, &env, &["tenant", "new", "kct"]);
    let (listed, _) = ok_with(&dir, &env, &["tenant", "list"]);
    assert_eq!(
        listed,
        "tenant  acme  tenant_acme\ntenant  kct  tenant_kct\n"
    );
    assert!(exists(&mut client, "tenant_acme.task") && exists(&mut client, "tenant_kct.task"));
    assert!(
        !exists(&mut client, "tenant.task"),
        "the template's schema is never created"
    );
    // A new migration of the template reaches every tenant.
    write(
        &dir,
        "sections/tenant/migrations/20250403_090000_task_due.up.sql",
        "ALTER TABLE tenant.task ADD COLUMN due date;\n",
    );
    let (_, migrated) = ok_with(&dir, &env, &["migrate", "--tenants"]);
    assert_eq!(migrated.matches("task_due").count(), 2, "{migrated}");
    let due: i64 = query_one(
        &mut client,
        "SELECT count(*) FROM information_schema.columns WHERE column_name = 'due' AND table_name = 'task'",
    );
    assert_eq!(due, 2);
    let (_, again) = ok_with(&dir, &env, &["migrate", "--tenants"]);
    assert!(
        again.contains("tenant acme of tenant: no pending migrations"),
        "{again}"
    );
    // Each tenant's history is its own.
    let (history, _) = ok_with(&dir, &env, &["history", "core"]);
    assert!(history.contains("create_core"), "{history}");
    let recorded: i64 = query_one(
        &mut client,
        "SELECT count(*) FROM sections_history.\"tenant@kct\"",
    );
    assert_eq!(recorded, 3);
    let (history, _) = ok_with(&dir, &env, &["history", "tenant@kct"]);
    assert_eq!(history.lines().count(), 4, "{history}");
    // The code reads the template from its migrations, live or not.
    ok_with(&dir, &env, &["snapshot"]);
    ok_with(&dir, &env, &["check", "--against", "live"]);
    // Refusals.
    for (args, expected) in [
        (
            &["tenant", "new", "acme"][..],
            "tenant `acme` of section `tenant` exists already (schema `tenant_acme`)",
        ),
        (
            &["tenant", "new", "Acme"][..],
            "no tenant \"Acme\" of section `tenant`: a tenant's name is lowercase ASCII letters, digits and `_`",
        ),
        (
            &["migrate", "tenant"][..],
            "section `tenant` is a tenant template: its migrations run for each tenant, with `migrate --tenants`",
        ),
        (
            &["tenant", "new", "x", "--section", "core"][..],
            "section `core` is no tenant template; the templates are: tenant",
        ),
    ] {
        let out = sections_with(&dir, &env, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A name whose history table's name PostgreSQL would cut.
    let long = "a".repeat(57);
    let out = sections_with(&dir, &env, &["tenant", "new", &long]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("would be longer than the 63 bytes"),
        "{stderr}"
    );
    // Seeds: a template's have nowhere to run; plain `seed` leaves them.
    write(
        &dir,
        "sections/tenant/seeds/001_projects.sql",
        "INSERT INTO tenant.project (name) VALUES ('seeded');\n",
    );
    ok_with(&dir, &env, &["seed"]);
    let out = sections_with(&dir, &env, &["seed", "tenant"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("section `tenant` is a tenant template"),
        "{stderr}"
    );
    // A template whose schema exists in the database is refused, and the
    // tenant is not registered.
    client.batch_execute("CREATE SCHEMA tenant").unwrap();
    let out = sections_with(&dir, &env, &["tenant", "new", "late"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("schema `tenant` exists in this database"),
        "{stderr}"
    );
    let (listed, _) = ok_with(&dir, &env, &["tenant", "list"]);
    assert!(!listed.contains("late"), "{listed}");
    // A section whose schema a tenant's name would reach.
    write(
        &dir,
        "sections/tenant_billing/migrations/20250405_090000_create_billing.up.sql",
        "CREATE SCHEMA tenant_billing;\nCREATE TABLE tenant_billing.invoice (id integer PRIMARY KEY);\n",
    );
    let error = refused(&dir, &["check"]);
    assert!(
        error.contains("section `tenant_billing`'s schema `tenant_billing` starts with `tenant_`"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
