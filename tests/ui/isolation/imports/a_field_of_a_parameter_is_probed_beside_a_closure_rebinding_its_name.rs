use pg_sections::section;
use ui::bundled::customer::ShoppingCart;

pub struct App {
    pub carts: Vec<ShoppingCart>,
}

#[section("vendor")]
pub fn count(app: &App) -> usize {
    let unrelated = |app: u8| app;
    let _ = unrelated(1);
    {
        let app = 3_u8;
        let _ = app;
    }
    app.carts.len()
}

fn main() {}
