use pg_sections::section;

#[section("vendor")]
pub struct Buf<'a, T: Clone, const N: usize> {
    items: &'a [T; N],
}

#[section("vendor")]
impl<'a, T: Clone + std::fmt::Debug, const N: usize> Buf<'a, T, N> {
    pub fn first(&self) -> Option<&'a T> {
        self.items.first()
    }
    pub fn mapped<U, F: Fn(&T) -> U>(&self, f: F) -> Vec<U> {
        self.items.iter().map(|x| f(x)).collect()
    }
    pub fn boxed(&self) -> Box<dyn Fn() -> usize + '_> {
        Box::new(move || N + self.items.len())
    }
    pub fn it(&self) -> impl Iterator<Item = &T> + '_ {
        self.items.iter()
    }
    pub fn arr() -> [u8; N] { [0; N] }
}

fn main() {
    let a = [1, 2, 3];
    let b = Buf { items: &a };
    let _ = b.first();
}
