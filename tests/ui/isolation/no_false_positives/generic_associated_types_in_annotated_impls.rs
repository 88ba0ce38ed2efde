use pg_sections::section;
use ui::bundled::vendor::VendorInventory;

pub trait Family {
    type Of<T>;
    fn wrap<T>(t: T) -> Self::Of<T>;
}

#[section("vendor")]
pub struct Boxes;

#[section("vendor")]
impl Family for Boxes {
    type Of<T> = Box<T>;
    fn wrap<T>(t: T) -> Self::Of<T> {
        Box::new(t)
    }
}

pub trait Lend {
    type Item<'a>
    where
        Self: 'a;
    fn first(&self) -> Option<Self::Item<'_>>;
}

#[section("vendor")]
pub struct Rows(pub Vec<VendorInventory>);

#[section("vendor")]
impl Lend for Rows {
    type Item<'a> = &'a VendorInventory;
    fn first(&self) -> Option<Self::Item<'_>> {
        self.0.first()
    }
}

/// A projection over a generic parameter of the item, of the section's own.
pub trait Conv<T> {
    type Out: Default;
}

impl<T> Conv<T> for Rows {
    type Out = Vec<VendorInventory>;
}

#[section("vendor")]
pub fn empty<T>() -> usize {
    let rows: <Rows as Conv<T>>::Out = Default::default();
    rows.len()
}

fn main() {}
