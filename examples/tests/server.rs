//! The `marketplace-server` binary, driven over real HTTP: each test starts
//! the binary on a free port (with a database of its own), talks to it as a
//! client would, and stops it with SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use ureq::Agent;

/// A running `marketplace-server`, killed if a test ends early.
struct Server {
    child: Child,
    /// The server's standard error, shown when a test fails.
    log: std::path::PathBuf,
    base: String,
    customer: String,
    brake_pads_at_acme: String,
    timing_belt_at_bolt: String,
    agent: Agent,
}

impl Server {
    fn start() -> Self {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let log = std::env::temp_dir().join(format!(
            "marketplace-server-{}-{}.log",
            std::process::id(),
            STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let stderr = std::fs::File::create(&log).expect("the server's log file is created");
        let mut child = Command::new(env!("CARGO_BIN_EXE_marketplace-server"))
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("marketplace-server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut next = |prefix: &str| -> String {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("the server ended before printing `{prefix}`"))
                .expect("the server's stdout reads");
            line.strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected `{prefix}…`, the server printed `{line}`"))
                .to_owned()
        };
        let base = next("listening on ");
        let customer = next("demo customer ");
        let items = next("demo items: brake pads at Acme ");
        let (brake_pads_at_acme, timing_belt_at_bolt) = items
            .split_once(", timing belt at Bolt ")
            .expect("both demo items are printed");
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Self {
            base,
            customer,
            brake_pads_at_acme: brake_pads_at_acme.to_owned(),
            timing_belt_at_bolt: timing_belt_at_bolt.to_owned(),
            child,
            log,
            agent,
        }
    }

    fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .expect("GET reaches the server");
        reply(response)
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .send_json(body)
            .expect("POST reaches the server");
        reply(response)
    }

    fn post_empty(&self, path: &str) -> (u16, Value) {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .send_empty()
            .expect("POST reaches the server");
        reply(response)
    }

    fn sign_up(&self, email: &str) -> String {
        let (status, customer) = self.post("/customers", &json!({ "email": email }));
        assert_eq!(status, 201, "{customer}");
        customer["id"].as_str().expect("a customer id").to_owned()
    }

    fn stock(&self, item: &str) -> i64 {
        let (status, listing) = self.get(&format!("/listings/{item}"));
        assert_eq!(status, 200, "{listing}");
        listing["stock"].as_i64().expect("stock is a number")
    }

    /// Stops the server as an operator would, and waits for it to end.
    fn stop(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("`kill` runs");
        assert!(sent.success(), "SIGTERM reaches the server");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("the server's status") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server still runs 30 s after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // After `stop` the child has ended and this does nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("--- marketplace-server's standard error:\n{log}");
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

fn reply(mut response: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().expect("a body");
    let value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&body)
            .unwrap_or_else(|error| panic!("status {status}: not JSON ({error}): {body}"))
    };
    (status, value)
}

/// Every customer in `customers` checks out at once; the statuses and
/// bodies, in the customers' order.
fn checkout_at_once(server: &Server, customers: &[String]) -> Vec<(u16, Value)> {
    let barrier = Barrier::new(customers.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = customers
            .iter()
            .map(|customer| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    server.post_empty(&format!("/customers/{customer}/checkout"))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a checkout thread"))
            .collect()
    })
}

#[test]
fn concurrent_checkouts_of_the_last_item_sell_it_once() {
    let server = Server::start();
    let item = server.timing_belt_at_bolt.clone();
    assert_eq!(server.stock(&item), 1);
    let customers: Vec<String> = (0..12)
        .map(|n| server.sign_up(&format!("buyer{n}@example.com")))
        .collect();
    for customer in &customers {
        let (status, line) = server.post(
            &format!("/customers/{customer}/cart"),
            &json!({ "item": item, "quantity": 1 }),
        );
        assert_eq!(status, 200, "{line}");
        assert_eq!(line["quantity"], 1);
    }

    let outcomes = checkout_at_once(&server, &customers);

    let placed: Vec<_> = outcomes
        .iter()
        .filter(|(status, _)| *status == 201)
        .collect();
    assert_eq!(placed.len(), 1, "exactly one checkout wins: {outcomes:?}");
    assert_eq!(placed[0].1["total"], "89.00");
    for (status, body) in outcomes.iter().filter(|(status, _)| *status != 201) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["error"], "out_of_stock", "{body}");
        assert_eq!(
            body["message"],
            "not enough stock of `BOLT-TB-1`: 1 requested, 0 available"
        );
    }
    assert_eq!(server.stock(&item), 0);
    // The losers' transactions rolled back: their carts still hold the item.
    let mut full_carts = 0;
    for customer in &customers {
        let (status, cart) = server.get(&format!("/customers/{customer}/cart"));
        assert_eq!(status, 200);
        full_carts += usize::from(!cart.as_array().expect("a list").is_empty());
    }
    assert_eq!(full_carts, customers.len() - 1);
    assert!(server.stop().success());
}

