use pg_sections::section;
use ui::bundled::auth::Session as Visit;

#[section("customer")]
pub struct CartView {
    pub opened_by: Option<Visit>,
}

fn main() {}
