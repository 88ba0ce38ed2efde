use pg_sections::section;

#[section("vendor")]
mod stock {
    use std::mem::ManuallyDrop;
    use ui::bundled::customer::shopping_cart;

    pub union Slot {
        pub id: u32,
        pub carts: ManuallyDrop<shopping_cart::Table>,
    }
}

fn main() {}
