// Known limit: a `Table` impl of the user's own, in the vendor section, naming the customer schema (a dozen lines of deliberate code, not one).
// Safe code outside the item declares a vendor table that is customer.shopping_cart.
use pg_sections::{InSection, Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::Vendor;

#[derive(Clone, Copy)]
pub struct Carts;
impl Table for Carts {
    type Section = Vendor;
    type Row = ui::bundled::customer::ShoppingCart;
    const SCHEMA: &'static str = "customer";
    const NAME: &'static str = "shopping_cart";
    const RELATION: &'static str = "customer.shopping_cart";
    const QUALIFIED_NAME: &'static str = "\"customer\".\"shopping_cart\"";
    const COLUMNS: &'static [&'static str] = &[];
    const COLUMN_LIST: &'static str = "*";
    const PRIMARY_KEY: &'static [&'static str] = &[];
}
impl InSection<Vendor> for Carts {}

#[section("vendor")]
pub fn carts(db: &Db<Vendor>) -> pg_sections::Result<i64> {
    Carts.select().count(db)
}

fn main() {}
