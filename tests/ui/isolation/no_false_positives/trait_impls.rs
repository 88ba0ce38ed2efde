use pg_sections::section;
use pg_sections::blocking::Db;
use ui::bundled::vendor::Vendor;
use std::fmt;

#[section("vendor")]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counter { n: u32 }

#[section("vendor")]
impl fmt::Display for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.n)
    }
}

#[section("vendor")]
impl Iterator for Counter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.n += 1;
        if self.n < 5 { Some(self.n) } else { None }
    }
}

#[section("vendor")]
impl From<u32> for Counter {
    fn from(n: u32) -> Self { Self { n } }
}

#[section("vendor")]
pub struct Repo { db: Db<Vendor> }

#[section("vendor")]
impl Repo {
    pub fn new(db: Db<Vendor>) -> Self { Self { db } }
    pub fn db(&self) -> &Db<Vendor> { &self.db }
    pub fn with<R>(&self, f: impl FnOnce(&Db<Vendor>) -> R) -> R { f(&self.db) }
}

fn main() {}
