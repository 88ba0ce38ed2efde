//! The marketplace example (`examples/`) against a real PostgreSQL: its
//! services enrich across sections without N+1 queries, check stock, and
//! place orders in one transaction that rolls back in every section.

use examples::Error;
use examples::auth::{SessionRepository, UserRepository};
use examples::catalog::{PartFilter, PartRepository};
use examples::customer::{OrderFilter, OrderRepository};
use examples::db::customer::OrderStatus;
use examples::db::vendor::{ItemCondition, NewVendorInventory};
use examples::demo::Demo;
use examples::services::{CartService, CheckoutService, InventoryService};
use examples::vendor::{InventoryFilter, InventoryRepository, VendorRepository};
use pg_sections::Pool;
use pg_sections::chrono::{Duration, Utc};
use pg_sections::rust_decimal::Decimal;
use pg_sections::testing::{AsyncFromTestDatabase, TestDatabase};
use pg_sections::uuid::Uuid;

/// The test's database, migrated by `#[pg_sections::test]`, with the demo
/// catalogue, and a pool on it.
struct Marketplace {
    pool: Pool,
    demo: Demo,
}

impl AsyncFromTestDatabase for Marketplace {
    async fn from_test_database(db: &TestDatabase) -> Self {
        let pool = Pool::connect(db.url()).await.unwrap();
        let demo = examples::demo::seed(&pool).await.unwrap();
        Marketplace { pool, demo }
    }
}

impl Marketplace {
    async fn stock(&self, item: Uuid) -> i32 {
        InventoryRepository::new(self.pool.db())
            .find_by_public_id(item)
            .await
            .unwrap()
            .unwrap()
            .quantity
    }

    async fn cart(&self) -> Vec<(Uuid, i32)> {
        CartService::new(&self.pool)
            .lines(self.demo.customer)
            .await
            .unwrap()
            .into_iter()
            .map(|line| (line.line.vendor_inventory_public_id, line.line.quantity))
            .collect()
    }

    async fn orders(&self) -> i64 {
        OrderRepository::new(self.pool.db())
            .list(&OrderFilter::default(), 1, 10)
            .await
            .unwrap()
            .total
    }

    /// Statements the pool has run so far.
    fn statements(&self) -> u64 {
        self.pool.status().statements
    }
}

/// The example's embedded migrations (what its binary runs at start-up)
/// apply every file on an empty database, in one timeline across
/// sections, and the demo catalogue goes in on top.
#[pg_sections::test(migrations = false)]
async fn the_examples_migrations_apply_every_section_in_one_timeline(pool: Pool) {
    let applied = pool.migrate(&examples::MIGRATIONS).await.unwrap();
    let names: Vec<&str> = applied.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names.len(), 9);
    assert!(names.is_sorted(), "{names:?}");
    assert_eq!(names[0], "20250101_090000_create_core");
    assert_eq!(applied[0].section, "core");
    let demo = examples::demo::seed(&pool).await.unwrap();
    assert_eq!(
        VendorRepository::new(pool.db())
            .find_by_public_id(demo.acme)
            .await
            .unwrap()
            .map(|vendor| vendor.business_name),
        Some("Acme Parts".to_owned())
    );
}

