#[pg_sections::test]
fn takes_a_string(name: String) {
    assert!(name.is_empty());
}

fn main() {}
