//! The marketplace over HTTP: browse, cart and checkout as JSON endpoints
//! (axum) on the async pool. Every handler shares one [`Pool`] through the
//! services in [`AppState`], which is `Clone + Send + Sync + 'static`.
//!
//! | Method and path                      | Does                                  |
//! |--------------------------------------|---------------------------------------|
//! | `GET /listings`                      | a page of stock with part details     |
//! | `GET /listings/{item}`               | one stock item with part details      |
//! | `POST /customers`                    | signs a customer up                   |
//! | `GET /customers/{customer}/cart`     | the customer's cart                   |
//! | `POST /customers/{customer}/cart`    | adds `{"item", "quantity"}` to it     |
//! | `DELETE /customers/{customer}/cart/{item}` | removes a line                  |
//! | `POST /customers/{customer}/checkout`| places the order (one transaction)    |
//! | `GET /orders/{order}`                | an order and its items                |
//!
//! `GET /listings` takes `part`, `condition` (`new`, `used`, …),
//! `max_price`, `in_stock` (`true`/`false`), `page` and `per_page`. Ids are
//! public ids (UUIDs); prices are decimal strings. A refusal is a JSON
//! `{"error": "…"}` with its status: 404 for an unknown id, 409 when the
//! stock or the cart refuses (`out_of_stock`, `unavailable`,
//! `empty_cart`, `taken` for an email in use), 422 for a value it cannot
//! take (a quantity below 1, an email that is not one, a name too long),
//! 400 for a request that does not parse, 405 for a method a route does
//! not take, 500 for a database failure (whose details go to the server's
//! log, not to the client). Adding to a cart and checking it out lock the
//! customer, so concurrent requests for one customer take turns.

use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use pg_sections::postgres::error::SqlState;
use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;
use pg_sections::{Page, PgEnum, Pool};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::customer::CustomerRepository;
use crate::db::customer::{CustomerOrderItem, NewCustomerProfile};
use crate::db::vendor::ItemCondition;
use crate::services::{
    CartLine, CartService, CheckoutService, InventoryService, Listing, PlacedOrder,
};
use crate::vendor::InventoryFilter;

/// A JSON body, in and out; a body that does not parse is an [`ApiError`].
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
struct Json<T>(T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Path parameters; ones that do not parse are an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
struct Path<T>(T);

/// A query string; one that does not parse is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
struct Query<T>(T);

/// What every handler shares: the services, all on one pool.
#[derive(Debug, Clone)]
pub struct AppState {
    inventory: InventoryService,
    carts: CartService,
    checkout: CheckoutService,
    customers: CustomerRepository,
}

impl AppState {
    /// The services of the marketplace on `pool`.
    #[must_use]
    pub fn new(pool: &Pool) -> Self {
        Self {
            inventory: InventoryService::new(pool),
            carts: CartService::new(pool),
            checkout: CheckoutService::new(pool),
            customers: CustomerRepository::new(pool.db()),
        }
    }
}

/// The marketplace's routes on `pool`, ready for [`axum::serve`].
pub fn router(pool: &Pool) -> Router {
    Router::new()
        .route("/listings", get(browse))
        .route("/listings/{item}", get(listing))
        .route("/customers", post(sign_up))
        .route("/customers/{customer}/cart", get(cart).post(add_to_cart))
        .route(
            "/customers/{customer}/cart/{item}",
            delete(remove_from_cart),
        )
        .route("/customers/{customer}/checkout", post(checkout))
        .route("/orders/{order}", get(order))
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .with_state(AppState::new(pool))
}

async fn no_route(uri: axum::http::Uri) -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        code: "not_found",
        message: format!(
            "no route `{}`; see the routes in the documentation of `examples::server`",
            uri.path()
        ),
    }
}

async fn no_method(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: format!("`{}` does not take {method}", uri.path()),
    }
}

