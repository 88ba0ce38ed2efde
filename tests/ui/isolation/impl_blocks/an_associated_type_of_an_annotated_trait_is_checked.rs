use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::Runs;
    use ui::bundled::customer::shopping_cart as carts;

    pub trait Carts {
        type Handle: Runs<carts::Table>;
    }
}

fn main() {}
