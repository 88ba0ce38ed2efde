use pg_sections::{Transaction, section};
use ui::bundled::customer::Customer;

#[section("vendor")]
pub fn in_the_same_transaction(tx: &Transaction) -> usize {
    let carts: pg_sections::Db<Customer> = tx.db();
    let _ = carts;
    0
}

fn main() {}
