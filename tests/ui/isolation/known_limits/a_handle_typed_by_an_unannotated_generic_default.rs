// Known limit: a handle typed by an unannotated generic type's default parameter.
use pg_sections::section;
use pg_sections::blocking::{Connection, Db};
use ui::bundled::customer::Customer;

pub struct Pair<A, B = Db<Customer>>(pub A, pub B);
pub fn take<B>(p: Pair<u8, B>) -> B { p.1 }
pub fn open(conn: &Connection) -> Pair<u8> { Pair(0, conn.db()) }

#[section("vendor")]
pub fn f(conn: &Connection) -> pg_sections::Result<()> {
    let db = take(open(conn));
    db.transaction(|_| Ok::<_, pg_sections::Error>(()))
}

fn main() {}
