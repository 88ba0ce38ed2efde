//! Traits of a vendor module: their objects in vendor items; traits whose
//! objects cannot be written (generic methods, associated types and
//! constants, `async fn`, `Self` in a signature, `Sized`), and private
//! ones, all compile.
use pg_sections::section;
use ui::bundled::vendor::VendorInventory;

#[section("vendor")]
pub mod stock {
    pub trait Stock {
        fn count(&self) -> i64;
        fn first(&self) -> Option<super::VendorInventory>;
        fn consume(self)
        where
            Self: Sized;
    }

    pub trait Generic {
        fn each<F: Fn(i64)>(&self, f: F);
    }

    pub trait WithType {
        type Item;
        fn item(&self) -> Self::Item;
    }

    pub trait WithConst {
        const LIMIT: u32;
    }

    pub trait Cloned {
        fn cloned(&self) -> Self;
    }

    #[allow(async_fn_in_trait)]
    pub trait Later {
        async fn count(&self) -> i64;
    }

    pub trait Whole: Sized {
        fn whole(&self) -> i64;
    }

    pub trait Parameterized<T> {
        fn get(&self) -> T;
    }

    trait Hidden {
        fn hidden(&self) -> u8;
    }

    struct Quiet;

    impl Hidden for Quiet {
        fn hidden(&self) -> u8 {
            0
        }
    }

    pub fn quiet() -> u8 {
        let object: &dyn Hidden = &Quiet;
        object.hidden()
    }
}

#[section("vendor")]
pub fn count(stock: &dyn stock::Stock, shared: std::sync::Arc<dyn stock::Stock + Send + Sync>) -> i64 {
    stock.count() + shared.count() + i64::from(stock::quiet())
}

fn main() {}
