//! A global allocator that counts allocations while asked to, for the
//! "allocations per query" column. Install it in a binary with
//! `#[global_allocator] static A: bench::alloc::Counting = bench::alloc::Counting;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

static ON: AtomicBool = AtomicBool::new(false);
static COUNT: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting `alloc` and `realloc` calls while
/// [`count`] runs.
pub struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ON.load(Ordering::Relaxed) {
            COUNT.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if ON.load(Ordering::Relaxed) {
            COUNT.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if ON.load(Ordering::Relaxed) {
            COUNT.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` `runs` times and returns the allocations and bytes per run.
/// Only allocations of this process count, whichever thread makes them.
pub fn count(runs: u32, mut f: impl FnMut()) -> (f64, f64) {
    start();
    for _ in 0..runs {
        f();
    }
    finish(runs)
}

/// [`count`] for an async `f`, awaited `runs` times (on a current-thread
/// runtime, the allocations of the tasks it wakes, such as a driver's
/// connection task, count too).
pub async fn count_async(runs: u32, mut f: impl AsyncFnMut()) -> (f64, f64) {
    start();
    for _ in 0..runs {
        f().await;
    }
    finish(runs)
}

fn start() {
    COUNT.store(0, Ordering::SeqCst);
    BYTES.store(0, Ordering::SeqCst);
    ON.store(true, Ordering::SeqCst);
}

fn finish(runs: u32) -> (f64, f64) {
    ON.store(false, Ordering::SeqCst);
    let n = f64::from(runs);
    #[allow(clippy::cast_precision_loss)]
    (
        COUNT.load(Ordering::SeqCst) as f64 / n,
        BYTES.load(Ordering::SeqCst) as f64 / n,
    )
}