#[test]
fn concurrent_checkouts_never_take_stock_below_zero() {
    let server = Server::start();
    // Five brake pads at Acme; eight customers want two each, some also a
    // spark plug (three in stock), so orders lock rows in different sets.
    let pads = server.brake_pads_at_acme.clone();
    let (status, page) = server.get("/listings?in_stock=true&per_page=100");
    assert_eq!(status, 200);
    let plugs = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["sku"] == "ACME-SP-1")
        .expect("spark plugs are listed")["item"]
        .as_str()
        .expect("an id")
        .to_owned();
    let customers: Vec<String> = (0..8)
        .map(|n| server.sign_up(&format!("rush{n}@example.com")))
        .collect();
    for (n, customer) in customers.iter().enumerate() {
        let cart = format!("/customers/{customer}/cart");
        let (status, line) = server.post(&cart, &json!({ "item": pads, "quantity": 2 }));
        assert_eq!(status, 200, "{line}");
        if n % 2 == 0 {
            let (status, line) = server.post(&cart, &json!({ "item": plugs, "quantity": 1 }));
            assert_eq!(status, 200, "{line}");
        }
    }

    let outcomes = checkout_at_once(&server, &customers);

    let placed = outcomes.iter().filter(|(status, _)| *status == 201).count();
    for (status, body) in &outcomes {
        assert!(
            *status == 201 || (*status == 409 && body["error"] == "out_of_stock"),
            "a checkout either places the order or is out of stock: {status} {body}"
        );
    }
    // Two pads per order: two orders fit in five, a third does not.
    assert_eq!(placed, 2, "{outcomes:?}");
    assert_eq!(server.stock(&pads), 1);
    assert!(server.stock(&plugs) >= 0);
    let sold_plugs: i64 = outcomes
        .iter()
        .filter(|(status, _)| *status == 201)
        .flat_map(|(_, order)| order["items"].as_array().expect("items").clone())
        .filter(|line| line["item"] == plugs.as_str())
        .map(|line| line["quantity"].as_i64().expect("a quantity"))
        .sum();
    assert_eq!(server.stock(&plugs), 3 - sold_plugs);
    assert!(server.stop().success());
}

#[test]
fn one_customers_concurrent_requests_take_turns() {
    let server = Server::start();
    let customer = server.sign_up("twice@example.com");
    let cart = format!("/customers/{customer}/cart");
    let pads = server.brake_pads_at_acme.clone();
    // Six adds of one pad at once, five in stock: each sees the others'.
    let adds: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| server.post(&cart, &json!({ "item": pads, "quantity": 1 }))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let added = adds.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(added, 5, "{adds:?}");
    assert!(
        adds.iter()
            .any(|(status, body)| *status == 409 && body["error"] == "out_of_stock")
    );
    let (_, lines) = server.get(&cart);
    assert_eq!(lines[0]["quantity"], 5, "no add was lost: {lines}");

    // Six checkouts of that one cart at once: one order, the rest find the
    // cart empty; the stock is taken once.
    let customers = vec![customer; 6];
    let outcomes = checkout_at_once(&server, &customers);
    let placed = outcomes.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(placed, 1, "{outcomes:?}");
    for (status, body) in outcomes.iter().filter(|(status, _)| *status != 201) {
        assert_eq!((*status, body["error"].as_str()), (409, Some("empty_cart")));
    }
    assert_eq!(server.stock(&pads), 0);
    assert!(server.stop().success());
}

