// An overlay's code reads its base's tables only through the base's
// handle, as for any two sections.
use pg_sections::Table;
use pg_sections::blocking::Db;
use ui::teams::shared::app_user;
use ui::teams::team_d::TeamD;

fn users(db: &Db<TeamD>) -> pg_sections::Result<usize> {
    Ok(app_user::Table.select().fetch_all(db)?.len())
}

fn main() {}
