//! Section `customer`: the repositories of customers, their carts and
//! their orders.
//!
//! Cart lines and order items name vendor stock by
//! `vendor_inventory_public_id`; the stock itself is in another section,
//! read by the services.

use pg_sections::Db;
use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use pg_sections::{Assignments, Page, Result, Table, section};

use crate::contains_pattern;
use crate::db::customer::{
    Customer, CustomerOrder, CustomerOrderItem, CustomerProfile, NewCustomerOrder,
    NewCustomerOrderItem, NewCustomerProfile, NewShoppingCart, OrderStatus, ShoppingCart,
    customer_order, customer_order_item, customer_profile, shopping_cart,
};

/// Customers: the people who buy.
#[section("customer")]
#[derive(Debug, Clone)]
pub struct CustomerRepository {
    db: Db<Customer>,
}

#[section("customer")]
impl CustomerRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Customer>) -> Self {
        Self { db }
    }

    /// The customer with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<CustomerProfile>> {
        customer_profile::Table
            .select()
            .filter(customer_profile::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// The customer with this public id, its row locked until the
    /// transaction ends (`FOR UPDATE`): what changes one customer's cart
    /// (adding to it, checking it out) takes turns, so two checkouts cannot
    /// both order one cart, nor an add slip in between a checkout's read
    /// of the cart and its clearing. On a handle outside a transaction the
    /// lock ends with the statement.
    ///
    /// # Errors
    /// The database's error.
    pub async fn lock(&self, id: Uuid) -> Result<Option<CustomerProfile>> {
        customer_profile::Table
            .select()
            .filter(customer_profile::public_id.eq(id))
            .for_update()
            .fetch_optional(&self.db)
            .await
    }

    /// A page of customers by email, optionally only those whose email
    /// contains `email` (case-insensitive).
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        email: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<CustomerProfile>> {
        let mut query = customer_profile::Table.select();
        if let Some(email) = email {
            query = query.filter(customer_profile::email.ilike(contains_pattern(email)));
        }
        query
            .order_by(customer_profile::email.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds a customer.
    ///
    /// # Errors
    /// The database's error (an email already taken is a unique violation).
    pub async fn create(&self, new: NewCustomerProfile) -> Result<CustomerProfile> {
        customer_profile::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Deletes the customer with this public id, and their cart; whether
    /// there was one.
    ///
    /// # Errors
    /// The database's error (a customer with orders is a foreign key
    /// violation: orders are kept).
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = customer_profile::Table
            .delete()
            .filter(customer_profile::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}

/// Carts: one line per customer and stock item.
#[section("customer")]
#[derive(Debug, Clone)]
pub struct CartRepository {
    db: Db<Customer>,
}

#[section("customer")]
impl CartRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Customer>) -> Self {
        Self { db }
    }

    /// The customer's cart, oldest line first.
    ///
    /// # Errors
    /// The database's error.
    pub async fn lines(&self, customer_id: i32) -> Result<Vec<ShoppingCart>> {
        shopping_cart::Table
            .select()
            .filter(shopping_cart::customer_id.eq(customer_id))
            .order_by(shopping_cart::id.asc())
            .fetch_all(&self.db)
            .await
    }

    /// The customer's line for this stock item, if any.
    ///
    /// # Errors
    /// The database's error.
    pub async fn line(&self, customer_id: i32, item: Uuid) -> Result<Option<ShoppingCart>> {
        shopping_cart::Table
            .select()
            .filter(shopping_cart::customer_id.eq(customer_id))
            .filter(shopping_cart::vendor_inventory_public_id.eq(item))
            .fetch_optional(&self.db)
            .await
    }

    /// Sets the customer's line for this stock item to `quantity` at
    /// `price`, adding it if there is none (an upsert on the cart's unique
    /// key).
    ///
    /// # Errors
    /// The database's error.
    pub async fn put(
        &self,
        customer_id: i32,
        item: Uuid,
        quantity: i32,
        price: Decimal,
    ) -> Result<ShoppingCart> {
        shopping_cart::Table
            .insert(NewShoppingCart {
                quantity: Some(quantity),
                ..NewShoppingCart::new(customer_id, item, price)
            })
            .on_conflict((
                shopping_cart::customer_id,
                shopping_cart::vendor_inventory_public_id,
            ))
            .do_update(
                Assignments::new()
                    .excluded(shopping_cart::quantity)
                    .excluded(shopping_cart::price_at_add),
            )
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Removes the customer's line for this stock item; whether there was
    /// one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn remove(&self, customer_id: i32, item: Uuid) -> Result<bool> {
        let deleted = shopping_cart::Table
            .delete()
            .filter(shopping_cart::customer_id.eq(customer_id))
            .filter(shopping_cart::vendor_inventory_public_id.eq(item))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }

    /// Empties the customer's cart; how many lines it held.
    ///
    /// # Errors
    /// The database's error.
    pub async fn clear(&self, customer_id: i32) -> Result<u64> {
        shopping_cart::Table
            .delete()
            .filter(shopping_cart::customer_id.eq(customer_id))
            .execute(&self.db)
            .await
    }
}

/// Which orders [`OrderRepository::list`] returns.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only orders of this customer (their `id`).
    pub customer_id: Option<i32>,
    /// Only orders in one of these states (all when empty).
    pub statuses: Vec<OrderStatus>,
}

/// Orders and their items.
#[section("customer")]
#[derive(Debug, Clone)]
pub struct OrderRepository {
    db: Db<Customer>,
}

#[section("customer")]
impl OrderRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Customer>) -> Self {
        Self { db }
    }

    /// The order with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<CustomerOrder>> {
        customer_order::Table
            .select()
            .filter(customer_order::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// The items of an order (its `id`), in the order they were added.
    ///
    /// # Errors
    /// The database's error.
    pub async fn items(&self, order_id: i32) -> Result<Vec<CustomerOrderItem>> {
        customer_order_item::Table
            .select()
            .filter(customer_order_item::order_id.eq(order_id))
            .order_by(customer_order_item::id.asc())
            .fetch_all(&self.db)
            .await
    }

    /// A page of orders, newest first.
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        filter: &OrderFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<CustomerOrder>> {
        let mut query = customer_order::Table.select();
        if let Some(id) = filter.customer_id {
            query = query.filter(customer_order::customer_id.eq(id));
        }
        if !filter.statuses.is_empty() {
            query = query.filter(customer_order::status.is_in(filter.statuses.iter().copied()));
        }
        query
            .order_by(customer_order::id.desc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds an order.
    ///
    /// # Errors
    /// The database's error.
    pub async fn create(&self, new: NewCustomerOrder) -> Result<CustomerOrder> {
        customer_order::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Adds items to an order, in one statement.
    ///
    /// # Errors
    /// The database's error.
    pub async fn add_items(
        &self,
        items: Vec<NewCustomerOrderItem>,
    ) -> Result<Vec<CustomerOrderItem>> {
        // An insert of no rows with `RETURNING` is not valid SQL.
        if items.is_empty() {
            return Ok(Vec::new());
        }
        customer_order_item::Table
            .insert_many(items)
            .returning()
            .fetch_all(&self.db)
            .await
    }

    /// Moves an order to `status`; the updated order, if there is one with
    /// this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn set_status(&self, id: Uuid, status: OrderStatus) -> Result<Option<CustomerOrder>> {
        customer_order::Table
            .update()
            .set(customer_order::status, status)
            .set(customer_order::updated_at, pg_sections::chrono::Utc::now())
            .filter(customer_order::public_id.eq(id))
            .returning()
            .fetch_optional(&self.db)
            .await
    }

    /// Deletes the order with this public id, and its items; whether there
    /// was one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = customer_order::Table
            .delete()
            .filter(customer_order::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}
