use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn f(url: &str) -> pg_sections::Result<()> {
    let db = <Db<Customer>>::connect(url)?;
    let _ = db;
    Ok(())
}

fn main() {}
