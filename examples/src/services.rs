//! Services: the work that spans sections.
//!
//! A service holds repositories of several sections and carries public ids
//! from one to the other; it never joins across sections (no foreign key
//! links them, and the runtime joins only inside a section). Each lookup in
//! another section is one batched query (`= ANY($1)`), not one per row.

use std::collections::HashMap;

use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use pg_sections::{Page, Pool, Transaction};

use crate::catalog::{ManufacturerRepository, PartRepository};
use crate::customer::{CartRepository, CustomerRepository, OrderRepository};
use crate::db::core::{Manufacturer, Model, Part};
use crate::db::customer::{
    CustomerOrder, CustomerOrderItem, CustomerProfile, NewCustomerOrder, NewCustomerOrderItem,
    ShoppingCart,
};
use crate::db::vendor::{VendorInventory, VendorProfile};
use crate::vendor::{InventoryFilter, InventoryRepository};
use crate::{Error, Result};

/// A core part with its model and the model's manufacturer.
#[derive(Debug, Clone, PartialEq)]
pub struct PartDetails {
    /// The part.
    pub part: Part,
    /// The model it fits.
    pub model: Model,
    /// Who builds the model.
    pub manufacturer: Manufacturer,
}

/// A vendor's stock item with its vendor and the catalogue's details of the
/// part it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// The stock item (section `vendor`).
    pub item: VendorInventory,
    /// Its vendor (section `vendor`).
    pub vendor: VendorProfile,
    /// The part (section `core`); `None` when the catalogue has no part
    /// with the item's `core_part_public_id`, which no foreign key prevents.
    pub part: Option<PartDetails>,
}

/// Vendor stock as customers browse it: enriched with core part details.
#[derive(Debug, Clone)]
pub struct InventoryService {
    inventory: InventoryRepository,
    parts: PartRepository,
    manufacturers: ManufacturerRepository,
}

impl InventoryService {
    /// A service on the `vendor` and `core` sections of `pool`.
    #[must_use]
    pub fn new(pool: &Pool) -> Self {
        Self::from_repositories(
            InventoryRepository::new(pool.db()),
            PartRepository::new(pool.db()),
            ManufacturerRepository::new(pool.db()),
        )
    }

    /// A service on these repositories, which may be on different
    /// databases.
    #[must_use]
    pub fn from_repositories(
        inventory: InventoryRepository,
        parts: PartRepository,
        manufacturers: ManufacturerRepository,
    ) -> Self {
        Self {
            inventory,
            parts,
            manufacturers,
        }
    }

    /// A page of stock items matching `filter`, cheapest first, with part
    /// details: three queries for the whole page (the stock with its
    /// vendors, the parts with their models, the manufacturers).
    ///
    /// # Errors
    /// The database's error.
    pub async fn browse(
        &self,
        filter: &InventoryFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Listing>> {
        let found = self.inventory.list(filter, page, per_page).await?;
        Ok(Page {
            rows: self.enrich(found.rows).await?,
            total: found.total,
            page: found.page,
            per_page: found.per_page,
        })
    }

    /// The listings of these stock items, keyed by the items' public ids;
    /// ids that match no item are left out.
    ///
    /// # Errors
    /// The database's error.
    pub async fn listings(
        &self,
        items: impl IntoIterator<Item = Uuid>,
    ) -> Result<HashMap<Uuid, Listing>> {
        let found = self.inventory.with_vendors(items).await?;
        Ok(self
            .enrich(found)
            .await?
            .into_iter()
            .map(|listing| (listing.item.public_id, listing))
            .collect())
    }

    /// Adds part details to stock items, in the items' order.
    ///
    /// # Errors
    /// The database's error.
    pub async fn enrich(
        &self,
        items: Vec<(VendorInventory, VendorProfile)>,
    ) -> Result<Vec<Listing>> {
        let parts = self
            .part_details(items.iter().map(|(item, _)| item.core_part_public_id))
            .await?;
        Ok(items
            .into_iter()
            .map(|(item, vendor)| Listing {
                part: parts.get(&item.core_part_public_id).cloned(),
                item,
                vendor,
            })
            .collect())
    }

    /// Details of the parts with these public ids, keyed by public id; two
    /// queries in the `core` section however many parts.
    ///
    /// # Errors
    /// The database's error.
    pub async fn part_details(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<HashMap<Uuid, PartDetails>> {
        let mut ids: Vec<Uuid> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let parts = self.parts.with_models(ids).await?;
        let manufacturers: HashMap<i32, Manufacturer> = self
            .manufacturers
            .by_ids(parts.iter().map(|(_, model)| model.manufacturer_id))
            .await?
            .into_iter()
            .map(|manufacturer| (manufacturer.id, manufacturer))
            .collect();
        Ok(parts
            .into_iter()
            .filter_map(|(part, model)| {
                // The foreign key model -> manufacturer holds within `core`.
                let manufacturer = manufacturers.get(&model.manufacturer_id)?.clone();
                Some((
                    part.public_id,
                    PartDetails {
                        part,
                        model,
                        manufacturer,
                    },
                ))
            })
            .collect())
    }
}

/// A line of a cart with the listing of the stock item it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct CartLine {
    /// The line (section `customer`).
    pub line: ShoppingCart,
    /// The stock item and its part; `None` when the vendor deleted the item.
    pub listing: Option<Listing>,
}

/// Carts: adding to them against the vendors' stock, and showing them.
#[derive(Debug, Clone)]
pub struct CartService {
    pool: Pool,
    customers: CustomerRepository,
    carts: CartRepository,
    listings: InventoryService,
}

impl CartService {
    /// A service on the `customer`, `vendor` and `core` sections of `pool`.
    #[must_use]
    pub fn new(pool: &Pool) -> Self {
        Self {
            pool: pool.clone(),
            customers: CustomerRepository::new(pool.db()),
            carts: CartRepository::new(pool.db()),
            listings: InventoryService::new(pool),
        }
    }

