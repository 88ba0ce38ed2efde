use pg_sections::section;
use tests::bundled::auth::Session as Visit;

#[section("customer")]
pub struct CartView {
    pub opened_by: Option<Visit>,
}

fn main() {}
