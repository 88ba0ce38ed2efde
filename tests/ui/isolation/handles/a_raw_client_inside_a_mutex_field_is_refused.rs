use std::sync::{Arc, Mutex};

use pg_sections::section;

#[section("vendor")]
pub struct Stock {
    shared: Arc<Mutex<pg_sections::postgres::Client>>,
}

fn main() {}
