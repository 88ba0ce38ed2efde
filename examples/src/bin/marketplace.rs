//! The marketplace example, end to end: migrates a fresh database, seeds a
//! small catalogue, and walks a customer from browsing to a placed order,
//! printing each step as a table.
//!
//! ```text
//! cargo run -p examples --bin marketplace
//! ```
//!
//! With `DATABASE_URL` set, it creates a fresh database on that server and
//! drops it at the end; otherwise it starts a throwaway PostgreSQL
//! (`pg_sections::testing`, as the tests do), removed when the program ends.

#![warn(clippy::pedantic)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use examples::demo::{self, Demo};
use examples::services::{CartService, CheckoutService, InventoryService, Listing};
use examples::vendor::{InventoryFilter, InventoryRepository};
use pg_sections::Pool;
use pg_sections::uuid::Uuid;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Outcome {
    // Its messages show connection strings with the password masked.
    let database = pg_sections::testing::try_database()?;
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    let server = if url.trim().is_empty() {
        "a throwaway PostgreSQL cluster"
    } else {
        "the server of DATABASE_URL"
    };
    println!(
        "pg-sections marketplace: a fresh database `{}` on {server}\n",
        database.name()
    );
    // The database is created and dropped with blocking calls, outside the
    // runtime; everything between runs on the async pool.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(async {
        let pool = Pool::connect(database.url()).await?;
        scenario(&pool).await
    });
    drop(runtime);
    println!("Dropping the database `{}`.", database.name());
    // A throwaway cluster is stopped and removed once this process has
    // exited (see `pg_sections::testing`).
    drop(database);
    outcome
}

type Outcome<T = ()> = Result<T, Box<dyn std::error::Error>>;

async fn scenario(pool: &Pool) -> Outcome {
    migrate(pool).await?;
    let shop = Shop::open(pool, demo::seed(pool).await?).await?;
    shop.browse().await?;
    shop.fill_cart().await?;
    shop.fail_checkout().await?;
    shop.checkout().await?;
    shop.stock_after().await
}

async fn migrate(pool: &Pool) -> Outcome {
    let applied = pool.migrate(&examples::MIGRATIONS).await?;
    let mut migrations = TextTable::new(["section", "migration"]);
    for migration in applied {
        migrations.row([migration.section, migration.name]);
    }
    migrations.print("1. Migrations applied, in one timeline across sections");
    Ok(())
}

/// The seeded marketplace and its services, one step of the story per
/// method.
struct Shop {
    pool: Pool,
    demo: Demo,
    inventory: InventoryService,
    carts: CartService,
    checkout: CheckoutService,
    /// SKUs by stock item public id, for the tables.
    names: HashMap<Uuid, String>,
}

impl Shop {
    async fn open(pool: &Pool, demo: Demo) -> Outcome<Self> {
        let inventory = InventoryService::new(pool);
        let names = sku_names(&inventory).await?;
        Ok(Self {
            pool: pool.clone(),
            demo,
            carts: CartService::new(pool),
            checkout: CheckoutService::new(pool),
            inventory,
            names,
        })
    }

    async fn browse(&self) -> Outcome {
        // Small pages, to show pagination over the enriched listings.
        let filter = InventoryFilter {
            in_stock: true,
            ..InventoryFilter::default()
        };
        let mut page = 1;
        loop {
            let listings = self.inventory.browse(&filter, page, 3).await?;
            listing_table(&listings.rows).print(&format!(
                "2. Browse: in-stock vendor items with core part details, cheapest first \
                 (page {} of {}, {} items)",
                listings.page,
                listings.pages(),
                listings.total
            ));
            if i64::from(page) >= listings.pages() {
                return Ok(());
            }
            page += 1;
        }
    }

