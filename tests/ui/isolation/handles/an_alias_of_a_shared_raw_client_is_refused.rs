use std::sync::{Arc, Mutex};

use pg_sections::section;

type Shared = Arc<Mutex<pg_sections::postgres::Client>>;

#[section("vendor")]
pub fn wipe(client: Shared) {
    let mut client = client.lock().unwrap();
    let _ = client.execute("DELETE FROM customer.shopping_cart", &[]);
}

fn main() {}
