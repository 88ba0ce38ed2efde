use pg_sections::section;

mod customer {
    pub struct Customer;
    pub struct ShoppingCart { pub n: u32 }
    pub fn shopping_cart() -> ShoppingCart { ShoppingCart { n: 1 } }
    pub mod shopping_cart { pub struct Table; pub const id: u32 = 3; }
    pub enum OrderStatus { Paid }
}
pub struct Db<T>(pub T);
impl<T> Db<T> { pub fn db<U: Default>(&self) -> U { U::default() } }
pub struct Session;
pub struct Vendor;

#[section("vendor")]
pub fn mine(d: Db<customer::Customer>) -> u32 {
    let _s = Session;
    let _t = customer::shopping_cart::Table;
    let _ = customer::shopping_cart::id;
    let _ = customer::OrderStatus::Paid;
    let n: u32 = d.db::<u32>();
    customer::shopping_cart().n + n
}

fn main() {}
