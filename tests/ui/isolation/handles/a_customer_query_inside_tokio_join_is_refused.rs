// `tokio::join!`'s arguments are futures, code like any other: the
// handle a customer query settles inside one is refused.
use pg_sections::{Table, Transaction, section};

#[section("vendor")]
pub async fn carts(tx: &Transaction) -> pg_sections::Result<i64> {
    let (n, m) = tokio::join!(
        async {
            ui::bundled::customer::shopping_cart::Table
                .select()
                .count(&tx.db())
                .await
        },
        async { Ok::<i64, pg_sections::Error>(0) }
    );
    Ok(n? + m?)
}

fn main() {}
