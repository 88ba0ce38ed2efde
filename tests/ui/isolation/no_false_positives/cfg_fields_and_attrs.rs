#[allow(unused_imports)] use ui::bundled::vendor::Vendor as _;
use pg_sections::section;

#[section("vendor")]
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct S {
    /// doc
    pub n: u8,
    #[cfg(feature = "never-enabled")]
    pub hidden: std::marker::PhantomData<NotAType>,
}

pub struct App {
    n: u8,
    #[cfg(feature = "never-enabled")]
    hidden: NotAType,
}

#[section("vendor")]
impl App {
    pub fn n(&self) -> u8 { self.n }
}

#[section("vendor")]
impl S {
    #[cfg(test)]
    pub fn only_in_tests(&self) -> NotAType { todo!() }
    pub fn n(&self) -> u8 { self.n }
}

fn main() {}
