use pg_sections::section;
use std::collections::HashMap;

#[section("vendor")]
pub fn tally(words: &[String]) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for w in words {
        *m.entry(w.as_str()).or_insert(0) += 1;
    }
    let s = String::from("x");
    let r = &s;
    let len = r.len();
    drop(s);
    let v = vec![1, 2, 3];
    let first = &v[0];
    let _ = *first + len as i32;
    let t = std::mem::take(&mut String::new());
    let _ = t;
    m
}

#[section("vendor")]
pub fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.len() > b.len() { a } else { b }
}

fn main() {}
