// A written type is probed through the standard containers of one content
// (`Box`, references, `Pin`, `Option`, `Vec`, `Rc`/`Arc`/`Weak`, `Cow`,
// the cells, locks and their guards, `OnceLock`/`LazyLock`, `PhantomData`,
// channels, the maps' values, `Result`'s `Ok`, arrays); not through a
// tuple, a map's key, a `Result`'s `Err`, a `fn` pointer or `dyn Fn`, whose
// other part a trait cannot look into too, nor through a generic type
// outside that list (`AssertUnwindSafe`, a wrapper of one's own). An alias
// declared outside the item that hides a customer row there gets through.
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use pg_sections::section;
use ui::bundled::customer::{OrderStatus, ShoppingCart};

pub struct Wrapper<T>(pub T);

type Pair = (u32, ShoppingCart);
type ByStatus = HashMap<OrderStatus, u32>;
type Failed = Result<(), ShoppingCart>;
type Callback = fn() -> ShoppingCart;
type Unwinding = AssertUnwindSafe<ShoppingCart>;
type Wrapped = Wrapper<ShoppingCart>;

#[section("vendor")]
pub struct Report {
    pub pair: Pair,
    pub by_status: ByStatus,
    pub failed: Failed,
    pub callback: Callback,
    pub unwinding: Unwinding,
    pub wrapped: Wrapped,
}

fn main() {}
