use pg_sections::section;
use ui::bundled::vendor::Vendor;

pub struct Db<T>(pub T);

pub struct Pool;

impl Pool {
    pub fn db<T: Default>(&self) -> Db<T> {
        Db(T::default())
    }
}

#[section("vendor")]
pub struct Cache {
    pool: Pool,
    hits: Db<u64>,
    stock: pg_sections::blocking::Db<Vendor>,
}

#[section("vendor")]
impl Cache {
    pub fn warm(&self) -> u64 {
        let fresh = self.pool.db::<u64>();
        let _ = &self.stock;
        fresh.0 + self.hits.0
    }
}

mod customer {
    pub fn shopping_cart() -> &'static str {
        "the user's own function"
    }
}

#[section("vendor")]
pub fn label() -> &'static str {
    customer::shopping_cart()
}

fn main() {}
