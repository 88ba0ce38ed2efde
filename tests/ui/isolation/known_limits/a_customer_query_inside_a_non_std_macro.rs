// The input of macros other than std's and the async runtimes' joins and
// `select!` (`tokio::join!`, `futures::try_join!`, `tokio::select!`,
// written with their crate's name) is not probed, and that includes the
// check of `db()`: a customer query inside a macro of one's own gets
// through.
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
        ui::bundled::customer::shopping_cart::Table
            .select()
            .count(&tx.db())
            .await
    });
    n
}

fn main() {}
