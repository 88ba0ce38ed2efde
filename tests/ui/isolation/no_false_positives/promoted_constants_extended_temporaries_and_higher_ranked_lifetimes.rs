// What the checks must not change: `&None` and `&[Variant, …]` stay
// constants, `Some(&temporary)` keeps its temporary alive, a `for<'a>` or a
// generic associated type's lifetime stays where it is declared, a
// destructuring assignment stays a pattern, a nested enum's discriminant
// stays a constant, and a `fn() -> &'static str` constant keeps its type.
use pg_sections::section;
use std::borrow::Cow;
use std::collections::HashMap;
use ui::bundled::vendor::{ItemCondition, VendorInventory};

pub trait Lend {
    type Iter<'a>: Iterator
    where
        Self: 'a;
    fn lend(&self) -> Self::Iter<'_>;
}

pub struct Range {
    pub low: i32,
    pub high: i32,
}

#[section("vendor")]
pub mod stock {
    use super::*;

    pub static DEFAULT_LABEL: fn() -> &'static str = || "stock";

    pub fn note<'a>(notes: &'a HashMap<String, Option<String>>, key: &str) -> &'a Option<String> {
        notes.get(key).unwrap_or(&None)
    }

    pub fn conditions() -> &'static [ItemCondition] {
        &[ItemCondition::New, ItemCondition::Used]
    }

    pub fn label(n: u32) -> usize {
        let name = Some(&n.to_string());
        let parsed: Result<u32, ()> = Ok(n);
        name.map_or(0, |s| s.len()) + usize::from(parsed.is_ok())
    }

    pub fn labels<F>(rows: &[VendorInventory], f: F) -> Vec<String>
    where
        F: for<'r> Fn(&'r VendorInventory) -> Option<&'r str>,
    {
        rows.iter().filter_map(|r| f(r)).map(str::to_owned).collect()
    }

    pub struct Cleaner {
        pub clean: Box<dyn for<'a> Fn(&'a str) -> Cow<'a, str>>,
    }

    pub fn widen(r: Range) -> i32 {
        let (low, high);
        Range { low, high } = r;
        high - low
    }

    pub fn level(x: i32) -> i32 {
        #[allow(dead_code, reason = "only one variant is read")]
        enum Level {
            Low = std::cmp::Ordering::Less as isize,
            High = 10,
        }
        if x > 0 { Level::High as i32 } else { Level::Low as i32 }
    }

    pub struct Stock {
        pub rows: Vec<VendorInventory>,
    }

    impl Lend for Stock {
        type Iter<'a>
            = std::slice::Iter<'a, VendorInventory>
        where
            Self: 'a;
        fn lend(&self) -> Self::Iter<'_> {
            self.rows.iter()
        }
    }

    impl Stock {
        pub const FALLBACK: fn(u32) -> &'static str = |_| "stock";
    }
}

fn main() {
    let _ = stock::label(3);
    let _ = (stock::DEFAULT_LABEL)();
}
