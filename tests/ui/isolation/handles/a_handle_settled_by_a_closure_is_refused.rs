use pg_sections::section;
use pg_sections::blocking::{Connection, Db};
use ui::bundled::customer::Customer;

pub fn helper(db: &Db<Customer>) -> usize { let _ = db; 0 }

#[section("vendor")]
pub fn f(conn: &Connection) -> usize {
    let open = || conn.db();
    let db = open();
    helper(&db)
}

fn main() {}
