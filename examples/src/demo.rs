//! The small catalogue the example binary and its tests start from: four
//! parts of three manufacturers' models, two vendors stocking them, one
//! customer with a login.

use pg_sections::Pool;
use pg_sections::rust_decimal::Decimal;
use pg_sections::uuid::Uuid;

use crate::Result;
use crate::auth::UserRepository;
use crate::catalog::{ManufacturerRepository, ModelRepository, PartRepository};
use crate::customer::CustomerRepository;
use crate::db::auth::NewUser;
use crate::db::core::{NewManufacturer, NewModel, NewPart};
use crate::db::customer::NewCustomerProfile;
use crate::db::vendor::{ItemCondition, NewVendorInventory, NewVendorProfile};
use crate::vendor::{InventoryRepository, VendorRepository};

/// The public ids of what [`seed`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    /// The customer, Ada.
    pub customer: Uuid,
    /// Ada's login account (`auth.user.id`).
    pub user: Uuid,
    /// The vendor Acme Parts.
    pub acme: Uuid,
    /// The vendor Bolt & Nut.
    pub bolt: Uuid,
    /// Core part: front brake pads for the Honda Civic.
    pub brake_pads: Uuid,
    /// Core part: oil filter for the Honda Civic.
    pub oil_filter: Uuid,
    /// Core part: spark plug for the Yamaha MT-07.
    pub spark_plug: Uuid,
    /// Core part: timing belt for the Toyota Corolla.
    pub timing_belt: Uuid,
    /// Acme's brake pads: 5 in stock at 49.90.
    pub brake_pads_at_acme: Uuid,
    /// Acme's oil filters: 20 in stock at 8.50.
    pub oil_filter_at_acme: Uuid,
    /// Acme's spark plugs: 3 in stock at 12.00.
    pub spark_plug_at_acme: Uuid,
    /// Bolt's used brake pads: 2 in stock at 29.00.
    pub brake_pads_at_bolt: Uuid,
    /// Bolt's timing belts: 1 in stock at 89.00.
    pub timing_belt_at_bolt: Uuid,
}

/// Writes the demo catalogue through the repositories of each section.
///
/// # Errors
/// The database's error (seeding twice violates unique keys).
pub async fn seed(pool: &Pool) -> Result<Demo> {
    let manufacturers = ManufacturerRepository::new(pool.db());
    let models = ModelRepository::new(pool.db());
    let parts = PartRepository::new(pool.db());
    let vendors = VendorRepository::new(pool.db());
    let inventory = InventoryRepository::new(pool.db());

    let honda = manufacturers.create(manufacturer("Honda", "JP")).await?;
    let yamaha = manufacturers.create(manufacturer("Yamaha", "JP")).await?;
    let toyota = manufacturers.create(manufacturer("Toyota", "JP")).await?;
    let civic = models.create(model(honda.id, "Civic", 2019)).await?;
    let mt07 = models.create(model(yamaha.id, "MT-07", 2014)).await?;
    let corolla = models.create(model(toyota.id, "Corolla", 2018)).await?;
    let brake_pads = parts
        .create(part(civic.id, "45022-TBA-A01", "Front brake pads", 5490))
        .await?;
    let oil_filter = parts
        .create(part(civic.id, "15400-RTA-003", "Oil filter", 990))
        .await?;
    let spark_plug = parts
        .create(part(mt07.id, "CPR8EA-9", "Spark plug", 1350))
        .await?;
    let timing_belt = parts
        .create(part(corolla.id, "13568-09130", "Timing belt", 9900))
        .await?;

    let acme = vendors.create(vendor("Acme Parts", 480)).await?;
    let bolt = vendors.create(vendor("Bolt & Nut", 420)).await?;
    let stock = async |vendor_id, part: Uuid, sku: &str, quantity, cents, condition| {
        inventory
            .create(NewVendorInventory {
                condition: Some(condition),
                quantity: Some(quantity),
                sku: Some(sku.to_owned()),
                ..NewVendorInventory::new(vendor_id, part, Decimal::new(cents, 2))
            })
            .await
            .map(|item| item.public_id)
    };
    let new = ItemCondition::New;
    let second_hand = ItemCondition::Used;
    let brake_pads_at_acme =
        stock(acme.id, brake_pads.public_id, "ACME-BP-1", 5, 4990, new).await?;
    let oil_filter_at_acme =
        stock(acme.id, oil_filter.public_id, "ACME-OF-1", 20, 850, new).await?;
    let spark_plug_at_acme =
        stock(acme.id, spark_plug.public_id, "ACME-SP-1", 3, 1200, new).await?;
    let brake_pads_at_bolt = stock(
        bolt.id,
        brake_pads.public_id,
        "BOLT-BP-U",
        2,
        2900,
        second_hand,
    )
    .await?;
    let timing_belt_at_bolt =
        stock(bolt.id, timing_belt.public_id, "BOLT-TB-1", 1, 8900, new).await?;

    let customer = CustomerRepository::new(pool.db())
        .create(NewCustomerProfile {
            full_name: Some("Ada Lovelace".to_owned()),
            ..NewCustomerProfile::new("ada@example.com")
        })
        .await?;
    let users = UserRepository::new(pool.db());
    let user = users
        .create(NewUser {
            display_name: Some("Ada".to_owned()),
            email_verified: Some(true),
            ..NewUser::new(customer.email.clone())
        })
        .await?;
    users.link_customer(user.id, customer.id).await?;

    Ok(Demo {
        customer: customer.public_id,
        user: user.id,
        acme: acme.public_id,
        bolt: bolt.public_id,
        brake_pads: brake_pads.public_id,
        oil_filter: oil_filter.public_id,
        spark_plug: spark_plug.public_id,
        timing_belt: timing_belt.public_id,
        brake_pads_at_acme,
        oil_filter_at_acme,
        spark_plug_at_acme,
        brake_pads_at_bolt,
        timing_belt_at_bolt,
    })
}

fn manufacturer(name: &str, country: &str) -> NewManufacturer {
    NewManufacturer {
        country_code: Some(country.to_owned()),
        ..NewManufacturer::new(name)
    }
}

fn model(manufacturer_id: i32, name: &str, year: i16) -> NewModel {
    NewModel {
        year: Some(year),
        ..NewModel::new(manufacturer_id, name)
    }
}

fn part(model_id: i32, number: &str, name: &str, list_cents: i64) -> NewPart {
    NewPart {
        list_price: Some(Some(Decimal::new(list_cents, 2))),
        ..NewPart::new(model_id, number, name)
    }
}

fn vendor(name: &str, rating_hundredths: i64) -> NewVendorProfile {
    NewVendorProfile {
        contact_email: Some(format!(
            "sales@{}.example",
            name.split_whitespace()
                .next()
                .unwrap_or(name)
                .to_lowercase()
        )),
        rating: Some(Decimal::new(rating_hundredths, 2)),
        ..NewVendorProfile::new(name)
    }
}
