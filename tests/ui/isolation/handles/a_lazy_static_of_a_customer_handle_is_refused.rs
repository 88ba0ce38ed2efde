use std::sync::LazyLock;

use pg_sections::blocking::{Connection, Db};
use pg_sections::section;
use ui::bundled::customer::Customer;

static CARTS: LazyLock<std::sync::Mutex<Db<Customer>>> = LazyLock::new(|| {
    let conn = Connection::connect("postgres://localhost/shop").expect("connects");
    std::sync::Mutex::new(conn.db())
});

#[section("vendor")]
pub fn lock() -> bool {
    CARTS.lock().is_ok()
}

fn main() {}
