use pg_sections::Table;
use ui::bundled::customer::shopping_cart;
use ui::bundled::vendor::vendor_inventory;

fn main() {
    let _ = vendor_inventory::Table.select().inner_join(shopping_cart::Table);
}
