// Known limit: a raw client from a `postgres::Config`, never written as a type.
use pg_sections::section;

#[section("vendor")]
pub fn wipe(url: &str) -> Result<(), pg_sections::postgres::Error> {
    let mut c = url.parse::<pg_sections::postgres::Config>()?.connect(pg_sections::postgres::NoTls)?;
    c.batch_execute("DELETE FROM customer.shopping_cart")
}

fn main() {}
