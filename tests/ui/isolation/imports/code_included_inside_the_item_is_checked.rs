use pg_sections::{Connection, Table, section};

#[section("vendor")]
pub fn f(conn: &Connection) -> pg_sections::Result<i64> {
    include!("f51_included.txt").select().count(&conn.db())
}

fn main() {}