#[pg_sections::test]
async fn browsing_enriches_vendor_stock_with_core_parts_in_batches(m: Marketplace) {
    let inventory = InventoryService::new(&m.pool);
    let before = m.statements();
    let page = inventory
        .browse(&InventoryFilter::default(), 1, 50)
        .await
        .unwrap();
    // The count, the page of stock with vendors, the parts with their
    // models, the manufacturers: four statements for five items.
    assert_eq!(m.statements() - before, 4);
    assert_eq!(page.total, 5);
    let prices: Vec<_> = page.rows.iter().map(|l| l.item.price).collect();
    let mut sorted = prices.clone();
    sorted.sort();
    assert_eq!(prices, sorted, "cheapest first");

    let pads = page
        .rows
        .iter()
        .find(|l| l.item.public_id == m.demo.brake_pads_at_bolt)
        .unwrap();
    let details = pads.part.as_ref().unwrap();
    assert_eq!(details.part.public_id, m.demo.brake_pads);
    assert_eq!(details.part.name, "Front brake pads");
    assert_eq!(details.model.name, "Civic");
    assert_eq!(details.manufacturer.name, "Honda");
    assert_eq!(pads.vendor.business_name, "Bolt & Nut");
    assert_eq!(pads.item.condition, ItemCondition::Used);

    // No foreign key crosses sections: stock may name a part the catalogue
    // does not have, and the listing says so rather than failing.
    let bolt = VendorRepository::new(m.pool.db())
        .find_by_public_id(m.demo.bolt)
        .await
        .unwrap()
        .unwrap();
    let stray = InventoryRepository::new(m.pool.db())
        .create(NewVendorInventory {
            quantity: Some(1),
            sku: Some("BOLT-STRAY".to_owned()),
            ..NewVendorInventory::new(bolt.id, Uuid::from_u128(42), Decimal::new(100, 2))
        })
        .await
        .unwrap();
    let listings = inventory
        .listings([
            stray.public_id,
            m.demo.timing_belt_at_bolt,
            Uuid::from_u128(7),
        ])
        .await
        .unwrap();
    assert_eq!(listings.len(), 2);
    assert_eq!(listings[&stray.public_id].part, None);
    assert_eq!(
        listings[&m.demo.timing_belt_at_bolt]
            .part
            .as_ref()
            .unwrap()
            .part
            .public_id,
        m.demo.timing_belt
    );
}

