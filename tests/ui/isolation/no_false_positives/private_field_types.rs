#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

mod inner {
    struct Secret(pub u8);
    pub struct App { secret: Secret }
    impl App { pub fn new() -> Self { App { secret: Secret(1) } } pub fn get(&self) -> u8 { self.secret.0 } }
}

pub struct Outer { app: inner::App }

#[section("vendor")]
impl Outer {
    pub fn get(&self) -> u8 { self.app.get() }
}

fn main() {}
