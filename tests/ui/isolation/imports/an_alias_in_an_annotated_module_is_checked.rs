use pg_sections::section;

#[section("vendor")]
mod stock {
    pub use ui::bundled::customer::shopping_cart as inventory;
    pub type Handle = pg_sections::blocking::Db<ui::bundled::customer::Customer>;
}

fn main() {}
