use futures_util::StreamExt;
use pg_sections::{Db, Table};
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

async fn carts(db: &Db<Vendor>) -> usize {
    let query = shopping_cart::Table.select();
    query.stream(db, 100).count().await
}

fn main() {}
