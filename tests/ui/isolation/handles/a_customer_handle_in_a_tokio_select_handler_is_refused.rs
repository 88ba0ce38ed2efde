use pg_sections::{Db, Pool, section};
use ui::bundled::customer::Customer;

#[section("vendor")]
pub async fn handle(pool: &Pool, stop: tokio::sync::oneshot::Receiver<()>) -> bool {
    tokio::select! {
        _ = stop => false,
        else => {
            let carts: Db<Customer> = pool.db();
            drop(carts);
            true
        }
    }
}

fn main() {}