    async fn fill_cart(&self) -> Outcome {
        let demo = &self.demo;
        let mut adds = TextTable::new(["item", "quantity", "outcome"]).right_align(1);
        for (item, quantity) in [
            (demo.brake_pads_at_acme, 2),
            (demo.spark_plug_at_acme, 2),
            (demo.timing_belt_at_bolt, 1),
            (demo.spark_plug_at_acme, 2),
            (demo.oil_filter_at_acme, 3),
        ] {
            let outcome = match self.carts.add(demo.customer, item, quantity).await {
                Ok(line) => format!("added; the cart holds {}", line.quantity),
                Err(error @ examples::Error::OutOfStock { .. }) => format!("refused: {error}"),
                Err(error) => return Err(error.into()),
            };
            adds.row([self.name_of(item), quantity.to_string(), outcome]);
        }
        adds.print("3. Ada adds to her cart (each add checks the vendor's stock)");
        cart_table(&self.carts, demo)
            .await?
            .print("4. Ada's cart, enriched from the vendor and core sections");
        Ok(())
    }

    async fn fail_checkout(&self) -> Outcome {
        let demo = &self.demo;
        InventoryRepository::new(self.pool.db())
            .set_stock(demo.timing_belt_at_bolt, 0)
            .await?;
        let refused = match self.checkout.place_order(demo.customer).await {
            Err(error) => error.to_string(),
            Ok(placed) => format!("placed order {} (unexpected)", placed.order.public_id),
        };
        let mut attempt = TextTable::new(["step", "what happened"]);
        attempt.row([
            "meanwhile".to_owned(),
            "Bolt & Nut sells its last timing belt in its shop".to_owned(),
        ]);
        attempt.row(["checkout".to_owned(), format!("refused: {refused}")]);
        attempt.row([
            "rolled back".to_owned(),
            format!(
                "brake pads at Acme still {} in stock, cart still {} lines, {} orders",
                stock_of(&self.inventory, demo.brake_pads_at_acme).await?,
                self.carts.lines(demo.customer).await?.len(),
                order_count(&self.pool).await?
            ),
        ]);
        self.carts
            .remove(demo.customer, demo.timing_belt_at_bolt)
            .await?;
        attempt.row([
            "retry".to_owned(),
            "Ada removes the timing belt from her cart".to_owned(),
        ]);
        attempt.print("5. A checkout that fails takes nothing: one transaction across sections");
        Ok(())
    }

    async fn checkout(&self) -> Outcome {
        let placed = self.checkout.place_order(self.demo.customer).await?;
        let listings = self
            .inventory
            .listings(placed.items.iter().map(|i| i.vendor_inventory_public_id))
            .await?;
        let mut order =
            TextTable::new(["item", "part", "vendor", "quantity", "unit price", "total"])
                .right_align(3)
                .right_align(4)
                .right_align(5);
        for item in &placed.items {
            let listing = listings.get(&item.vendor_inventory_public_id);
            order.row([
                self.name_of(item.vendor_inventory_public_id),
                listing.map_or_else(|| "?".to_owned(), part_name),
                listing.map_or_else(|| "?".to_owned(), |l| l.vendor.business_name.clone()),
                item.quantity.to_string(),
                item.unit_price.to_string(),
                item.line_total.unwrap_or_default().to_string(),
            ]);
        }
        order.row([
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "order total".to_owned(),
            placed.order.total.to_string(),
        ]);
        order.print(&format!(
            "6. Order {} ({}), placed in one transaction: stock taken, items written, cart emptied",
            placed.order.public_id, placed.order.status
        ));
        Ok(())
    }

    async fn stock_after(&self) -> Outcome {
        let mut after = TextTable::new(["item", "part", "vendor", "stock"]).right_align(3);
        let mut rows = self
            .inventory
            .browse(&InventoryFilter::default(), 1, 100)
            .await?
            .rows;
        rows.sort_by(|a, b| a.item.sku.cmp(&b.item.sku));
        for listing in &rows {
            after.row([
                listing.item.sku.clone().unwrap_or_default(),
                part_name(listing),
                listing.vendor.business_name.clone(),
                listing.item.quantity.to_string(),
            ]);
        }
        after.print(&format!(
            "7. Stock after the order (Ada's cart now holds {} lines)",
            self.carts.lines(self.demo.customer).await?.len()
        ));
        Ok(())
    }

