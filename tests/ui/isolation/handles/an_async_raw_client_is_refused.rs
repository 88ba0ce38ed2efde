use pg_sections::section;
use pg_sections::tokio_postgres::Client;

#[section("vendor")]
pub async fn anything(client: &Client) -> usize {
    client.execute("DELETE FROM customer.shopping_cart", &[]).await.map_or(0, |n| n as usize)
}

fn main() {}
