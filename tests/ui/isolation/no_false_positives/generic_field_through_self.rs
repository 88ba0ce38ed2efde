use pg_sections::section;

#[section("vendor")]
pub struct W<T> { t: T, f: fn(u8) -> u8 }

#[section("vendor")]
impl<T: Clone> W<T> {
    pub fn get(&self) -> T { self.t.clone() }
    pub fn call(&self) -> u8 { (self.f)(1) }
}

fn main() {}
