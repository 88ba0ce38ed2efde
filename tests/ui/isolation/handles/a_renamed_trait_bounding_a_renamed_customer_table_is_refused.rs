use pg_sections::Runs as CanRun;
use pg_sections::section;
use ui::bundled::customer::shopping_cart::Table as Baskets;

#[section("vendor")]
pub struct Counter<H>
where
    H: CanRun<Baskets>,
{
    db: H,
}

fn main() {}
