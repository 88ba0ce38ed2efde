use pg_sections::blocking::Blocking;
use pg_sections::{Runs, Table, section};
use ui::bundled::customer::shopping_cart;

#[section("vendor")]
pub fn count<H: Runs<shopping_cart::Table, Mode = Blocking>>(db: &H) -> pg_sections::Result<i64> {
    shopping_cart::Table.select().count(db)
}

fn main() {}
