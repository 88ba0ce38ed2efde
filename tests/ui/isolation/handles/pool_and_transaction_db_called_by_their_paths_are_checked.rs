use pg_sections::{Pool, Transaction, section};
use ui::bundled::customer::Customer;

fn helper(db: pg_sections::Db<Customer>) -> usize {
    let _ = db;
    0
}

#[section("vendor")]
pub fn from_pool(pool: &Pool) -> usize {
    helper(Pool::db(pool))
}

#[section("vendor")]
pub fn from_transaction(tx: &Transaction) -> usize {
    helper((Transaction::db)(tx))
}

#[section("vendor")]
pub fn turbofish(pool: &Pool) -> usize {
    helper(<Pool>::db::<Customer>(pool))
}

fn main() {}
