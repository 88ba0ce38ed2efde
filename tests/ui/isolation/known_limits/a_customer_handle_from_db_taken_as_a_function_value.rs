// `conn.db()`, `Connection::db(conn)` and `(Connection::db)(conn)` are
// checked where they stand; `db` taken as a function value (bound to a
// variable, passed to `map`) is not, and its handle's section is settled
// elsewhere.
use pg_sections::blocking::{Connection, Db};
use pg_sections::section;
use ui::bundled::customer::Customer;

fn keep(_: Option<Db<Customer>>) {}

#[section("vendor")]
pub fn open(conn: &Connection) {
    keep(Some(conn).map(Connection::db));
}

fn main() {}
