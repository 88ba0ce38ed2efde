use pg_sections::section;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNT: AtomicUsize = AtomicUsize::new(0);
const LIMIT: usize = 10;
pub static NAMES: &[&str] = &["a"];

#[section("vendor")]
pub fn bump() -> usize {
    let n = COUNT.fetch_add(1, Ordering::SeqCst);
    if n > LIMIT { return LIMIT; }
    NAMES.len() + n + usize::MAX.min(1) + i32::MAX as usize % 2
}

fn main() {}
