use pg_sections::postgres::Transaction as Tx;
use pg_sections::section;

#[section("vendor")]
pub struct Batch<'a> {
    tx: Tx<'a>,
}

fn main() {}
