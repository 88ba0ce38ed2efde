use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::blocking::Db;
    use std::cell::RefCell;
    use ui::bundled::customer::Customer as Shoppers;

    std::thread_local! {
        static COUNT: RefCell<usize> = const { RefCell::new(0) };
        pub static CARTS: RefCell<Option<Db<Shoppers>>> = const { RefCell::new(None) };
    }
}

fn main() {}
