//! The user's own enums with variants named like the prelude's, glob
//! imported into section items: the variants are the user's, and compile.
use pg_sections::section;
use ui::bundled::vendor::ItemCondition;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Discount {
    None,
    Some(u8),
}

#[derive(Debug, PartialEq)]
pub enum Check {
    Ok,
    Err(String),
}

#[section("vendor")]
pub fn discount(percent: u8) -> Discount {
    use Discount::*;
    if percent == 0 { None } else { Some(percent) }
}

#[section("vendor")]
pub fn checks(condition: ItemCondition) -> Vec<Check> {
    use Check::*;
    let all = [Ok, Err(condition.to_string())];
    let constant: &'static Discount = &Discount::None;
    let _ = constant;
    all.into_iter().collect()
}

#[section("vendor")]
pub struct Pricing;

#[section("vendor")]
impl Pricing {
    pub fn none(&self) -> &'static Discount {
        use Discount::None;
        &None
    }

    /// The prelude's names next to the user's, in other blocks.
    pub fn both(&self, text: &str) -> Option<usize> {
        let found = {
            use Discount::Some;
            Some(3)
        };
        let len = text.len();
        let kept = Some(&len).copied();
        match found {
            Discount::Some(n) => kept.map(|k| k + usize::from(n)),
            Discount::None => None,
        }
    }

    pub fn mapped(&self, values: Vec<u8>) -> Vec<Discount> {
        use Discount::Some;
        values.into_iter().map(Some).collect()
    }
}

fn main() {}
