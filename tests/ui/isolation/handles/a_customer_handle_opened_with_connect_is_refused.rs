use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::customer::Customer as Buyers;

#[section("vendor")]
pub fn open(url: &str) -> pg_sections::Result<()> {
    let _db = Db::<Buyers>::connect(url)?;
    Ok(())
}

fn main() {}
