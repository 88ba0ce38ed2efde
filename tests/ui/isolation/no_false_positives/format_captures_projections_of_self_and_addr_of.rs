#![allow(non_upper_case_globals)]
use pg_sections::section;
use ui::bundled::vendor::{ItemCondition, VendorInventory};

const LIMIT: u32 = 3;
static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Captures of one's own constants, of the section's own variants, of
/// locals (lower case, bound in a closure or a match), widths and escapes.
#[section("vendor")]
pub fn label(name: &str, condition: ItemCondition) -> String {
    use ItemCondition::New;
    let width = 8;
    let shown = |value: u32| format!("{value:>width$}");
    let part = match condition {
        New => format!("{New} {{literal}} {LIMIT}"),
        other => format!("{other:?} {name:.prec$}", prec = 2),
    };
    format!("{part} {}", shown(LIMIT))
}

pub trait HasRow {
    type Row;
    const CAP: usize;
}

#[section("vendor")]
pub struct Listing;

impl HasRow for Listing {
    type Row = VendorInventory;
    const CAP: usize = 4;
}

#[section("vendor")]
impl Listing {
    pub fn quantity(&self, row: &<Self as HasRow>::Row) -> i32 {
        let rows: Vec<&Self> = Vec::with_capacity(<Self as HasRow>::CAP);
        row.quantity + i32::try_from(rows.len()).unwrap_or(0)
    }
}

/// A trait's own projections, generic.
pub trait Repository {
    type Row;
    fn rows(&self) -> Vec<Self::Row>;
    fn first(&self) -> Option<Self::Row> {
        let all: Vec<Self::Row> = self.rows();
        all.into_iter().next()
    }
}

#[section("vendor")]
pub fn counter() -> u32 {
    // SAFETY: a static is valid for the whole program.
    let counter = unsafe { &*std::ptr::addr_of!(COUNTER) };
    let offset = std::mem::offset_of!(VendorInventory, quantity);
    counter.load(std::sync::atomic::Ordering::Relaxed) + u32::try_from(offset).unwrap_or(0)
}

fn main() {}
