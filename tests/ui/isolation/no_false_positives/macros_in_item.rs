use pg_sections::section;

#[section("vendor")]
pub fn m(x: i32) -> String {
    macro_rules! twice { ($e:expr) => { $e * 2 } }
    assert!(x >= 0, "negative {}", x);
    debug_assert_eq!(twice!(x), x + x);
    let v = vec![x; 3];
    let s = format!("{v:?} {}", stringify!(Customer));
    println!("{s}");
    if x > 100 { unreachable!() }
    let _ = matches!(x, 1 | 2);
    let _ = concat!("a", "b");
    let _ = env!("CARGO_PKG_NAME");
    let _ = line!();
    s
}

fn main() {}
