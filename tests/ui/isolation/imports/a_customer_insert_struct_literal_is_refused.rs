use pg_sections::section;
use ui::bundled::customer::NewShoppingCart as Line;

#[section("vendor")]
pub fn line(customer_id: i32) -> impl std::fmt::Debug {
    Line {
        id: None,
        customer_id,
        vendor_inventory_public_id: pg_sections::uuid::Uuid::nil(),
        quantity: None,
        price_at_add: pg_sections::rust_decimal::Decimal::ONE,
        added_at: None,
    }
}

fn main() {}
