use pg_sections::{Db, Table};
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::Vendor;

async fn carts(db: &Db<Vendor>) -> pg_sections::Result<usize> {
    Ok(shopping_cart::Table.select().fetch_all(db).await?.len())
}

fn main() {}
