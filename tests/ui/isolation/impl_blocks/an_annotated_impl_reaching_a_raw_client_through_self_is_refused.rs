use pg_sections::section;

pub struct App {
    client: pg_sections::postgres::Client,
}

#[section("vendor")]
impl App {
    pub fn wipe(&mut self) {
        let _ = self.client.execute("DELETE FROM customer.shopping_cart", &[]);
    }
}

fn main() {}
