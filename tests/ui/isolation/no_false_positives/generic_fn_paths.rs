use pg_sections::section;

#[section("vendor")]
pub fn f(xs: Vec<String>) -> Vec<String> {
    let a: Vec<String> = xs.iter().map(Clone::clone).collect();
    let b: Vec<String> = a.iter().map(ToString::to_string).collect();
    let c: Vec<Option<String>> = b.into_iter().map(Some).collect();
    let d: Vec<String> = c.into_iter().flatten().map(Into::into).collect();
    let _n: Vec<usize> = d.iter().map(String::len).collect();
    let _ = Ok::<_, std::io::Error>(());
    let e: u64 = From::from(3u32);
    let _ = e;
    let v: Vec<u8> = Default::default();
    let _ = v;
    fn make<T: Default>() -> T { T::default() }
    let _ = make::<u8>();
    d
}

fn main() {}
