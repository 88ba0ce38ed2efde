use pg_sections::section;
use ui::bundled::vendor::{ItemCondition, vendor_inventory};

pub trait Defaults {
    const CONDITION: ItemCondition;
    const LIMIT: u32;
}

#[section("vendor")]
pub struct Listing;

impl Defaults for Listing {
    const CONDITION: ItemCondition = ItemCondition::New;
    const LIMIT: u32 = 10;
}

pub struct Plain;

impl Defaults for Plain {
    const CONDITION: ItemCondition = ItemCondition::Used;
    const LIMIT: u32 = 5;
}

#[section("vendor")]
impl Listing {
    pub const PAGE: u32 = 20;

    pub fn describe(&self) -> String {
        format!(
            "{} {} {} {}",
            Self::CONDITION,
            Self::PAGE,
            <Plain as Defaults>::LIMIT,
            <vendor_inventory::Table as pg_sections::Table>::NAME,
        )
    }
}

/// Generic over the trait: its constants are the caller's business.
#[section("vendor")]
pub fn limit<T: Defaults>() -> u32 {
    T::LIMIT + <T as Defaults>::LIMIT
}

fn main() {}
