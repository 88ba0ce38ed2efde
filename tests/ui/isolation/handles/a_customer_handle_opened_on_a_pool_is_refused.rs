use pg_sections::{Pool, Table, section};
use ui::bundled::customer::{Customer, shopping_cart};

#[section("vendor")]
pub async fn peek(pool: &Pool) -> pg_sections::Result<i64> {
    let carts = pool.db::<Customer>();
    shopping_cart::Table.select().count(&carts).await
}

fn main() {}
