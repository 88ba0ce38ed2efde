use pg_sections::section;

#[section("vendor")]
pub fn name() -> String {
    format!("{:?}", ui::bundled::customer::shopping_cart::Table)
}

fn main() {}
