//! An `impl Names` written by hand in the crate that generates the sections
//! would let `#[section("vendor")]` items use customer items: the
//! generated code refuses it.

#[allow(dead_code, unused_imports, clippy::all)]
mod db {
    include!("../../src/bundled.rs");
}

use pg_sections::Char;

impl pg_sections::__private::Names<db::customer::Customer>
    for (Char<'v'>, Char<'e'>, Char<'n'>, Char<'d'>, Char<'o'>, Char<'r'>)
{
}

fn main() {}
