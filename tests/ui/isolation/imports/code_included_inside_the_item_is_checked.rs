use pg_sections::{Table, section};
use pg_sections::blocking::Connection;

#[section("vendor")]
pub fn f(conn: &Connection) -> pg_sections::Result<i64> {
    include!("f51_included.txt").select().count(&conn.db())
}

fn main() {}