/// The query of `GET /listings`.
#[derive(Debug, Deserialize)]
struct BrowseQuery {
    part: Option<Uuid>,
    condition: Option<String>,
    max_price: Option<Decimal>,
    #[serde(default)]
    in_stock: bool,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// The largest page `GET /listings` serves.
const MAX_PER_PAGE: u32 = 100;

async fn browse(
    State(app): State<AppState>,
    Query(query): Query<BrowseQuery>,
) -> Result<Json<PageView>, ApiError> {
    let condition = query
        .condition
        .as_deref()
        .map(|label| {
            ItemCondition::from_label(label).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "unknown condition `{label}`; one of {}",
                    ItemCondition::ALL
                        .iter()
                        .map(|c| format!("`{}`", c.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
        })
        .transpose()?;
    let filter = InventoryFilter {
        vendor_id: None,
        part: query.part,
        condition,
        max_price: query.max_price,
        in_stock: query.in_stock,
    };
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let found = app.inventory.browse(&filter, page, per_page).await?;
    Ok(Json(PageView::from(found)))
}

async fn listing(
    State(app): State<AppState>,
    Path(item): Path<Uuid>,
) -> Result<Json<ListingView>, ApiError> {
    let mut found = app.inventory.listings([item]).await?;
    let listing = found.remove(&item).ok_or(Error::NotFound {
        what: "inventory item",
        id: item,
    })?;
    Ok(Json(ListingView::from(listing)))
}

/// The body of `POST /customers`.
#[derive(Debug, Deserialize)]
struct SignUp {
    email: String,
    full_name: Option<String>,
}

async fn sign_up(
    State(app): State<AppState>,
    Json(body): Json<SignUp>,
) -> Result<(StatusCode, Json<CustomerView>), ApiError> {
    let email = email_address(&body.email)?;
    let full_name = body
        .full_name
        .as_deref()
        .map(|name| text("full_name", name, MAX_NAME))
        .transpose()?;
    let customer = app
        .customers
        .create(NewCustomerProfile {
            full_name,
            ..NewCustomerProfile::new(email.clone())
        })
        .await
        .map_err(|error| {
            if error.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                ApiError::conflict("taken", format!("`{email}` has an account already"))
            } else {
                Error::Database(error).into()
            }
        })?;
    Ok((
        StatusCode::CREATED,
        Json(CustomerView {
            id: customer.public_id,
            email: customer.email,
            full_name: customer.full_name,
        }),
    ))
}

/// The longest email the `customer` section stores (`varchar(255)`).
const MAX_EMAIL: usize = 255;
/// The longest name it stores (`varchar(200)`).
const MAX_NAME: usize = 200;

/// `email` as stored: trimmed and in lower case (one account per address,
/// however it is typed), checked to be `local@domain` and to fit.
fn email_address(email: &str) -> Result<String, ApiError> {
    let email = text("email", email, MAX_EMAIL)?.to_lowercase();
    // Lower case can be longer (`İ` becomes two characters).
    if email.chars().count() > MAX_EMAIL {
        return Err(ApiError::unprocessable(format!(
            "`email` is longer than {MAX_EMAIL} characters"
        )));
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || invisible(c)) =>
        {
            Ok(email)
        }
        _ => Err(ApiError::unprocessable(format!(
            "`email`: `{email}` is not an email address (local@domain)"
        ))),
    }
}

/// A character that shows nothing (zero-width spaces and joiners, the byte
/// order mark, soft hyphen): two addresses that look the same must be one.
fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// `value` trimmed, refused when empty, longer than `max` characters, or
/// holding a control character (PostgreSQL's text cannot hold NUL).
fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::unprocessable(format!("`{field}` is empty")));
    }
    if value.chars().count() > max {
        return Err(ApiError::unprocessable(format!(
            "`{field}` is longer than {max} characters"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiError::unprocessable(format!(
            "`{field}` holds a control character"
        )));
    }
    Ok(value.to_owned())
}

async fn cart(
    State(app): State<AppState>,
    Path(customer): Path<Uuid>,
) -> Result<Json<Vec<CartLineView>>, ApiError> {
    let lines = app.carts.lines(customer).await?;
    Ok(Json(lines.into_iter().map(CartLineView::from).collect()))
}

/// The body of `POST /customers/{customer}/cart`.
#[derive(Debug, Deserialize)]
struct AddToCart {
    item: Uuid,
    quantity: i32,
}

async fn add_to_cart(
    State(app): State<AppState>,
    Path(customer): Path<Uuid>,
    Json(body): Json<AddToCart>,
) -> Result<Json<CartLineView>, ApiError> {
    // The line as this add left it: a checkout may empty the cart the
    // moment the add commits, so the cart is not read again for it.
    let line = app.carts.add(customer, body.item, body.quantity).await?;
    let listing = app
        .inventory
        .listings([body.item])
        .await?
        .remove(&body.item);
    Ok(Json(CartLineView::from(CartLine { line, listing })))
}

async fn remove_from_cart(
    State(app): State<AppState>,
    Path((customer, item)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    if app.carts.remove(customer, item).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound {
            what: "cart line",
            id: item,
        }
        .into())
    }
}

async fn checkout(
    State(app): State<AppState>,
    Path(customer): Path<Uuid>,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    let placed = app.checkout.place_order(customer).await?;
    Ok((StatusCode::CREATED, Json(OrderView::from(placed))))
}

async fn order(
    State(app): State<AppState>,
    Path(order): Path<Uuid>,
) -> Result<Json<OrderView>, ApiError> {
    let placed = app.checkout.order(order).await?.ok_or(Error::NotFound {
        what: "order",
        id: order,
    })?;
    Ok(Json(OrderView::from(placed)))
}

