use pg_sections::section;

#[section("vendor")]
mod stock {
    pub use tests::bundled::customer::shopping_cart as inventory;
    pub type Handle = pg_sections::blocking::Db<tests::bundled::customer::Customer>;
}

fn main() {}
