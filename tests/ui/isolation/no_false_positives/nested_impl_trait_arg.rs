use pg_sections::section;

#[section("vendor")]
pub fn show(xs: impl IntoIterator<Item = impl std::fmt::Debug>) -> usize {
    xs.into_iter().count()
}

fn main() {}
