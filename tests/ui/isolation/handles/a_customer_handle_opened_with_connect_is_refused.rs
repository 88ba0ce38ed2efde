use pg_sections::{Db, section};
use tests::bundled::customer::Customer as Buyers;

#[section("vendor")]
pub fn open(url: &str) -> pg_sections::Result<()> {
    let _db = Db::<Buyers>::connect(url)?;
    Ok(())
}

fn main() {}
