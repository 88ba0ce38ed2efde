// Names a user's code shares with generated items: `Session`, a module
// `user` with a fn `email`, an enum variant `Customer`.
use pg_sections::{Table, section};
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, vendor_inventory};

pub struct Session {
    pub token: String,
}

pub mod user {
    pub fn email() -> &'static str {
        "someone@example.com"
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Audience {
    Customer,
    Vendor,
}

#[section("vendor")]
pub struct Notifier {
    db: Db<Vendor>,
    session: Session,
    audience: Audience,
}

#[section("vendor")]
impl Notifier {
    pub fn notify(&self) -> pg_sections::Result<String> {
        let to = user::email();
        let stock = vendor_inventory::Table.select().count(&self.db)?;
        let who = if self.audience == Audience::Customer { "customer" } else { "vendor" };
        Ok(format!("{to} {who} {stock} {}", self.session.token))
    }
}

fn main() {}
