// The user's own items share names with generated ones; the attribute asks
// the compiler what each path is, so none of them is refused.
use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, vendor_inventory};

mod own {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Role {
        Customer,
        Vendor,
    }
    pub struct ShoppingCart {
        pub items: usize,
    }
    pub struct Db<T>(pub T);
    pub mod customer {
        pub fn shopping_cart() -> &'static str {
            "a cart"
        }
    }
}

use own::{Role, ShoppingCart};

#[section("vendor")]
pub struct Stock {
    db: Db<Vendor>,
    cart: ShoppingCart,
    wrapped: own::Db<u8>,
}

#[section("vendor")]
impl Stock {
    pub fn count(&self) -> pg_sections::Result<i64> {
        let role = Role::Customer;
        let _ = (role == Role::Vendor, self.cart.items, self.wrapped.0);
        let _ = own::customer::shopping_cart();
        let _ = stringify!(ui::bundled::customer::shopping_cart::Table);
        let _: Option<u8> = None;
        let _ = Some(1).map(Some);
        let _: String = Default::default();
        count_all(&self.db, vendor_inventory::Table)
    }
}

#[section("vendor")]
fn count_all<T: Table<Section = Vendor>>(db: &Db<Vendor>, table: T) -> pg_sections::Result<i64>
where
    T: pg_sections::InSection<Vendor>,
{
    table.select().count(db)
}

fn main() {}
