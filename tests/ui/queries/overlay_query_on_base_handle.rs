// The base never reaches into its overlay.
use pg_sections::Table;
use pg_sections::blocking::Db;
use ui::teams::shared::Shared;
use ui::teams::team_d::project;

fn projects(db: &Db<Shared>) -> pg_sections::Result<usize> {
    Ok(project::Table.select().fetch_all(db)?.len())
}

fn main() {}