/// A page of listings.
#[derive(Debug, Serialize)]
struct PageView {
    rows: Vec<ListingView>,
    total: i64,
    page: u32,
    per_page: u32,
}

impl From<Page<Listing>> for PageView {
    fn from(page: Page<Listing>) -> Self {
        Self {
            rows: page.rows.into_iter().map(ListingView::from).collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }
    }
}

/// A stock item as customers see it.
#[derive(Debug, Serialize)]
struct ListingView {
    item: Uuid,
    sku: Option<String>,
    condition: &'static str,
    price: Decimal,
    stock: i32,
    available: bool,
    vendor: VendorView,
    /// `None` when the catalogue has no such part.
    part: Option<PartView>,
}

#[derive(Debug, Serialize)]
struct VendorView {
    id: Uuid,
    name: String,
}

#[derive(Debug, Serialize)]
struct PartView {
    id: Uuid,
    name: String,
    part_number: String,
    manufacturer: String,
    model: String,
    year: Option<i16>,
}

impl From<Listing> for ListingView {
    fn from(listing: Listing) -> Self {
        let Listing { item, vendor, part } = listing;
        Self {
            item: item.public_id,
            sku: item.sku,
            condition: item.condition.as_str(),
            price: item.price,
            stock: item.quantity,
            available: item.is_available,
            vendor: VendorView {
                id: vendor.public_id,
                name: vendor.business_name,
            },
            part: part.map(|details| PartView {
                id: details.part.public_id,
                name: details.part.name,
                part_number: details.part.part_number,
                manufacturer: details.manufacturer.name,
                model: details.model.name,
                year: details.model.year,
            }),
        }
    }
}

#[derive(Debug, Serialize)]
struct CustomerView {
    id: Uuid,
    email: String,
    full_name: Option<String>,
}

/// A cart line with the stock item it holds.
#[derive(Debug, Serialize)]
struct CartLineView {
    item: Uuid,
    quantity: i32,
    price_at_add: Decimal,
    /// `None` when the vendor deleted the item.
    listing: Option<ListingView>,
}

impl From<CartLine> for CartLineView {
    fn from(line: CartLine) -> Self {
        Self {
            item: line.line.vendor_inventory_public_id,
            quantity: line.line.quantity,
            price_at_add: line.line.price_at_add,
            listing: line.listing.map(ListingView::from),
        }
    }
}

#[derive(Debug, Serialize)]
struct OrderView {
    id: Uuid,
    status: &'static str,
    total: Decimal,
    items: Vec<OrderItemView>,
}

#[derive(Debug, Serialize)]
struct OrderItemView {
    item: Uuid,
    quantity: i32,
    unit_price: Decimal,
    line_total: Option<Decimal>,
}

impl From<PlacedOrder> for OrderView {
    fn from(placed: PlacedOrder) -> Self {
        Self {
            id: placed.order.public_id,
            status: placed.order.status.as_str(),
            total: placed.order.total,
            items: placed
                .items
                .into_iter()
                .map(|item: CustomerOrderItem| OrderItemView {
                    item: item.vendor_inventory_public_id,
                    quantity: item.quantity,
                    unit_price: item.unit_price,
                    line_total: item.line_total,
                })
                .collect(),
        }
    }
}

/// A refusal: its status, a stable code and a message, as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn bad_request(message: String) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message,
        }
    }

    fn unprocessable(message: String) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message,
        }
    }

    fn conflict(code: &'static str, message: String) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            code,
            message,
        }
    }
}

impl ApiError {
    /// A request axum could not read (a body, path or query string that
    /// does not parse, a wrong content type, a body too large).
    fn rejected(status: StatusCode, message: String) -> Self {
        let code = match status {
            StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            _ => "bad_request",
        };
        Self {
            status,
            code,
            message,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self::rejected(rejection.status(), rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::rejected(rejection.status(), rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::rejected(rejection.status(), rejection.body_text())
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let (status, code) = match &error {
            Error::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
            Error::InvalidQuantity(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            Error::OutOfStock { .. } => (StatusCode::CONFLICT, "out_of_stock"),
            Error::Unavailable { .. } => (StatusCode::CONFLICT, "unavailable"),
            Error::EmptyCart => (StatusCode::CONFLICT, "empty_cart"),
            Error::Database(_) => {
                // The cause stays in the server's log: SQL and table names
                // are no business of the client's.
                eprintln!("error: {error}");
                return Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal",
                    message: "the server could not complete the request".to_owned(),
                };
            }
        };
        Self {
            status,
            code,
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: &'a str,
            message: &'a str,
        }
        let body = Body {
            error: self.code,
            message: &self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}
