use pg_sections::section;
use ui::bundled::customer::OrderStatus::Paid as None;

#[section("vendor")]
pub fn status() -> &'static str {
    let status = None;
    status.as_str()
}

fn main() {}
