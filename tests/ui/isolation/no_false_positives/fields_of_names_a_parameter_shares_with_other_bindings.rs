//! A parameter's name rebound by a closure, a `let`, an arm, a loop or an
//! `if let` to a value of another type, whose fields differ: each field is
//! read from the binding in scope.
use pg_sections::section;
use ui::bundled::vendor::VendorInventory;

pub struct Settings {
    pub limit: u32,
}

pub struct Other {
    pub other_field: u8,
}

#[section("vendor")]
pub fn limit(settings: &Settings, rows: &[VendorInventory], others: &[Other]) -> u32 {
    let first = settings.limit;
    let each = |settings: &Other| settings.other_field;
    let sum: u32 = others.iter().map(|o| u32::from(each(o))).sum();
    for settings in others {
        let _ = settings.other_field;
    }
    if let Some(settings) = others.first() {
        let _ = settings.other_field;
    }
    let matched = match others.first() {
        Some(settings) => settings.other_field,
        None => 0,
    };
    let count = u32::try_from(rows.len()).unwrap_or(0);
    {
        let settings = Other { other_field: 1 };
        let _ = settings.other_field;
    }
    first + sum + u32::from(matched) + count + settings.limit
}

fn main() {}
