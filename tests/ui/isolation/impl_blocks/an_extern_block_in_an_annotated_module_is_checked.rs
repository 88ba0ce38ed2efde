use pg_sections::section;

#[section("vendor")]
mod stock {
    use ui::bundled::customer::ShoppingCart;

    unsafe extern "C" {
        pub safe fn abs(x: i32) -> i32;
        pub fn carts_of(vendor: i32) -> *const ShoppingCart;
    }
}

fn main() {}