/// An add that races a checkout of the same cart lands in the order or
/// stays in the cart, never in neither.
#[test]
fn an_add_racing_a_checkout_is_never_lost() {
    let server = Server::start();
    let (_, page) = server.get("/listings?per_page=100");
    let filters = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["sku"] == "ACME-OF-1")
        .expect("oil filters are listed")["item"]
        .as_str()
        .expect("an id")
        .to_owned();
    for round in 0..8 {
        let customer = server.sign_up(&format!("racer{round}@example.com"));
        let cart = format!("/customers/{customer}/cart");
        let (status, _) = server.post(&cart, &json!({ "item": filters, "quantity": 1 }));
        assert_eq!(status, 200);
        let barrier = Barrier::new(2);
        let ((checkout, order), (added, _)) = std::thread::scope(|scope| {
            let checkout = scope.spawn(|| {
                barrier.wait();
                server.post_empty(&format!("/customers/{customer}/checkout"))
            });
            let add = scope.spawn(|| {
                barrier.wait();
                server.post(
                    &cart,
                    &json!({ "item": server.timing_belt_at_bolt, "quantity": 1 }),
                )
            });
            (checkout.join().unwrap(), add.join().unwrap())
        });
        assert_eq!(checkout, 201, "{order}");
        assert_eq!(added, 200);
        let belt = server.timing_belt_at_bolt.as_str();
        let ordered = order["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|line| line["item"] == belt);
        let (_, lines) = server.get(&cart);
        let in_cart = lines
            .as_array()
            .expect("lines")
            .iter()
            .any(|line| line["item"] == belt);
        assert!(
            ordered != in_cart,
            "round {round}: the belt is in the order: {ordered}, in the cart: {in_cart}"
        );
        if ordered {
            // The only belt is sold: no later round could add it.
            break;
        }
    }
    assert!(server.stop().success());
}

#[test]
fn refusals_are_json_with_a_status_that_says_why() {
    let server = Server::start();
    let customer = server.customer.clone();
    let unknown = "00000000-0000-0000-0000-000000000000";

    let (status, body) = server.get(&format!("/orders/{unknown}"));
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = server.get("/listings/not-a-uuid");
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));
    let (status, body) = server.get("/listings?condition=mint");
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));
    assert!(
        body["message"].as_str().unwrap().contains("`for_parts`"),
        "{body}"
    );
    let (status, body) = server.get("/listings?max_price=cheap");
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));
    let (status, body) = server.post_empty(&format!("/customers/{customer}/checkout"));
    assert_eq!((status, body["error"].as_str()), (409, Some("empty_cart")));
    let cart = format!("/customers/{customer}/cart");
    let item = server.brake_pads_at_acme.clone();
    let (status, body) = server.post(&cart, &json!({ "item": item, "quantity": 0 }));
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
    let (status, body) = server.post(&cart, &json!({ "item": item, "quantity": 6 }));
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("out_of_stock"))
    );
    let (status, body) = server.post(&cart, &json!({ "item": item }));
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
    let (status, body) = server.post(&cart, &json!({ "item": unknown, "quantity": 1 }));
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = server.post("/customers", &json!({ "email": "ada@example.com" }));
    assert_eq!((status, body["error"].as_str()), (409, Some("taken")));
    for email in ["nobody", "@", "a@", "@b", "a b@c", "a@b@c", "nul\u{0}@x.io"] {
        let (status, body) = server.post("/customers", &json!({ "email": email }));
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some("invalid")),
            "{email:?}: {body}"
        );
    }
    // Lower case can grow past the column (`İ` is two characters then);
    // invisible characters would make two look-alike addresses.
    for email in [
        format!("{}@x.io", "İ".repeat(250)),
        "a\u{200B}b@x.io".to_owned(),
    ] {
        let (status, body) = server.post("/customers", &json!({ "email": email }));
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some("invalid")),
            "{body}"
        );
    }
    let long = format!("{}@example.com", "a".repeat(250));
    let (status, body) = server.post("/customers", &json!({ "email": long }));
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
    let (status, body) = server.post(
        "/customers",
        &json!({ "email": "bob@example.com", "full_name": "b".repeat(201) }),
    );
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
    // One account per address, however it is typed.
    let (status, body) = server.post("/customers", &json!({ "email": "  ADA@Example.COM " }));
    assert_eq!((status, body["error"].as_str()), (409, Some("taken")));
    let (status, body) = server.get("/nowhere");
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = server.post_empty("/listings");
    assert_eq!(
        (status, body["error"].as_str()),
        (405, Some("method_not_allowed"))
    );

    // Nothing of it changed the stock, and the server still serves.
    assert_eq!(server.stock(&item), 5);
    let (status, page) = server.get("/listings?in_stock=true&condition=new&per_page=2&page=2");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 4);
    assert_eq!(page["rows"].as_array().map(Vec::len), Some(2));
    assert!(server.stop().success());
}
