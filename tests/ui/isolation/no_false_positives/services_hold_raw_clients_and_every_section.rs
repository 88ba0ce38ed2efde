// Code without the attribute (a service) may hold a raw client and
// handles of several sections.
use pg_sections::blocking::{Connection, Db};
use ui::bundled::customer::Customer;
use ui::bundled::vendor::Vendor;

pub struct Admin {
    client: pg_sections::postgres::Client,
    carts: Db<Customer>,
    stock: Db<Vendor>,
}

impl Admin {
    pub fn open(conn: &Connection, client: pg_sections::postgres::Client) -> Self {
        Self {
            client,
            carts: conn.db(),
            stock: conn.db(),
        }
    }
}

fn main() {
    let _ = Admin::open;
}