    fn name_of(&self, item: Uuid) -> String {
        self.names
            .get(&item)
            .cloned()
            .unwrap_or_else(|| item.to_string())
    }
}

/// SKU by stock item public id, for the tables.
async fn sku_names(inventory: &InventoryService) -> examples::Result<HashMap<Uuid, String>> {
    let all = inventory
        .browse(&InventoryFilter::default(), 1, 100)
        .await?;
    Ok(all
        .rows
        .into_iter()
        .map(|l| (l.item.public_id, l.item.sku.unwrap_or_default()))
        .collect())
}

fn part_name(listing: &Listing) -> String {
    listing.part.as_ref().map_or_else(
        || "(not in the catalogue)".to_owned(),
        |p| p.part.name.clone(),
    )
}

async fn stock_of(inventory: &InventoryService, item: Uuid) -> examples::Result<i32> {
    Ok(inventory
        .listings([item])
        .await?
        .get(&item)
        .map_or(0, |listing| listing.item.quantity))
}

async fn order_count(pool: &Pool) -> examples::Result<i64> {
    let orders = examples::customer::OrderRepository::new(pool.db());
    Ok(orders
        .list(&examples::customer::OrderFilter::default(), 1, 1)
        .await?
        .total)
}

fn listing_table(listings: &[Listing]) -> TextTable {
    let mut table = TextTable::new([
        "sku",
        "vendor",
        "part",
        "part number",
        "fits",
        "condition",
        "stock",
        "price",
    ])
    .right_align(6)
    .right_align(7);
    for listing in listings {
        let (number, fits) = listing.part.as_ref().map_or_else(
            || (String::new(), String::new()),
            |details| {
                let year = details
                    .model
                    .year
                    .map(|y| format!(" ({y})"))
                    .unwrap_or_default();
                (
                    details.part.part_number.clone(),
                    format!("{} {}{year}", details.manufacturer.name, details.model.name),
                )
            },
        );
        table.row([
            listing.item.sku.clone().unwrap_or_default(),
            listing.vendor.business_name.clone(),
            part_name(listing),
            number,
            fits,
            listing.item.condition.to_string(),
            listing.item.quantity.to_string(),
            listing.item.price.to_string(),
        ]);
    }
    table
}

async fn cart_table(carts: &CartService, demo: &Demo) -> examples::Result<TextTable> {
    let mut table = TextTable::new([
        "sku",
        "part",
        "vendor",
        "quantity",
        "price at add",
        "in stock",
    ])
    .right_align(3)
    .right_align(4)
    .right_align(5);
    for line in carts.lines(demo.customer).await? {
        let listing = line.listing.as_ref();
        table.row([
            listing.and_then(|l| l.item.sku.clone()).unwrap_or_default(),
            listing.map_or_else(|| "(no longer stocked)".to_owned(), part_name),
            listing.map_or_else(String::new, |l| l.vendor.business_name.clone()),
            line.line.quantity.to_string(),
            line.line.price_at_add.to_string(),
            listing.map_or_else(String::new, |l| l.item.quantity.to_string()),
        ]);
    }
    Ok(table)
}

/// A table of text, printed with its columns aligned.
struct TextTable {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    fn new<const N: usize>(headers: [&str; N]) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            right: vec![false; N],
            rows: Vec::new(),
        }
    }

    /// Aligns column `index` to the right (numbers).
    fn right_align(mut self, index: usize) -> Self {
        self.right[index] = true;
        self
    }

    fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows.push(cells.into());
    }

    fn print(&self, title: &str) {
        print!("{}", self.render(title));
    }

    fn render(&self, title: &str) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = format!("{title}\n");
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        for row in std::iter::once(&self.headers)
            .chain(std::iter::once(&rule))
            .chain(&self.rows)
        {
            let mut line = String::new();
            for ((cell, width), right) in row.iter().zip(&widths).zip(&self.right) {
                if *right {
                    let _ = write!(line, "  {cell:>width$}");
                } else {
                    let _ = write!(line, "  {cell:<width$}");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
        out
    }
}