    /// Adds `quantity` of the stock item `item` to the customer's cart (on
    /// top of what the cart already holds of it), at the item's current
    /// price; the cart's line for the item.
    ///
    /// Refused with [`Error::OutOfStock`] when the vendor holds fewer than
    /// the cart would then hold. Stock is taken only at checkout, which
    /// checks again.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`], [`Error::NotFound`] for the customer or
    /// the item, [`Error::Unavailable`], [`Error::OutOfStock`], or the
    /// database's error.
    pub async fn add(&self, customer: Uuid, item: Uuid, quantity: i32) -> Result<ShoppingCart> {
        if quantity < 1 {
            return Err(Error::InvalidQuantity(quantity));
        }
        // One transaction, the customer locked: concurrent adds to one cart
        // (and a checkout of it) take turns, so none is lost.
        self.pool
            .transaction(async |tx| {
                let customer = locked(&CustomerRepository::new(tx.db()), customer).await?;
                let stock = InventoryRepository::new(tx.db())
                    .find_by_public_id(item)
                    .await?
                    .ok_or(Error::NotFound {
                        what: "inventory item",
                        id: item,
                    })?;
                if !stock.is_available {
                    return Err(Error::Unavailable { item });
                }
                let carts = CartRepository::new(tx.db());
                let in_cart = carts
                    .line(customer.id, item)
                    .await?
                    .map_or(0, |line| line.quantity);
                let wanted = in_cart.saturating_add(quantity);
                if stock.quantity < wanted {
                    return Err(Error::OutOfStock {
                        item,
                        sku: stock.sku,
                        requested: wanted,
                        available: stock.quantity,
                    });
                }
                Ok(carts.put(customer.id, item, wanted, stock.price).await?)
            })
            .await
    }

    /// Removes the stock item `item` from the customer's cart; whether the
    /// cart held it.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the customer, or the database's error.
    pub async fn remove(&self, customer: Uuid, item: Uuid) -> Result<bool> {
        // The customer locked, as `add` and checkout do: a remove that says
        // it removed the line was not beaten by a checkout that ordered it.
        self.pool
            .transaction(async |tx| {
                let customer = locked(&CustomerRepository::new(tx.db()), customer).await?;
                Ok(CartRepository::new(tx.db())
                    .remove(customer.id, item)
                    .await?)
            })
            .await
    }

    /// The customer's cart, each line with its listing: three queries
    /// besides the cart's, however many lines.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the customer, or the database's error.
    pub async fn lines(&self, customer: Uuid) -> Result<Vec<CartLine>> {
        let customer = self.customer(customer).await?;
        let lines = self.carts.lines(customer.id).await?;
        let mut listings = self
            .listings
            .listings(lines.iter().map(|line| line.vendor_inventory_public_id))
            .await?;
        Ok(lines
            .into_iter()
            .map(|line| CartLine {
                listing: listings.remove(&line.vendor_inventory_public_id),
                line,
            })
            .collect())
    }

    async fn customer(&self, id: Uuid) -> Result<CustomerProfile> {
        self.customers
            .find_by_public_id(id)
            .await?
            .ok_or(Error::NotFound {
                what: "customer",
                id,
            })
    }
}

/// The customer with this public id, its row locked until the transaction
/// ends ([`CustomerRepository::lock`]): one customer's cart changes take
/// turns.
async fn locked(customers: &CustomerRepository, id: Uuid) -> Result<CustomerProfile> {
    customers.lock(id).await?.ok_or(Error::NotFound {
        what: "customer",
        id,
    })
}

/// An order and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedOrder {
    /// The order.
    pub order: CustomerOrder,
    /// Its items.
    pub items: Vec<CustomerOrderItem>,
}

