// Known limit: a raw client obtained from a call (`Client::connect`) and never written as a type.
use pg_sections::section;
use pg_sections::postgres::{Client, NoTls};

#[section("vendor")]
pub fn wipe(url: &str) -> Result<(), pg_sections::postgres::Error> {
    let mut c = Client::connect(url, NoTls)?;
    c.batch_execute("DELETE FROM customer.shopping_cart")
}

fn main() {}
