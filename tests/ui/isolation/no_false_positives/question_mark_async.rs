use pg_sections::{Table, section};
use pg_sections::blocking::Connection;
use ui::bundled::vendor::vendor_inventory;

#[derive(Debug)]
pub enum MyErr { Db(pg_sections::Error), Parse(std::num::ParseIntError) }
impl From<pg_sections::Error> for MyErr { fn from(e: pg_sections::Error) -> Self { MyErr::Db(e) } }
impl From<std::num::ParseIntError> for MyErr { fn from(e: std::num::ParseIntError) -> Self { MyErr::Parse(e) } }

#[section("vendor")]
pub async fn count(conn: &Connection, s: &str) -> Result<i64, MyErr> {
    let n: i64 = s.parse()?;
    let c = vendor_inventory::Table.select().count(&conn.db())?;
    Ok(c + n)
}

#[section("vendor")]
pub fn opt(x: Option<i32>) -> Option<i32> {
    let y = x?;
    Some(y + 1)
}

fn main() {}
