use pg_sections::section;
use ui::bundled::customer::OrderStatus::Shipped as Some;

#[section("vendor")]
pub fn shipped() -> String {
    let status = Some;
    status.to_string()
}

fn main() {}
