use pg_sections::section;

#[section("vendor")]
pub fn wipe(client: &mut pg_sections::postgres::Client) -> Result<u64, pg_sections::postgres::Error> {
    client.execute("DELETE FROM customer.shopping_cart", &[])
}

fn main() {}