#[pg_sections::test]
async fn listings_page_through_with_filters_and_totals(m: Marketplace) {
    let inventory = InventoryService::new(&m.pool);
    let all = InventoryFilter::default();
    let mut pages = Vec::new();
    for n in 1..=4 {
        pages.push(inventory.browse(&all, n, 2).await.unwrap());
    }
    assert!(pages.iter().all(|p| p.total == 5 && p.pages() == 3));
    let sizes: Vec<_> = pages.iter().map(|p| p.rows.len()).collect();
    assert_eq!(sizes, [2, 2, 1, 0]);
    let mut seen: Vec<_> = pages
        .iter()
        .flat_map(|p| p.rows.iter().map(|l| l.item.public_id))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "pages do not overlap");

    let acme = VendorRepository::new(m.pool.db())
        .find_by_public_id(m.demo.acme)
        .await
        .unwrap()
        .unwrap();
    let cheap_at_acme = inventory
        .browse(
            &InventoryFilter {
                vendor_id: Some(acme.id),
                max_price: Some(Decimal::new(1200, 2)),
                ..InventoryFilter::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    let skus: Vec<_> = cheap_at_acme
        .rows
        .iter()
        .map(|l| l.item.sku.clone().unwrap())
        .collect();
    assert_eq!(skus, ["ACME-OF-1", "ACME-SP-1"]);

    InventoryRepository::new(m.pool.db())
        .set_stock(m.demo.timing_belt_at_bolt, 0)
        .await
        .unwrap();
    let used_in_stock = inventory
        .browse(
            &InventoryFilter {
                in_stock: true,
                condition: Some(ItemCondition::Used),
                ..InventoryFilter::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(used_in_stock.total, 1);
    assert_eq!(
        used_in_stock.rows[0].item.public_id,
        m.demo.brake_pads_at_bolt
    );
    let in_stock = inventory
        .browse(
            &InventoryFilter {
                in_stock: true,
                ..InventoryFilter::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(in_stock.total, 4, "the timing belt is sold out");

    let parts = PartRepository::new(m.pool.db())
        .list(
            &PartFilter {
                name: Some("BRAKE".to_owned()),
                ..PartFilter::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(parts.total, 1);
    assert_eq!(parts.rows[0].public_id, m.demo.brake_pads);
    let literal = PartRepository::new(m.pool.db())
        .list(
            &PartFilter {
                name: Some("%".to_owned()),
                ..PartFilter::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(literal.total, 0, "`%` in a search matches itself only");
}

#[pg_sections::test]
async fn adding_to_the_cart_checks_the_vendors_stock(m: Marketplace) {
    let carts = CartService::new(&m.pool);
    let plugs = m.demo.spark_plug_at_acme;
    let line = carts.add(m.demo.customer, plugs, 2).await.unwrap();
    assert_eq!(line.quantity, 2);
    assert_eq!(line.price_at_add, Decimal::new(1200, 2));

    // 2 in the cart and 2 more is 4, of 3 in stock.
    let refused = carts.add(m.demo.customer, plugs, 2).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::OutOfStock {
                item,
                requested: 4,
                available: 3,
                ..
            } if item == plugs
        ),
        "{refused:?}"
    );
    assert_eq!(
        refused.to_string(),
        "not enough stock of `ACME-SP-1`: 4 requested, 3 available"
    );
    assert_eq!(m.cart().await, [(plugs, 2)]);
    assert_eq!(m.stock(plugs).await, 3, "adding to a cart takes no stock");

    assert_eq!(
        carts.add(m.demo.customer, plugs, 1).await.unwrap().quantity,
        3
    );
    assert!(matches!(
        carts.add(m.demo.customer, plugs, 0).await,
        Err(Error::InvalidQuantity(0))
    ));
    assert!(matches!(
        carts.add(m.demo.customer, Uuid::from_u128(1), 1).await,
        Err(Error::NotFound {
            what: "inventory item",
            ..
        })
    ));
    assert!(matches!(
        carts.add(Uuid::from_u128(1), plugs, 1).await,
        Err(Error::NotFound {
            what: "customer",
            ..
        })
    ));
    InventoryRepository::new(m.pool.db())
        .withdraw(m.demo.oil_filter_at_acme)
        .await
        .unwrap();
    assert!(matches!(
        carts
            .add(m.demo.customer, m.demo.oil_filter_at_acme, 1)
            .await,
        Err(Error::Unavailable { .. })
    ));
    assert!(carts.remove(m.demo.customer, plugs).await.unwrap());
    assert!(m.cart().await.is_empty());
}

#[pg_sections::test]
async fn placing_an_order_takes_stock_writes_the_order_and_empties_the_cart(m: Marketplace) {
    let carts = CartService::new(&m.pool);
    let checkout = CheckoutService::new(&m.pool);
    carts
        .add(m.demo.customer, m.demo.brake_pads_at_acme, 2)
        .await
        .unwrap();
    carts
        .add(m.demo.customer, m.demo.timing_belt_at_bolt, 1)
        .await
        .unwrap();

    let placed = checkout.place_order(m.demo.customer).await.unwrap();
    assert_eq!(placed.order.status, OrderStatus::Pending);
    assert!(placed.order.placed_at.is_some());
    // 2 × 49.90 + 1 × 89.00
    assert_eq!(placed.order.total, Decimal::new(18880, 2));
    let mut items: Vec<_> = placed
        .items
        .iter()
        .map(|i| {
            (
                i.vendor_inventory_public_id,
                i.quantity,
                i.unit_price,
                i.line_total,
            )
        })
        .collect();
    items.sort();
    let mut expected = vec![
        (
            m.demo.brake_pads_at_acme,
            2,
            Decimal::new(4990, 2),
            Some(Decimal::new(9980, 2)),
        ),
        (
            m.demo.timing_belt_at_bolt,
            1,
            Decimal::new(8900, 2),
            Some(Decimal::new(8900, 2)),
        ),
    ];
    expected.sort();
    assert_eq!(items, expected);

    assert_eq!(m.stock(m.demo.brake_pads_at_acme).await, 3);
    assert_eq!(m.stock(m.demo.timing_belt_at_bolt).await, 0);
    assert_eq!(
        m.stock(m.demo.brake_pads_at_bolt).await,
        2,
        "other stock untouched"
    );
    assert!(m.cart().await.is_empty());
    assert_eq!(
        checkout
            .order(placed.order.public_id)
            .await
            .unwrap()
            .as_ref(),
        Some(&placed)
    );
    let pending = OrderRepository::new(m.pool.db())
        .list(
            &OrderFilter {
                customer_id: Some(placed.order.customer_id),
                statuses: vec![OrderStatus::Pending, OrderStatus::Paid],
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(pending.rows, std::slice::from_ref(&placed.order));

    assert!(matches!(
        checkout.place_order(m.demo.customer).await,
        Err(Error::EmptyCart)
    ));
    assert_eq!(m.orders().await, 1);
}

#[pg_sections::test]
async fn a_failing_order_rolls_back_every_section(m: Marketplace) {
    let carts = CartService::new(&m.pool);
    let checkout = CheckoutService::new(&m.pool);
    carts
        .add(m.demo.customer, m.demo.brake_pads_at_acme, 2)
        .await
        .unwrap();
    carts
        .add(m.demo.customer, m.demo.oil_filter_at_acme, 4)
        .await
        .unwrap();
    carts
        .add(m.demo.customer, m.demo.timing_belt_at_bolt, 1)
        .await
        .unwrap();
    let cart = m.cart().await;

    // Between add and checkout, the vendor sells its last timing belt. The
    // checkout takes the brake pads and oil filters first (they come first
    // by id), then fails on the belt: all of it must be undone.
    InventoryRepository::new(m.pool.db())
        .set_stock(m.demo.timing_belt_at_bolt, 0)
        .await
        .unwrap();
    let refused = checkout.place_order(m.demo.customer).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::OutOfStock {
                requested: 1,
                available: 0,
                ..
            }
        ),
        "{refused:?}"
    );
    assert_eq!(m.stock(m.demo.brake_pads_at_acme).await, 5);
    assert_eq!(m.stock(m.demo.oil_filter_at_acme).await, 20);
    assert_eq!(m.cart().await, cart);
    assert_eq!(m.orders().await, 0);

    // Back in stock but withdrawn: the same, as unavailable.
    let belts = InventoryRepository::new(m.pool.db());
    belts
        .set_stock(m.demo.timing_belt_at_bolt, 1)
        .await
        .unwrap();
    belts.withdraw(m.demo.timing_belt_at_bolt).await.unwrap();
    assert!(matches!(
        checkout.place_order(m.demo.customer).await,
        Err(Error::Unavailable { item }) if item == m.demo.timing_belt_at_bolt
    ));
    assert_eq!(m.stock(m.demo.brake_pads_at_acme).await, 5);
    assert_eq!(m.cart().await, cart);

    // A stock item deleted since it was added: the same, as not found.
    InventoryRepository::new(m.pool.db())
        .delete(m.demo.timing_belt_at_bolt)
        .await
        .unwrap();
    assert!(matches!(
        checkout.place_order(m.demo.customer).await,
        Err(Error::NotFound {
            what: "inventory item",
            ..
        })
    ));
    assert_eq!(m.stock(m.demo.brake_pads_at_acme).await, 5);
    assert_eq!(m.cart().await, cart);

    // Without the belt, the order goes through.
    carts
        .remove(m.demo.customer, m.demo.timing_belt_at_bolt)
        .await
        .unwrap();
    let placed = checkout.place_order(m.demo.customer).await.unwrap();
    assert_eq!(placed.items.len(), 2);
    assert_eq!(m.stock(m.demo.brake_pads_at_acme).await, 3);
    assert_eq!(m.stock(m.demo.oil_filter_at_acme).await, 16);
    assert_eq!(m.orders().await, 1);
}

#[pg_sections::test]
async fn stock_is_taken_only_while_the_item_holds_enough(m: Marketplace) {
    let inventory = InventoryRepository::new(m.pool.db());
    let left_after = async |item: Uuid, count| {
        let id = inventory.find_by_public_id(item).await.unwrap().unwrap().id;
        let taken = inventory.take_stock(id, count).await.unwrap();
        taken.map(|item| item.quantity)
    };
    let filters = m.demo.oil_filter_at_acme;
    assert_eq!(left_after(filters, 15).await, Some(5));
    assert_eq!(left_after(filters, 6).await, None);
    assert_eq!(m.stock(filters).await, 5);
    assert_eq!(left_after(filters, 5).await, Some(0));

    inventory.withdraw(m.demo.spark_plug_at_acme).await.unwrap();
    assert_eq!(left_after(m.demo.spark_plug_at_acme, 1).await, None);
    assert_eq!(m.stock(m.demo.spark_plug_at_acme).await, 3);
}

#[pg_sections::test]
async fn concurrent_orders_both_take_stock_while_there_is_enough(m: Marketplace) {
    let inventory = InventoryRepository::new(m.pool.db());
    let filters = inventory
        .find_by_public_id(m.demo.oil_filter_at_acme)
        .await
        .unwrap()
        .unwrap();
    let other = m
        .pool
        .transaction(async |tx| {
            let in_transaction = InventoryRepository::new(tx.db());
            let left = in_transaction.take_stock(filters.id, 15).await?;
            assert_eq!(left.unwrap().quantity, 5);
            // Another connection takes 5 while this transaction holds the
            // row: it waits for the commit, then finds 5 left, not 20.
            let elsewhere = inventory.clone();
            let other = tokio::spawn(async move {
                elsewhere
                    .take_stock(filters.id, 5)
                    .await
                    .unwrap()
                    .map(|item| item.quantity)
            });
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            assert!(!other.is_finished(), "it waits for this transaction");
            Ok::<_, pg_sections::Error>(other)
        })
        .await
        .unwrap();
    assert_eq!(other.await.unwrap(), Some(0));
    assert_eq!(inventory.take_stock(filters.id, 1).await.unwrap(), None);
    assert_eq!(m.stock(m.demo.oil_filter_at_acme).await, 0);
}

#[pg_sections::test]
async fn accounts_link_to_customers_and_sessions_expire(m: Marketplace) {
    let users = UserRepository::new(m.pool.db());
    let sessions = SessionRepository::new(m.pool.db());
    let ada = users
        .find_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ada.id, m.demo.user);
    assert_eq!(users.customer_ids(ada.id).await.unwrap().len(), 1);
    users
        .link_customer(ada.id, users.customer_ids(ada.id).await.unwrap()[0])
        .await
        .unwrap();
    assert_eq!(
        users.customer_ids(ada.id).await.unwrap().len(),
        1,
        "linking twice is no error"
    );

    let now = Utc::now();
    sessions
        .create("live".to_owned(), ada.id, now + Duration::hours(1), None)
        .await
        .unwrap();
    sessions
        .create(
            "stale".to_owned(),
            ada.id,
            now - Duration::hours(1),
            Some("curl".to_owned()),
        )
        .await
        .unwrap();
    assert!(sessions.find_active("live", now).await.unwrap().is_some());
    assert!(sessions.find_active("stale", now).await.unwrap().is_none());
    assert_eq!(sessions.for_user(ada.id, 1, 10).await.unwrap().total, 2);
    assert_eq!(sessions.delete_expired(now).await.unwrap(), 1);
    assert!(sessions.delete("live").await.unwrap());
    assert_eq!(sessions.for_user(ada.id, 1, 10).await.unwrap().total, 0);
    assert_eq!(
        users.list(Some("ADA@"), true, 1, 10).await.unwrap().total,
        1
    );
}