/// Checkout: turning a cart into an order.
#[derive(Debug, Clone)]
pub struct CheckoutService {
    pool: Pool,
    orders: OrderRepository,
}

impl CheckoutService {
    /// A service on the `customer` and `vendor` sections of `pool`, which
    /// must hold both: the order is one transaction.
    #[must_use]
    pub fn new(pool: &Pool) -> Self {
        Self {
            pool: pool.clone(),
            orders: OrderRepository::new(pool.db()),
        }
    }

    /// Places an order for everything in the customer's cart, at the
    /// vendors' current prices, in one transaction across the `vendor` and
    /// `customer` sections: takes the stock of every line, writes the order
    /// and its items, and empties the cart. On any error nothing of it
    /// stays.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the customer or a stock item deleted since it
    /// was added, [`Error::EmptyCart`], [`Error::Unavailable`],
    /// [`Error::OutOfStock`], or the database's error.
    pub async fn place_order(&self, customer: Uuid) -> Result<PlacedOrder> {
        self.pool
            .transaction(async |tx| Checkout::new(&tx).place(customer).await)
            .await
    }

    /// The order with this public id and its items.
    ///
    /// # Errors
    /// The database's error.
    pub async fn order(&self, id: Uuid) -> Result<Option<PlacedOrder>> {
        let Some(order) = self.orders.find_by_public_id(id).await? else {
            return Ok(None);
        };
        let items = self.orders.items(order.id).await?;
        Ok(Some(PlacedOrder { order, items }))
    }
}

/// One checkout: the repositories of both sections on one transaction.
struct Checkout {
    customers: CustomerRepository,
    carts: CartRepository,
    orders: OrderRepository,
    inventory: InventoryRepository,
}

impl Checkout {
    fn new(tx: &Transaction) -> Self {
        Self {
            customers: CustomerRepository::new(tx.db()),
            carts: CartRepository::new(tx.db()),
            orders: OrderRepository::new(tx.db()),
            inventory: InventoryRepository::new(tx.db()),
        }
    }

    async fn place(&self, customer: Uuid) -> Result<PlacedOrder> {
        // Locked first: a second checkout of this cart waits, then finds it
        // empty; an add waits for this one to end.
        let customer = locked(&self.customers, customer).await?;
        let lines = self.carts.lines(customer.id).await?;
        if lines.is_empty() {
            return Err(Error::EmptyCart);
        }
        let mut stock: HashMap<Uuid, VendorInventory> = self
            .inventory
            .by_public_ids(lines.iter().map(|line| line.vendor_inventory_public_id))
            .await?
            .into_iter()
            .map(|item| (item.public_id, item))
            .collect();
        let mut taken = Vec::with_capacity(lines.len());
        for line in &lines {
            let id = line.vendor_inventory_public_id;
            let item = stock.remove(&id).ok_or(Error::NotFound {
                what: "inventory item",
                id,
            })?;
            taken.push((item, line.quantity));
        }
        // Rows locked in one order everywhere cannot deadlock two checkouts.
        taken.sort_by_key(|(item, _)| item.id);
        let mut bought = Vec::with_capacity(taken.len());
        for (item, quantity) in taken {
            let item = self.take(&item, quantity).await?;
            bought.push((item.public_id, quantity, item.price));
        }
        let total = bought
            .iter()
            .map(|&(_, quantity, price)| price * Decimal::from(quantity))
            .sum();
        let order = self
            .orders
            .create(NewCustomerOrder {
                total: Some(total),
                ..NewCustomerOrder::new(customer.id)
            })
            .await?;
        let items = bought
            .into_iter()
            .map(|(item, quantity, price)| NewCustomerOrderItem {
                line_total: Some(price * Decimal::from(quantity)),
                ..NewCustomerOrderItem::new(order.id, item, quantity, price)
            })
            .collect();
        let items = self.orders.add_items(items).await?;
        self.carts.clear(customer.id).await?;
        Ok(PlacedOrder { order, items })
    }

    /// Takes `quantity` of `item` out of stock; the item as taken (its
    /// price is the one the order charges), or why not, from its stock now.
    async fn take(&self, item: &VendorInventory, quantity: i32) -> Result<VendorInventory> {
        if let Some(taken) = self.inventory.take_stock(item.id, quantity).await? {
            return Ok(taken);
        }
        let id = item.public_id;
        let current = self
            .inventory
            .find_by_public_id(id)
            .await?
            .ok_or(Error::NotFound {
                what: "inventory item",
                id,
            })?;
        if !current.is_available {
            return Err(Error::Unavailable { item: id });
        }
        Err(Error::OutOfStock {
            item: id,
            sku: current.sku,
            requested: quantity,
            available: current.quantity,
        })
    }
}
