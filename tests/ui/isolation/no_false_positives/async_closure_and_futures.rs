use pg_sections::section;
use std::future::Future;
use std::pin::Pin;

#[section("vendor")]
pub fn fut() -> Pin<Box<dyn Future<Output = Result<u8, String>> + Send>> {
    Box::pin(async move { Ok(1) })
}

#[section("vendor")]
pub async fn a<'x>(s: &'x str) -> &'x str {
    let f = async { 1 };
    let _ = f.await;
    s
}

fn main() {}
