// Known limit: `Db::connect` whose section only an unannotated helper's signature settles.
use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

fn helper(db: &Db<Customer>) -> usize { let _ = db; 0 }

#[section("vendor")]
pub fn f(url: &str) -> pg_sections::Result<usize> {
    let db = Db::connect(url)?;
    Ok(helper(&db))
}

fn main() {}
