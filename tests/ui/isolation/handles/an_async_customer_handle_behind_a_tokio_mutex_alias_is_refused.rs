use std::sync::Arc;

use pg_sections::{Db, section};
use ui::bundled::customer::Customer;

type Shared = Arc<tokio::sync::Mutex<Db<Customer>>>;

#[section("vendor")]
#[derive(Clone)]
pub struct Orders {
    carts: Shared,
}

fn main() {}
