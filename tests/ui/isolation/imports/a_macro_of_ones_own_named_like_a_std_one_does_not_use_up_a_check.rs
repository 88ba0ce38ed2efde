use pg_sections::section;
use ui::bundled::customer::OrderStatus;

/// Drops its input, checks and all.
macro_rules! todo {
    ($($t:tt)*) => {
        ()
    };
}

#[section("vendor")]
pub fn label() -> &'static str {
    todo!(OrderStatus::Paid);
    OrderStatus::Paid.as_str()
}

fn main() {}
