// A macro's input is not code until it is expanded, wherever the macro is
// defined: what it expands to is not probed.
use pg_sections::section;

#[section("vendor")]
pub fn paid_label() -> String {
    macro_rules! status {
        () => {
            ui::bundled::customer::OrderStatus::Paid
        };
    }
    status!().to_string()
}

fn main() {}
