//! A service across the two section crates, on a database migrated by each
//! crate's own embedded migrations.

use pg_sections::blocking::Connection;
use pg_sections::rust_decimal::Decimal;
use pg_sections::testing::TestDatabase;
use pg_sections::uuid::Uuid;
use services::{Error, Shop};

/// This crate generates no code, so it has no migrations of its own: each
/// section crate brings its section's.
#[pg_sections::test(migrations = false)]
fn an_item_moves_from_vendor_stock_to_a_cart(database: TestDatabase) {
    database.migrate(&vendor_db::MIGRATIONS);
    database.migrate(&customer_db::MIGRATIONS);
    let conn = Connection::from_client(database.connect());
    let inventory = vendor_db::Inventory::new(conn.db());
    let carts = customer_db::Carts::new(conn.db());
    let acme = inventory.add_vendor("Acme Parts").unwrap();
    let filter = inventory
        .stock(&acme, Uuid::nil(), 3, Decimal::new(850, 2))
        .unwrap();
    let ada = carts.add_customer("ada@example.com").unwrap();

    let shop = Shop::new(&conn);
    let line = shop.add_to_cart(&ada, filter.public_id, 2).unwrap();
    assert_eq!(
        (
            line.vendor_inventory_public_id,
            line.quantity,
            line.price_at_add
        ),
        (filter.public_id, 2, Decimal::new(850, 2))
    );
    // One left: a second order of two takes nothing and adds nothing.
    assert!(matches!(
        shop.add_to_cart(&ada, filter.public_id, 2),
        Err(Error::OutOfStock { requested: 2, .. })
    ));
    assert_eq!(carts.lines(&ada).unwrap(), [line]);
}
