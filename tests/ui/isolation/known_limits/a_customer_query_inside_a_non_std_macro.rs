// The input of macros other than std's is not probed, and that includes
// the check of `db()`: a customer query inside `tokio::join!` gets through.
// The `macro_rules!` here stands for such a macro, which the tests' crate
// does not depend on.
use pg_sections::{Transaction, section};

macro_rules! join_one {
    ($e:expr) => {
        ($e.await,)
    };
}

#[section("vendor")]
pub async fn carts(tx: &Transaction) -> pg_sections::Result<i64> {
    use pg_sections::Table;
    let (n,) = join_one!(async {
        tests::bundled::customer::shopping_cart::Table
            .select()
            .count(&tx.db())
            .await
    });
    n
}

fn main() {}
